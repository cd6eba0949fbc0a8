"""Transport: retries, Retry-After, backoff, mid-stream failures, idle timeouts, event loops."""

from __future__ import annotations

import asyncio
import functools
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from testkit import KEY, completion, delta_chunk, sse

from aihubmix_core import (
    AIHubMixClient,
    APIConnectionError,
    APIResponseError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ChatRequest,
    Message,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    StreamIdleTimeoutError,
    StreamInterruptedError,
)
from aihubmix_core._http.retry import parse_retry_after
from aihubmix_core.errors import APIStatusError, StreamError

REQUEST = ChatRequest(model="gpt-4o-mini", messages=[Message(role="user", content="Hi")])
HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def failing(status: int, calls: list[int], *, text: str | None = None, headers=None):
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if text is not None:
            return httpx.Response(
                status, text=text, headers={"content-type": "text/html", **(headers or {})}
            )
        return httpx.Response(
            status, json={"error": {"message": f"status {status}"}}, headers=headers
        )

    return handler


# ---------------------------------------------------------------- retries (sync)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503])
@pytest.mark.parametrize("max_retries", [0, 1, 3])
def test_retryable_statuses_are_retried_exactly_max_retries_times(
    make_client, sleeps, status: int, max_retries: int
) -> None:
    calls: list[int] = []
    text = HTML_502 if status == 502 else None
    client = make_client(failing(status, calls, text=text), max_retries=max_retries)
    with pytest.raises(APIStatusError) as info:
        client.chat(REQUEST)
    assert len(calls) == 1 + max_retries
    assert len(sleeps) == max_retries
    assert info.value.status_code == status
    if status == 502:
        assert isinstance(info.value, ServerError)
        assert "502 Bad Gateway" in str(info.value)
    if status == 429:
        assert isinstance(info.value, RateLimitError)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
    ],
)
def test_client_errors_are_never_retried(make_client, sleeps, status: int, cls) -> None:
    calls: list[int] = []
    client = make_client(failing(status, calls), max_retries=5)
    with pytest.raises(cls):
        client.chat(REQUEST)
    assert len(calls) == 1
    assert sleeps == []


def test_retry_then_success(make_client, sleeps) -> None:
    answers = iter(
        [
            httpx.Response(503, json={"error": {"message": "busy"}}),
            httpx.Response(500, text="oops"),
            httpx.Response(200, json=completion("finally")),
        ]
    )
    client = make_client(lambda r: next(answers), max_retries=2)
    assert client.chat(REQUEST).text == "finally"
    assert len(sleeps) == 2


def test_connection_errors_are_retried(make_client, sleeps) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("connection refused", request=request)

    client = make_client(handler, max_retries=2)
    with pytest.raises(APIConnectionError) as info:
        client.chat(REQUEST)
    assert len(calls) == 3
    assert len(sleeps) == 2
    assert "ConnectError" in str(info.value)
    assert "AIHUBMIX_BASE_URL" in str(info.value)  # says what to check
    assert info.value.request is not None


def test_timeouts_are_retried_and_typed(make_client, sleeps) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ReadTimeout("slow", request=request)

    client = make_client(handler, max_retries=1)
    with pytest.raises(APITimeoutError, match="timeout"):
        client.chat(REQUEST)
    assert len(calls) == 2


def test_retry_after_seconds_is_honoured(make_client, sleeps) -> None:
    calls: list[int] = []
    client = make_client(failing(429, calls, headers={"Retry-After": "3"}), max_retries=2)
    with pytest.raises(RateLimitError) as info:
        client.chat(REQUEST)
    assert sleeps == [3.0, 3.0]
    assert info.value.retry_after == 3.0


def test_retry_after_ms_is_honoured(make_client, sleeps) -> None:
    calls: list[int] = []
    client = make_client(failing(503, calls, headers={"retry-after-ms": "1500"}), max_retries=1)
    with pytest.raises(ServerError):
        client.chat(REQUEST)
    assert sleeps == [1.5]


def test_retry_after_http_date_is_honoured(make_client, sleeps) -> None:
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=20), usegmt=True)
    calls: list[int] = []
    client = make_client(failing(429, calls, headers={"Retry-After": when}), max_retries=1)
    with pytest.raises(RateLimitError):
        client.chat(REQUEST)
    (delay,) = sleeps
    assert 17 <= delay <= 20.5


def test_a_retry_after_longer_than_the_cap_gives_up_at_once_and_says_so(
    make_client, sleeps
) -> None:
    calls: list[int] = []
    client = make_client(failing(429, calls, headers={"Retry-After": "1000000000"}), max_retries=2)
    with pytest.raises(RateLimitError) as info:
        client.chat(REQUEST)
    assert (len(calls), sleeps) == (1, [])
    assert "asked to wait 1e+09 s" in str(info.value)
    assert info.value.retry_after == 1e9


@pytest.mark.parametrize("value", ["0", "-5", "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_a_retry_after_of_zero_or_in_the_past_falls_back_to_backoff(
    make_client, sleeps, value: str
) -> None:
    calls: list[int] = []
    client = make_client(failing(429, calls, headers={"Retry-After": value}), max_retries=2)
    with pytest.raises(RateLimitError):
        client.chat(REQUEST)
    policy = RetryPolicy()
    assert len(sleeps) == 2
    for attempt, delay in enumerate(sleeps):
        ceiling = policy.initial_delay * 2**attempt
        assert ceiling * (1 - policy.jitter) <= delay <= ceiling


def test_errors_say_how_many_attempts_were_made_and_never_claim_retries_that_did_not_happen(
    make_client, sleeps
) -> None:
    calls: list[int] = []
    with pytest.raises(ServerError) as once:
        make_client(failing(503, calls), max_retries=0).chat(REQUEST)
    assert "retried" not in str(once.value) and "attempts" not in str(once.value)
    with pytest.raises(ServerError) as thrice:
        make_client(failing(503, calls), max_retries=2).chat(REQUEST)
    assert "gave up after 3 attempts" in str(thrice.value)
    assert thrice.value.attempts == 3


def test_parse_retry_after() -> None:
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("2.5") == 2.5
    assert parse_retry_after("-4") == -4.0
    assert parse_retry_after("not a date") is None
    now = 1_700_000_000.0
    date = format_datetime(datetime.fromtimestamp(now + 30, timezone.utc), usegmt=True)
    assert parse_retry_after(date, now=now) == pytest.approx(30, abs=1)
    past = format_datetime(datetime.fromtimestamp(now - 30, timezone.utc), usegmt=True)
    assert parse_retry_after(past, now=now) == pytest.approx(-30, abs=1)


# ---------------------------------------------------------------- RetryPolicy (pure)


def status_error(status: int, retry_after: float | None = None) -> APIStatusError:
    return APIStatusError("x", status_code=status, retry_after=retry_after)


def test_backoff_is_exponential_with_bounded_jitter() -> None:
    policy = RetryPolicy(max_retries=10, initial_delay=0.5, max_delay=8.0, jitter=0.25)
    error = status_error(500)
    for attempt in range(10):
        ceiling = min(0.5 * 2**attempt, 8.0)
        delays = [policy.delay(attempt, error) for _ in range(200)]
        assert all(d is not None and ceiling * 0.75 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jitter actually varies
    assert policy.delay(10, error) is None  # retries exhausted


def test_backoff_without_jitter_is_exact() -> None:
    policy = RetryPolicy(max_retries=4, initial_delay=1.0, max_delay=5.0, jitter=0.0)
    error = APIConnectionError("down")
    assert [policy.delay(a, error) for a in range(5)] == [1.0, 2.0, 4.0, 5.0, None]


def test_policy_retryable_classification() -> None:
    policy = RetryPolicy(max_retries=3)
    for status in (408, 409, 429, 500, 502, 503, 504):
        assert policy.is_retryable(status_error(status))
    for status in (400, 401, 402, 403, 404, 422):
        assert not policy.is_retryable(status_error(status))
        assert policy.delay(0, status_error(status)) is None
    assert policy.is_retryable(APITimeoutError("t"))
    assert not policy.is_retryable(StreamInterruptedError("mid-stream"))
    assert not policy.is_retryable(StreamError("x"))
    assert not policy.is_retryable(APIResponseError("not json"))
    assert policy.delay(0, status_error(429, retry_after=2.0)) == 2.0
    assert policy.delay(0, status_error(429, retry_after=500.0)) is None  # longer than the cap
    assert policy.delay(0, status_error(429, retry_after=60.0)) == 60.0


# ---------------------------------------------------------------- non-JSON success


def test_non_json_success_body_is_an_api_response_error(make_client) -> None:
    client = make_client(
        lambda r: httpx.Response(200, text="<html>hi</html>", headers={"content-type": "text/html"})
    )
    with pytest.raises(APIResponseError, match="not JSON"):
        client.chat(REQUEST)


# ---------------------------------------------------------------- streams (sync)

FIRST = delta_chunk("Hello", role="assistant")
SECOND = delta_chunk(", world")
LAST = delta_chunk(finish="stop")


def stream_response(body: bytes | Iterator[bytes], **headers: str) -> httpx.Response:
    return httpx.Response(
        200, headers={"content-type": "text/event-stream", **headers}, content=body
    )


def test_stream_request_headers_and_payload(make_client) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return stream_response(sse(FIRST, LAST))

    stream = make_client(handler).stream_chat(REQUEST)
    assert [d.content for d in stream] == ["Hello", ""]
    assert stream.result is not None and stream.result.text == "Hello"
    assert seen[0].headers["Accept"] == "text/event-stream"
    payload = json.loads(seen[0].content)
    assert payload["stream"] is True
    assert payload["stream_options"] == {"include_usage": True}


def test_stream_failure_before_first_event_is_retried(make_client, sleeps) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        if len(calls) == 2:
            return httpx.Response(503, json={"error": {"message": "busy"}})
        if len(calls) == 3:

            def broken() -> Iterator[bytes]:
                yield b": ping\n\n"
                raise httpx.ReadError("reset before any event")

            return stream_response(broken())
        return stream_response(sse(FIRST, SECOND, LAST))

    stream = make_client(handler, max_retries=3).stream_chat(REQUEST)
    assert "".join(d.content for d in stream) == "Hello, world"
    assert len(calls) == 4
    assert len(sleeps) == 3


def test_stream_failure_before_first_event_gives_up_after_max_retries(make_client, sleeps) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)

        def broken() -> Iterator[bytes]:
            raise httpx.RemoteProtocolError("peer closed")
            yield b""  # pragma: no cover

        return stream_response(broken())

    stream = make_client(handler, max_retries=2).stream_chat(REQUEST)
    with pytest.raises(StreamInterruptedError):
        list(stream)
    assert len(calls) == 3


@pytest.mark.parametrize("exc", [httpx.ReadError, httpx.RemoteProtocolError])
def test_stream_failure_after_first_event_raises_with_partial(
    make_client, sleeps, exc: type[httpx.HTTPError]
) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)

        def body() -> Iterator[bytes]:
            yield sse(FIRST, done=False)
            yield sse(SECOND, done=False)[:20]  # half an event
            yield sse(SECOND, done=False)[20:]
            raise exc("connection dropped")

        return stream_response(body())

    stream = make_client(handler, max_retries=3).stream_chat(REQUEST)
    received: list[str] = []
    with pytest.raises(StreamInterruptedError) as info:
        for delta in stream:
            received.append(delta.content)
    assert received == ["Hello", ", world"]
    assert info.value.partial_text == "Hello, world"
    assert info.value.partial is not None
    assert info.value.partial.finish_reason is None
    assert isinstance(info.value, APIConnectionError)  # catchable as a connection error
    assert "partial" in str(info.value)
    assert len(calls) == 1  # never retried once the caller holds part of the reply
    assert sleeps == []


def test_stream_read_timeout_mid_stream_is_idle_error(make_client) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            yield sse(FIRST, done=False)
            raise httpx.ReadTimeout("read timed out")

        return stream_response(body())

    stream = make_client(handler, stream_idle_timeout=7).stream_chat(REQUEST)
    with pytest.raises(StreamIdleTimeoutError, match="7 s") as info:
        list(stream)
    assert info.value.partial_text == "Hello"


class IdleClock:
    """What the idle limit of every stream body reads as the time (seconds)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def idle_clock(monkeypatch: pytest.MonkeyPatch) -> IdleClock:
    """Stream bodies made by the executors read this clock instead of ``time.monotonic``:
    a mock server that moves it before a chunk stands for one that took that long, so the
    idle arithmetic is exact and no test waits or depends on how busy the machine is.
    (The real clock is exercised on a real socket below and in tests/reliability.)"""
    from aihubmix_core._http import executor, stream_body

    clock = IdleClock()
    monkeypatch.setattr(
        executor, "StreamBody", functools.partial(stream_body.StreamBody, clock=clock)
    )
    return clock


def test_stream_idle_timeout_with_only_keepalive_comments(make_client, idle_clock) -> None:
    pings: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            yield sse(FIRST, done=False)
            for _ in range(200):  # 100 s of pings if the timeout were ignored
                idle_clock.now += 0.5
                pings.append(idle_clock.now)
                yield b": ping\n\n"
            yield sse(LAST)

        return stream_response(body())

    stream = make_client(handler, stream_idle_timeout=2, max_retries=0).stream_chat(REQUEST)
    with pytest.raises(StreamIdleTimeoutError) as info:
        list(stream)
    assert pings == [0.5, 1.0, 1.5, 2.0, 2.5]  # the first keep-alive past the limit ends it
    assert info.value.partial_text == "Hello"
    assert "stream_idle_timeout" in str(info.value)


def test_stream_events_reset_the_idle_clock(make_client, idle_clock) -> None:
    """Slow but steady real events must not trip the idle timeout."""

    def handler(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            for i in range(6):  # 9 s in all, never more than 1.5 s between events
                idle_clock.now += 1.5
                yield b": ping\n\n"
                yield sse(delta_chunk(str(i)), done=False)
            yield sse(LAST)

        return stream_response(body())

    stream = make_client(handler, stream_idle_timeout=2).stream_chat(REQUEST)
    assert "".join(d.content for d in stream) == "012345"


def test_consumer_break_closes_the_response(make_client) -> None:
    responses: list[httpx.Response] = []

    def handler(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            for i in range(100):
                yield sse(delta_chunk(str(i)), done=False)

        responses.append(stream_response(body()))
        return responses[-1]

    stream = make_client(handler).stream_chat(REQUEST)
    iterator = iter(stream)
    assert next(iterator).content == "0"
    assert not responses[0].is_closed
    iterator.close()  # what a ``break`` does once the generator is dropped
    assert responses[0].is_closed


# ---------------------------------------------------------------- async


def async_client(handler, **kwargs) -> AIHubMixClient:
    return AIHubMixClient(
        api_key=KEY,
        async_http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        **kwargs,
    )


@pytest.mark.parametrize("status", [429, 502, 503])
def test_async_retries(sleeps, status: int) -> None:
    calls: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(status, text=HTML_502, headers={"Retry-After": "1"})

    client = async_client(handler, max_retries=2)
    with pytest.raises(APIStatusError) as info:
        asyncio.run(client.achat(REQUEST))
    assert info.value.status_code == status
    assert len(calls) == 3
    assert sleeps == [1.0, 1.0]


def test_async_not_retried_on_401(sleeps) -> None:
    calls: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(401, json={"error": {"message": "bad key"}})

    with pytest.raises(AuthenticationError):
        asyncio.run(async_client(handler, max_retries=4).achat(REQUEST))
    assert len(calls) == 1
    assert sleeps == []


def test_async_connection_error_retried(sleeps) -> None:
    calls: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(APIConnectionError):
        asyncio.run(async_client(handler, max_retries=1).achat(REQUEST))
    assert len(calls) == 2
    assert len(sleeps) == 1


def async_stream_response(body: AsyncIterator[bytes]) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)


async def collect(stream) -> list[str]:
    return [delta.content async for delta in stream]


def test_async_stream_retry_before_first_event_then_success(sleeps) -> None:
    calls: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)

        async def body() -> AsyncIterator[bytes]:
            if len(calls) == 1:
                raise httpx.ReadError("reset")
            yield sse(FIRST, SECOND, LAST)

        return async_stream_response(body())

    stream = async_client(handler, max_retries=2).astream_chat(REQUEST)
    assert "".join(asyncio.run(collect(stream))) == "Hello, world"
    assert len(calls) == 2
    assert len(sleeps) == 1
    assert stream.result is not None and stream.result.finish_reason == "stop"


def test_async_stream_retry_exhausted(sleeps) -> None:
    calls: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)

        async def body() -> AsyncIterator[bytes]:
            raise httpx.ReadError("reset")
            yield b""  # pragma: no cover

        return async_stream_response(body())

    stream = async_client(handler, max_retries=1).astream_chat(REQUEST)
    with pytest.raises(StreamInterruptedError):
        asyncio.run(collect(stream))
    assert len(calls) == 2


def test_async_stream_failure_after_first_event_has_partial(sleeps) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        async def body() -> AsyncIterator[bytes]:
            yield sse(FIRST, SECOND, done=False)
            raise httpx.RemoteProtocolError("peer closed connection")

        return async_stream_response(body())

    stream = async_client(handler, max_retries=3).astream_chat(REQUEST)
    with pytest.raises(StreamInterruptedError) as info:
        asyncio.run(collect(stream))
    assert info.value.partial_text == "Hello, world"
    assert sleeps == []


def test_async_stream_idle_timeout(idle_clock: IdleClock) -> None:
    pings: list[float] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        async def body() -> AsyncIterator[bytes]:
            yield sse(FIRST, done=False)
            for _ in range(200):
                idle_clock.now += 0.5
                pings.append(idle_clock.now)
                yield b": ping\n\n"

        return async_stream_response(body())

    stream = async_client(handler, stream_idle_timeout=2, max_retries=0).astream_chat(REQUEST)
    with pytest.raises(StreamIdleTimeoutError) as info:
        asyncio.run(collect(stream))
    assert pings == [0.5, 1.0, 1.5, 2.0, 2.5]
    assert info.value.partial_text == "Hello"


def test_async_stream_json_body() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=completion("not streamed"))

    stream = async_client(handler).astream_chat(REQUEST)
    assert asyncio.run(collect(stream)) == ["not streamed"]
    assert stream.result is not None and stream.result.text == "not streamed"


# ---------------------------------------------------------------- a real loopback server


class _ChatHandler(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", 0))
        payload = json.loads(self.rfile.read(length))
        type(self).requests.append({"path": self.path, "auth": self.headers["Authorization"]})
        if payload.get("stream"):
            body = sse(delta_chunk("streamed", role="assistant"), LAST)
            content_type = "text/event-stream"
        else:
            body = json.dumps(completion(f"hello #{len(type(self).requests)}")).encode()
            content_type = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-request-id", "req-loopback")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[str]:
    _ChatHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ChatHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_same_client_in_two_consecutive_asyncio_runs(loopback: str) -> None:
    client = AIHubMixClient(api_key=KEY, base_url=loopback)  # no async client passed
    first = asyncio.run(client.achat(REQUEST))
    second = asyncio.run(client.achat(REQUEST))
    assert first.text == "hello #1"
    assert second.text == "hello #2"
    assert second.request_id == "req-loopback"

    async def streamed() -> str:
        stream = client.astream_chat(REQUEST)
        text = "".join([d.content async for d in stream])
        await client.aclose()
        return text

    assert asyncio.run(streamed()) == "streamed"
    assert asyncio.run(streamed()) == "streamed"
    assert [r["path"] for r in _ChatHandler.requests] == ["/v1/chat/completions"] * 4
    assert all(r["auth"] == f"Bearer {KEY}" for r in _ChatHandler.requests)


def test_sync_client_against_loopback(loopback: str) -> None:
    with AIHubMixClient(api_key=KEY, base_url=loopback) as client:
        assert client.chat(REQUEST).text == "hello #1"
        stream = client.stream_chat(REQUEST)
        assert "".join(d.content for d in stream) == "streamed"
        assert stream.result is not None and stream.result.request_id == "req-loopback"


def test_nonsense_retry_after_falls_back_to_backoff(make_client, sleeps) -> None:
    calls: list[int] = []
    client = make_client(failing(429, calls, headers={"Retry-After": "nan"}), max_retries=1)
    with pytest.raises(RateLimitError) as info:
        client.chat(REQUEST)
    assert info.value.retry_after is None
    (delay,) = sleeps
    assert 0 < delay <= RetryPolicy().initial_delay
    assert parse_retry_after("NaN") is None
    assert parse_retry_after("inf") == float("inf")  # the policy gives up on it
    assert RetryPolicy().delay(0, status_error(429, retry_after=float("inf"))) is None


def test_error_body_that_fails_to_read_is_still_mapped(make_client, sleeps) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)

        def body() -> Iterator[bytes]:
            raise httpx.ReadError("reset while reading the error body")
            yield b""  # pragma: no cover

        return httpx.Response(502, content=body())

    # a streamed request reads the error body itself (a plain one is read inside httpx)
    with pytest.raises(ServerError, match="empty reply"):
        list(make_client(handler, max_retries=1).stream_chat(REQUEST))
    assert len(calls) == 2


def test_async_error_body_that_fails_to_read_is_still_mapped(sleeps) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        async def body() -> AsyncIterator[bytes]:
            raise httpx.ReadError("reset")
            yield b""  # pragma: no cover

        return httpx.Response(401, content=body())

    with pytest.raises(AuthenticationError, match="empty reply"):
        asyncio.run(collect(async_client(handler).astream_chat(REQUEST)))


@pytest.mark.parametrize("use_async", [False, True])
def test_last_event_without_trailing_blank_line(make_client, use_async: bool) -> None:
    """A server that closes right after its last ``data:`` line still delivers that event."""
    body = (
        sse(FIRST, done=False)
        + b'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}'
    )
    if use_async:

        async def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

        async def main():
            stream = async_client(handler).astream_chat(REQUEST)
            return [d async for d in stream], stream.result

        _, result = asyncio.run(main())
    else:
        stream = make_client(lambda r: stream_response(body)).stream_chat(REQUEST)
        list(stream)
        result = stream.result
    assert result is not None
    assert (result.text, result.finish_reason) == ("Hello", "stop")


def test_idle_timeout_can_be_turned_off(make_client) -> None:
    from aihubmix_core import ClientConfig
    from aihubmix_core._http.requests import RequestFactory

    def _timeout(config: ClientConfig, *, stream: bool) -> httpx.Timeout:
        return RequestFactory(config).timeout(stream=stream)

    config = ClientConfig(api_key=KEY, stream_idle_timeout=None, timeout=None)
    assert _timeout(config, stream=True).read is None
    assert _timeout(ClientConfig(api_key=KEY, timeout=None), stream=True).read == 300.0
    assert _timeout(ClientConfig(api_key=KEY, timeout=30), stream=True).read == 30
    assert _timeout(ClientConfig(api_key=KEY, timeout=30), stream=False).read == 30

    def handler(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            yield sse(FIRST, done=False)
            for _ in range(3):
                time.sleep(0.05)
                yield b": ping\n\n"
            yield sse(LAST)

        return stream_response(body())

    client = AIHubMixClient(
        config=ClientConfig(api_key=KEY, stream_idle_timeout=None),
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    stream = client.stream_chat(REQUEST)
    assert "".join(d.content for d in stream) == "Hello"


# ---------------------------------------------------------------- real timeouts on loopback


class _SlowStreamHandler(BaseHTTPRequestHandler):
    """Sends one event, then stays silent (no bytes at all) until the test ends, when it
    sends the rest: only a read timeout can end the stream before that."""

    protocol_version = "HTTP/1.1"
    silence = 60.0
    """The longest silence, should a test's fixture never end it."""
    end_of_test: threading.Event
    first_event = True

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            if type(self).first_event:
                self._chunk(sse(FIRST, done=False))
            type(self).end_of_test.wait(type(self).silence)
            self._chunk(sse(LAST))
            self.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client gave up, as it should
            pass

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def slow_server() -> Iterator[tuple[str, type[_SlowStreamHandler]]]:
    handler = type("Handler", (_SlowStreamHandler,), {"end_of_test": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", handler
    finally:
        handler.end_of_test.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_silent_stream_hits_idle_timeout_on_a_real_socket(slow_server) -> None:
    base_url, _ = slow_server
    client = AIHubMixClient(api_key=KEY, base_url=base_url, stream_idle_timeout=0.3)
    started = time.monotonic()
    with pytest.raises(StreamIdleTimeoutError) as info:
        list(client.stream_chat(REQUEST))  # the server is silent until the test ends
    assert time.monotonic() - started >= 0.3
    assert info.value.partial_text == "Hello"
    client.close()


def test_async_silent_stream_hits_idle_timeout_on_a_real_socket(slow_server) -> None:
    base_url, _ = slow_server
    client = AIHubMixClient(api_key=KEY, base_url=base_url, stream_idle_timeout=0.3)

    async def main() -> None:
        try:
            await collect(client.astream_chat(REQUEST))
        finally:
            await client.aclose()

    started = time.monotonic()
    with pytest.raises(StreamIdleTimeoutError) as info:
        asyncio.run(main())  # the server is silent until the test ends
    assert time.monotonic() - started >= 0.3
    assert info.value.partial_text == "Hello"


def test_silence_before_first_event_is_retried_then_raised(slow_server, sleeps) -> None:
    base_url, handler = slow_server
    handler.first_event = False
    client = AIHubMixClient(api_key=KEY, base_url=base_url, stream_idle_timeout=0.2, max_retries=1)
    with pytest.raises(StreamIdleTimeoutError) as info:
        list(client.stream_chat(REQUEST))
    assert len(sleeps) == 1  # one retry, then the error
    assert info.value.partial_text == ""
    client.close()
