"""The ``route`` setting of LlamaIndex's ``AIHubMix``, over mock transports."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from pydantic import ValidationError
from testkit import KEY

from llama_index_aihubmix import AIHubMix

RESPONSE = {
    "id": "resp_1",
    "object": "response",
    "model": "gpt-5-pro",
    "status": "completed",
    "output": [
        {
            "type": "message",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Hi."}],
        }
    ],
    "usage": {
        "input_tokens": 4,
        "input_tokens_details": {"cached_tokens": 2},
        "output_tokens": 2,
        "total_tokens": 6,
    },
}
MESSAGES = [ChatMessage(role=MessageRole.USER, content="hello")]


def test_auto_sends_responses_only_models_to_responses_and_a_call_may_override(
    mock_http: Any,
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/responses"):
            return httpx.Response(200, json=RESPONSE)
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

    llm = AIHubMix(model="gpt-5-pro", api_key=KEY, http_client=mock_http.client(handler))
    assert llm.route is None
    response = llm.chat(MESSAGES)
    assert response.message.content == "Hi." and response.additional_kwargs["cached_tokens"] == 2
    llm.chat(MESSAGES, route="chat")
    assert [r.url.path for r in seen] == ["/v1/responses", "/v1/chat/completions"]


def test_a_wrong_route_is_refused() -> None:
    with pytest.raises(ValidationError):
        AIHubMix(model="gpt-4o-mini", route="anthropic")
