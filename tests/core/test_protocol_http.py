"""What the HTTP layer does for the Responses and Messages routes: the key as Anthropic's
``x-api-key`` (and no ``Authorization``) with the protocol version header, the end of a
stream that sends no ``[DONE]``, and Anthropic-shaped error bodies as the same typed errors."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from testkit import KEY

from aihubmix_core import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    ServerError,
    error_from_body,
)
from aihubmix_core._http.executor import Call
from aihubmix_core._http.stream_body import StreamBody
from aihubmix_core.error_mapping import ERROR_TYPE_STATUS, status_of_error

ANTHROPIC = (("anthropic-version", "2023-06-01"),)


def _anthropic(kind: str, message: str = "went wrong") -> bytes:
    return json.dumps({"type": "error", "error": {"type": kind, "message": message}}).encode()


def test_x_api_key_replaces_authorization(make_client: Any) -> None:
    seen: list[httpx.Headers] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(200, json={"ok": True})

    executor = make_client(handler).sync_executor
    executor.json(Call("POST", "messages", {"a": 1}, auth_style="x-api-key", headers=ANTHROPIC))
    executor.json(Call("POST", "chat/completions", {"a": 1}))
    anthropic, openai = seen
    assert anthropic["x-api-key"] == KEY
    assert "authorization" not in anthropic
    assert anthropic["anthropic-version"] == "2023-06-01"
    assert openai["authorization"] == f"Bearer {KEY}"
    assert "x-api-key" not in openai and "anthropic-version" not in openai


def test_x_api_key_goes_only_to_the_configured_gateway(make_client: Any) -> None:
    seen: dict[str, httpx.Headers] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.host] = request.headers
        return httpx.Response(200, json={"ok": True})

    executor = make_client(handler).sync_executor
    executor.json(
        Call("POST", "https://elsewhere.example.com/v1/messages", {}, auth_style="x-api-key")
    )
    assert "x-api-key" not in seen["elsewhere.example.com"]
    assert "authorization" not in seen["elsewhere.example.com"]


def test_the_caller_default_headers_still_come_last(make_client: Any) -> None:
    seen: list[httpx.Headers] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(200, json={"ok": True})

    client = make_client(handler, default_headers={"anthropic-beta": "prompt-caching-2024-07-31"})
    client.sync_executor.json(
        Call("POST", "messages", {}, auth_style="x-api-key", headers=ANTHROPIC)
    )
    assert seen[0]["anthropic-beta"] == "prompt-caching-2024-07-31"


@pytest.mark.parametrize(
    "name", ["response.completed", "response.incomplete", "response.failed", "message_stop"]
)
def test_a_protocol_final_event_ends_the_stream(name: str) -> None:
    body = StreamBody("text/event-stream")
    events = body.feed(f'event: {name}\ndata: {{"type": "{name}"}}\n\n'.encode())
    assert [event.event for event in events] == [name]
    assert body.done


def test_other_named_events_do_not_end_the_stream() -> None:
    body = StreamBody("text/event-stream")
    body.feed(b'event: content_block_stop\ndata: {"type": "content_block_stop"}\n\n')
    body.feed(b'event: response.output_item.done\ndata: {"type": "x"}\n\n')
    assert not body.done


@pytest.mark.parametrize(
    ("kind", "status", "error"),
    [
        ("overloaded_error", 529, ServerError),
        ("rate_limit_error", 429, RateLimitError),
        ("authentication_error", 401, AuthenticationError),
        ("invalid_request_error", 400, BadRequestError),
        ("not_found_error", 404, NotFoundError),
        ("api_error", 500, ServerError),
    ],
)
def test_anthropic_error_bodies_map_to_the_same_typed_errors(
    kind: str, status: int, error: type[Exception]
) -> None:
    with_status = error_from_body(status, _anthropic(kind))
    assert type(with_status) is error
    assert with_status.status_code == status and with_status.error_type == kind
    assert with_status.upstream_message == "went wrong"
    # Without a telling status (a 200 reply carrying the error), the type decides the
    # class; the status reported stays the one that came (no made-up status).
    from_type = error_from_body(200, _anthropic(kind))
    assert type(from_type) is error and from_type.status_code == 200


def test_status_of_error_prefers_a_numeric_code() -> None:
    assert status_of_error({"code": 429, "type": "server_error"}) == 429
    assert status_of_error({"code": "503"}) == 503
    assert status_of_error({"code": "server_error"}) == 500
    assert status_of_error({"type": "overloaded_error"}) == 529
    assert status_of_error("boom") == 500
    assert ERROR_TYPE_STATUS["rate_limit_error"] == 429
