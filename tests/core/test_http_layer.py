"""The HTTP layer on its own terms: redirects, where the key goes, finished streams whose
connection misbehaves, replies in one piece, and the pure stream body."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from testkit import KEY, completion, delta_chunk, sse

from aihubmix_core import (
    AIHubMixClient,
    APIConnectionError,
    ChatRequest,
    ConfigurationError,
    Message,
    RedirectError,
    StreamIdleTimeoutError,
)
from aihubmix_core._http.executor import Call, SyncExecutor
from aihubmix_core._http.stream_body import StreamBody
from aihubmix_core.error_mapping import IdleLimit

REQUEST = ChatRequest(model="gpt-4o-mini", messages=[Message(role="user", content="Hi")])


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_typed_error_and_is_not_followed(status: int, make_client: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, headers={"location": "http://elsewhere.example/v1/x"})

    client = make_client(handler, default_headers={"X-Team": "secret-team"})
    with pytest.raises(RedirectError) as info:
        client.chat(REQUEST)
    assert len(seen) == 1  # neither followed nor retried
    assert info.value.status_code == status
    assert "http://elsewhere.example/v1/x" in str(info.value)
    assert "base_url" in str(info.value)


def test_a_redirect_is_not_followed_by_async_calls_either() -> None:
    seen: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(307, headers={"location": "https://other.example/v1/chat"})

    async def run() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            client = AIHubMixClient(api_key=KEY, async_http_client=http)
            with pytest.raises(RedirectError, match=r"other\.example"):
                await client.achat(REQUEST)
            with pytest.raises(RedirectError):
                async for _ in client.astream_chat(REQUEST):
                    pass

    asyncio.run(run())
    assert seen == ["https://aihubmix.com/v1/chat/completions"] * 2


def test_our_own_pools_do_not_follow_redirects() -> None:
    client = AIHubMixClient(api_key=KEY)
    assert client.sync_executor.pool.client().follow_redirects is False


def test_the_key_goes_only_to_the_configured_gateway(make_client: Any) -> None:
    headers: dict[str, str | None] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        headers[request.url.host] = request.headers.get("authorization")
        return httpx.Response(200, json={"ok": True})

    executor = make_client(handler).sync_executor
    executor.json(Call("GET", "models"))
    executor.json(Call("GET", "https://cdn.example.com/result.json"))
    executor.json(Call("GET", "http://aihubmix.com/v1/models"))  # same host, other scheme
    assert headers["aihubmix.com"] is None
    assert headers["cdn.example.com"] is None
    executor.json(Call("GET", "https://aihubmix.com/v1/videos/1"))
    assert headers["aihubmix.com"] == f"Bearer {KEY}"


def test_multipart_calls_send_files_and_fields(make_client: Any) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"text": "hello"})

    executor: SyncExecutor = make_client(handler).sync_executor
    call = Call(
        "POST",
        "audio/transcriptions",
        data={"model": "whisper-1"},
        files={"file": ("clip.mp3", b"ID3-bytes", "audio/mpeg")},
    )
    assert executor.json(call).body == {"text": "hello"}
    request = sent[0]
    request.read()
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'filename="clip.mp3"' in request.content and b"ID3-bytes" in request.content
    assert b'name="model"' in request.content and b"whisper-1" in request.content


def _done_then_broken() -> Iterator[bytes]:
    yield sse(delta_chunk("Hello", finish="stop"))  # ends with data: [DONE]
    raise httpx.RemoteProtocolError("peer closed connection without the chunked terminator")


def test_a_finished_stream_stays_finished_when_the_connection_then_breaks(
    make_client: Any,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, content=_done_then_broken()
        )

    stream = make_client(handler).stream_chat(REQUEST)
    assert "".join(delta.content for delta in stream) == "Hello"
    assert stream.result is not None and stream.result.finish_reason == "stop"


def test_a_finished_async_stream_stays_finished_when_the_connection_then_breaks() -> None:
    async def body() -> AsyncIterator[bytes]:
        for piece in _done_then_broken():
            yield piece

    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    async def run() -> str:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            stream = AIHubMixClient(api_key=KEY, async_http_client=http).astream_chat(REQUEST)
            return "".join([delta.content async for delta in stream])

    assert asyncio.run(run()) == "Hello"


def test_a_stream_request_answered_in_one_piece_gives_the_same_deltas(make_client: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=completion("Whole reply"), headers={"x-request-id": "r1"})

    stream = make_client(handler).stream_chat(REQUEST)
    deltas = list(stream)
    assert [d.content for d in deltas] == ["Whole reply"]
    assert deltas[-1].finish_reason == "stop" and deltas[-1].usage is not None
    assert stream.result is not None and stream.result.request_id == "r1"


@pytest.mark.parametrize(
    ("timeout", "idle", "expected"),
    [
        (600.0, 300.0, (300.0, "stream_idle_timeout")),
        (3.0, 300.0, (3.0, "timeout")),
        (None, 300.0, (300.0, "stream_idle_timeout")),
        (5.0, None, (5.0, "timeout")),
        (None, None, None),
    ],
)
def test_the_idle_limit_is_the_smaller_setting(
    timeout: float | None, idle: float | None, expected: tuple[float, str] | None
) -> None:
    limit = IdleLimit.of(timeout, idle)
    assert (None if limit is None else (limit.seconds, limit.setting)) == expected


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_stream_body_counts_only_events_against_the_idle_limit() -> None:
    clock = _Clock()
    body = StreamBody("text/event-stream", limit=IdleLimit(2.0, "timeout"), clock=clock)
    assert body.feed(b": keep-alive\n\n") == []
    clock.now += 1.5
    assert [e.data for e in body.feed(b'data: {"a": 1}\n\n')] == ['{"a": 1}']
    assert body.started and not body.done
    clock.now += 1.9
    body.feed(b": keep-alive\n\n")  # 1.9 s since the last event: still within the limit
    clock.now += 0.2
    with pytest.raises(StreamIdleTimeoutError, match=r"for 2 s \(timeout\)"):
        body.feed(b": keep-alive\n\n")


def test_stream_body_knows_when_the_answer_is_complete() -> None:
    clock = _Clock()
    body = StreamBody("text/event-stream; charset=utf-8", limit=IdleLimit(1.0, "x"), clock=clock)
    body.feed(b"data: {}\n\ndata: [DONE]\n\n")
    assert body.done
    clock.now += 50
    assert body.feed(b": anything after the end\n\n") == []  # no idle error once done


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("text/event-stream", "sse"),
        ("application/json; charset=utf-8", "json"),
        ("text/html", "other"),
        ("text/plain; charset=utf-8", "other"),
        ("", "sse"),
    ],
)
def test_stream_body_reads_the_kind_of_reply_from_its_content_type(
    content_type: str, kind: str
) -> None:
    assert StreamBody(content_type).kind == kind


def test_an_unreachable_proxy_from_the_environment_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://user:proxy-secret@127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    client = AIHubMixClient(api_key=KEY, max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        client.chat(REQUEST)
    text = str(info.value)
    assert "through the proxy http://127.0.0.1:9" in text and "NO_PROXY=aihubmix.com" in text
    assert "proxy-secret" not in text


def test_a_socks_proxy_without_socksio_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:9")
    client = AIHubMixClient(api_key=KEY, max_retries=0)
    with pytest.raises(ConfigurationError, match=r"ALL_PROXY.*httpx\[socks\]"):
        client.chat(REQUEST)

    async def run() -> None:
        with pytest.raises(ConfigurationError, match="ALL_PROXY"):
            await client.achat(REQUEST)

    asyncio.run(run())


@pytest.mark.parametrize(
    ("content", "sent"),
    [("smile \ud83d\ude00", "smile \U0001f600"), ("half \ud83d here", "half \ufffd here")],
    ids=["split-pair-joined", "lone-half-replaced"],
)
def test_surrogates_in_a_prompt_are_sent_as_valid_utf8(
    content: str, sent: str, make_client: Any
) -> None:
    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        return httpx.Response(200, json=completion())

    request = ChatRequest(model="gpt-4o-mini", messages=[Message(role="user", content=content)])
    make_client(handler).chat(request)
    assert json.loads(bodies[0].decode("utf-8"))["messages"][0]["content"] == sent
