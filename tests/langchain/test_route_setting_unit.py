"""The ``route`` setting of ``ChatAIHubMix`` and the tool cache markers, over mock
transports: where a call goes, and what each route's body carries."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from langchain_core.tools import tool
from pydantic import ValidationError
from testkit import KEY

from aihubmix_core import ConfigurationError
from langchain_aihubmix import ChatAIHubMix

MESSAGE = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5",
    "content": [{"type": "text", "text": "Hi."}],
    "stop_reason": "end_turn",
    "usage": {"input_tokens": 3, "output_tokens": 2, "cache_read_input_tokens": 7},
}


@tool(extras={"cache_control": {"type": "ephemeral"}})
def lookup(part: str) -> str:
    """Find a spare part."""
    return part


def _model(seen: list[httpx.Request], mock_http: Any, **kwargs: Any) -> ChatAIHubMix:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/messages"):
            return httpx.Response(200, json=MESSAGE)
        body = {
            "id": "c",
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "Hi."},
                    "finish_reason": "stop",
                }
            ],
        }
        return httpx.Response(200, json=body)

    return ChatAIHubMix(
        model="claude-sonnet-4-5", api_key=KEY, http_client=mock_http.client(handler), **kwargs
    )


def test_the_route_setting_and_a_per_call_override(mock_http: Any) -> None:
    seen: list[httpx.Request] = []
    chat = _model(seen, mock_http, route="messages")
    reply = chat.invoke("hello")
    assert reply.text == "Hi." and reply.usage_metadata["input_token_details"]["cache_read"] == 7  # type: ignore[index]
    chat.invoke("hello", route="chat")
    assert [r.url.path for r in seen] == ["/v1/messages", "/v1/chat/completions"]
    assert chat._default_params["route"] == "messages"
    assert "route" not in _model(seen, mock_http)._default_params  # unset stays out of traces


def test_a_wrong_route_is_refused() -> None:
    with pytest.raises(ValidationError):
        ChatAIHubMix(model="gpt-4o-mini", route="anthropic")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        ChatAIHubMix(model="gpt-4o-mini", api_key=KEY).invoke("hi", route="anthropic")


def test_tool_cache_markers_reach_messages_but_not_chat(mock_http: Any) -> None:
    seen: list[httpx.Request] = []
    anthropic_tool = {
        "name": "find",
        "input_schema": {"type": "object", "properties": {}},
        "cache_control": {"type": "ephemeral"},
    }
    chat = _model(seen, mock_http).bind_tools([lookup, anthropic_tool])
    chat.invoke("hello", route="messages")
    chat.invoke("hello")
    import json

    messages_body, chat_body = (json.loads(r.content) for r in seen)
    assert [t.get("cache_control") for t in messages_body["tools"]] == [{"type": "ephemeral"}] * 2
    assert all("cache_control" not in t for t in chat_body["tools"])
