"""Route selection and the client's chat methods on every route: the path, the headers,
the body each protocol wants, and one result type back, sync and async, streamed or not,
with the same retries, typed errors and key redaction as the chat route."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from testkit import KEY

from aihubmix_core import (
    AIHubMixClient,
    AuthenticationError,
    ChatRequest,
    ChatResult,
    ConfigurationError,
    Message,
    RateLimitError,
    ServerError,
    UpstreamStreamError,
    resolve_route,
    responses_only,
)
from aihubmix_testing.emulator import serve_in_thread
from aihubmix_testing.emulator.messages_events import stream_events as messages_events
from aihubmix_testing.emulator.protocols import named_events
from aihubmix_testing.emulator.responses_events import stream_events as responses_events

RESPONSE = {
    "id": "resp_1",
    "object": "response",
    "model": "gpt-5-pro",
    "status": "completed",
    "output": [
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Hello there.", "annotations": []}],
        }
    ],
    "usage": {"input_tokens": 5, "output_tokens": 3, "total_tokens": 8},
}
MESSAGE = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5",
    "content": [{"type": "text", "text": "Hello there."}],
    "stop_reason": "end_turn",
    "usage": {"input_tokens": 5, "output_tokens": 3},
}
CHAT = {
    "id": "c1",
    "object": "chat.completion",
    "model": "gpt-4o-mini",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Hello there."},
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8},
}
CHAT_SSE = (
    b'data: {"id":"c1","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello there."},"finish_reason":"stop"}]}\n\n'
    b'data: {"id":"c1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}\n\n'
    b"data: [DONE]\n\n"
)
ROUTES: dict[str, tuple[str, str, Any, bytes]] = {
    "chat": ("gpt-4o-mini", "/v1/chat/completions", CHAT, CHAT_SSE),
    "responses": (
        "gpt-5-pro",
        "/v1/responses",
        RESPONSE,
        b"".join(named_events(responses_events(RESPONSE))),
    ),
    "messages": (
        "claude-sonnet-4-5",
        "/v1/messages",
        MESSAGE,
        b"".join(named_events(messages_events(MESSAGE))),
    ),
}


def test_auto_uses_chat_except_for_responses_only_models() -> None:
    assert resolve_route(None, "gpt-4o-mini") == "chat"
    assert resolve_route("auto", "claude-sonnet-4-5") == "chat"
    for model in (
        "gpt-5-pro",
        "gpt-5-codex",
        "gpt-5.1-codex-mini",
        "o3-pro",
        "o1-pro-2025-03-19",
        "openai/o3-pro",
        "codex-mini-latest",
        "o3-deep-research",
    ):
        assert responses_only(model), model
        assert resolve_route("auto", model) == "responses"
    for model in ("gpt-5", "gpt-5-mini", "o3", "o4-mini", "gpt-5-chat-latest", "claude-opus-4-1"):
        assert not responses_only(model), model
    assert resolve_route("auto", "my-model", needs_responses=True) == "responses"
    assert resolve_route("auto", "gpt-5-pro", needs_responses=False) == "chat"


def test_an_explicit_route_wins_and_a_wrong_one_is_refused() -> None:
    assert resolve_route("messages", "gpt-4o") == "messages"
    assert resolve_route("chat", "gpt-5-pro") == "chat"
    with pytest.raises(ConfigurationError, match="'chat', 'responses', 'messages', 'auto'"):
        resolve_route("anthropic", "claude")


def _answering(route: str, seen: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    _, _, whole, stream = ROUTES[route]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if json.loads(request.content).get("stream"):
            return httpx.Response(
                200, headers={"content-type": "text/event-stream"}, content=stream
            )
        return httpx.Response(200, json=whole)

    return handler


def _request(route: str | None, model: str) -> ChatRequest:
    return ChatRequest(
        model=model, messages=[Message("system", "Be kind."), Message("user", "Hi")], route=route
    )


def _all_four(client: AIHubMixClient, request: ChatRequest) -> list[ChatResult]:
    results = [client.chat(request)]
    stream = client.stream_chat(request)
    assert "".join(d.content for d in stream) == "Hello there."
    assert stream.result is not None
    results.append(stream.result)

    async def run() -> list[ChatResult]:
        whole = await client.achat(request)
        astream = client.astream_chat(request)
        text = "".join([d.content async for d in astream])
        assert text == "Hello there." and astream.result is not None
        return [whole, astream.result]

    return results + asyncio.run(run())


@pytest.mark.parametrize("route", list(ROUTES))
def test_every_client_method_takes_the_route_s_path_headers_and_body(
    route: str, mock_http: Any
) -> None:
    model, path, _, _ = ROUTES[route]
    seen: list[httpx.Request] = []
    client = AIHubMixClient(
        api_key=KEY,
        http_client=mock_http.client(_answering(route, seen)),
        async_http_client=mock_http.async_client(_answering(route, seen)),
    )
    results = _all_four(client, _request(route, model))
    assert {r.text for r in results} == {"Hello there."}
    assert {r.usage.total_tokens for r in results if r.usage} == {8}
    assert {r.finish_reason for r in results} == {"stop"}
    assert [r.url.path for r in seen] == [path] * 4
    for request in seen:
        body = json.loads(request.content)
        if route == "messages":
            assert request.headers["x-api-key"] == KEY and "authorization" not in request.headers
            assert request.headers["anthropic-version"] == "2023-06-01"
            assert (
                body["system"] == [{"type": "text", "text": "Be kind."}]
                and body["max_tokens"] == 4096
            )
        else:
            assert (
                request.headers["authorization"] == f"Bearer {KEY}"
                and "x-api-key" not in request.headers
            )
        if route == "responses":
            assert body["instructions"] == "Be kind." and body["input"] == [
                {"role": "user", "content": "Hi"}
            ]
            assert body["store"] is False


def test_auto_sends_responses_only_models_to_responses(mock_http: Any) -> None:
    seen: list[httpx.Request] = []
    client = AIHubMixClient(
        api_key=KEY, http_client=mock_http.client(_answering("responses", seen))
    )
    assert client.chat(_request(None, "gpt-5-pro")).text == "Hello there."
    assert seen[0].url.path == "/v1/responses"


@pytest.mark.parametrize("route", ["responses", "messages"])
def test_a_whole_reply_to_a_stream_request_is_parsed_by_the_route(
    route: str, make_client: Any
) -> None:
    model, _, whole, _ = ROUTES[route]
    client = make_client(lambda r: httpx.Response(200, json=whole))
    stream = client.stream_chat(_request(route, model))
    assert "".join(d.content for d in stream) == "Hello there."
    assert stream.result is not None and stream.result.usage is not None


@pytest.mark.parametrize("route", ["responses", "messages"])
def test_429_is_retried_then_raised_typed(
    route: str, make_client: Any, sleeps: list[float]
) -> None:
    model = ROUTES[route][0]
    body = (
        {"type": "error", "error": {"type": "rate_limit_error", "message": "slow down " + KEY}}
        if route == "messages"
        else {"error": {"message": "slow down " + KEY, "type": "rate_limit_exceeded"}}
    )
    client = make_client(lambda r: httpx.Response(429, json=body, headers={"retry-after": "1"}))
    with pytest.raises(RateLimitError) as caught:
        client.chat(_request(route, model))
    assert sleeps == [1.0, 1.0]
    assert KEY not in str(caught.value) and "***" in str(caught.value)
    with pytest.raises(RateLimitError):
        list(client.stream_chat(_request(route, model)))


def test_an_overloaded_messages_reply_is_a_server_error_and_retried(
    make_client: Any, sleeps: list[float]
) -> None:
    answers = iter(
        [
            httpx.Response(
                529,
                json={
                    "type": "error",
                    "error": {"type": "overloaded_error", "message": "Overloaded"},
                },
            ),
            httpx.Response(200, json=MESSAGE),
        ]
    )
    client = make_client(lambda r: next(answers))
    assert client.chat(_request("messages", "claude-sonnet-4-5")).text == "Hello there."
    assert len(sleeps) == 1
    failing = make_client(
        lambda r: httpx.Response(
            529,
            json={"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
        ),
        max_retries=0,
    )
    with pytest.raises(ServerError) as caught:
        failing.chat(_request("messages", "claude-sonnet-4-5"))
    assert caught.value.status_code == 529 and caught.value.error_type == "overloaded_error"


def _failing_stream(route: str) -> bytes:
    stream = ROUTES[route][3]
    lines = stream.split(b"\n\n")
    head = b"\n\n".join(lines[:5]) + b"\n\n"
    if route == "messages":
        error = b'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n'
    else:
        error = b'event: response.failed\ndata: {"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"Overloaded"}}}\n\n'
    return head + error


@pytest.mark.parametrize("route", ["responses", "messages"])
def test_a_failure_inside_the_stream_is_an_upstream_stream_error(
    route: str, make_client: Any
) -> None:
    body = _failing_stream(route)
    client = make_client(
        lambda r: httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)
    )
    with pytest.raises(UpstreamStreamError) as caught:
        list(client.stream_chat(_request(route, ROUTES[route][0])))
    assert "Overloaded" in str(caught.value)
    assert caught.value.partial is not None


@pytest.mark.parametrize("route", ["responses", "messages"])
def test_a_bad_key_is_an_authentication_error_from_the_emulator(route: str) -> None:
    with (
        serve_in_thread() as base_url,
        AIHubMixClient(api_key="invalid-key", base_url=base_url, max_retries=0) as client,
        pytest.raises(AuthenticationError),
    ):
        client.chat(_request(route, ROUTES[route][0]))


def test_our_own_pool_sends_x_api_key_alone() -> None:
    """Through a real socket, prepared headers included (second call): the emulator's
    Messages route refuses a request that carries Authorization too."""
    request = ChatRequest(
        model="claude-sonnet-4-5", messages=[Message("user", "hi")], route="messages"
    )
    with serve_in_thread() as base_url, AIHubMixClient(api_key=KEY, base_url=base_url) as client:
        assert client.chat(request).text
        assert client.chat(request).text
        assert asyncio.run(client.achat(request)).text
        chat = ChatRequest(model="gpt-4o-mini", messages=[Message("user", "hi")])
        assert client.chat(chat).text  # Bearer again on the chat route


def _messages_stream_then_broken() -> Iterator[bytes]:
    events = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {"id": "msg_1", "model": "claude", "usage": {"input_tokens": 3}},
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": "Hi"},
            },
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn"},
                "usage": {"output_tokens": 1},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    yield b"".join(f"event: {n}\ndata: {json.dumps(d)}\n\n".encode() for n, d in events)
    raise httpx.RemoteProtocolError("peer closed connection without the chunked terminator")


def test_a_finished_messages_stream_stays_finished_when_the_connection_breaks(
    make_client: Any,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"content-type": "text/event-stream"},
            content=_messages_stream_then_broken(),
        )

    request = ChatRequest(
        model="claude-sonnet-4-5", messages=[Message("user", "hi")], route="messages"
    )
    stream = make_client(handler).stream_chat(request)
    assert "".join(delta.content for delta in stream) == "Hi"
    assert stream.result is not None and stream.result.finish_reason == "stop"


def _silent_then_broken() -> Iterator[bytes]:
    raise httpx.ReadTimeout("no event in time")
    yield b""  # pragma: no cover - makes this a generator


@pytest.mark.parametrize("route", ["responses", "messages"])
def test_a_stream_that_fails_before_its_first_event_is_retried(
    route: str, make_client: Any, sleeps: list[float]
) -> None:
    model, _, _, stream = ROUTES[route]
    answers = iter(
        [
            httpx.Response(
                200, headers={"content-type": "text/event-stream"}, content=_silent_then_broken()
            ),
            httpx.Response(200, headers={"content-type": "text/event-stream"}, content=stream),
        ]
    )
    client = make_client(lambda r: next(answers))
    result = client.stream_chat(_request(route, model))
    assert "".join(d.content for d in result) == "Hello there."
    assert len(sleeps) == 1


@pytest.mark.parametrize("route", ["responses", "messages"])
def test_a_stream_that_goes_silent_midway_is_an_idle_timeout_with_the_partial_reply(
    route: str, make_client: Any
) -> None:
    from aihubmix_core import StreamIdleTimeoutError

    model, _, _, stream = ROUTES[route]
    head = b"\n\n".join(stream.split(b"\n\n")[:4]) + b"\n\n"

    def body() -> Iterator[bytes]:
        yield head
        raise httpx.ReadTimeout("silence")

    client = make_client(
        lambda r: httpx.Response(
            200, headers={"content-type": "text/event-stream"}, content=body()
        ),
        stream_idle_timeout=5,
    )
    with pytest.raises(StreamIdleTimeoutError) as caught:
        list(client.stream_chat(_request(route, model)))
    assert caught.value.partial is not None
