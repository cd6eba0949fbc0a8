"""Errors that match what happened, in the LlamaIndex adapter: an error object in a 200
reply or as a stream event is classified by its text, and a stream error's partial reply
is a LlamaIndex ``ChatResponse``."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, ChatResponse
from testkit import KEY, delta_chunk

from aihubmix_core import ModelNotAvailableError, UpstreamStreamError

WRONG_MODEL = {
    "error": {
        "message": "Incorrect model ID gpt-9",
        "type": "invalid_request_error",
        "code": "model_not_found",
    }
}
HI = [ChatMessage(role="user", content="hi")]


def test_a_wrong_model_in_a_200_body(mock_llm: Any) -> None:
    llm, sent = mock_llm(body=WRONG_MODEL, api_key=KEY, model="gpt-9")
    with pytest.raises(ModelNotAvailableError) as info:
        llm.chat(HI)
    assert "status 500" not in str(info.value) and len(sent.requests) == 1


def test_a_wrong_model_as_the_first_stream_event(mock_llm: Any) -> None:
    llm, _ = mock_llm(chunks=[WRONG_MODEL], api_key=KEY, model="gpt-9")
    with pytest.raises(ModelNotAvailableError) as info:
        list(llm.stream_chat(HI))
    assert "retry the request" not in str(info.value)
    assert "https://aihubmix.com/models" in str(info.value)
    assert isinstance(info.value.partial_response, ChatResponse)  # type: ignore[attr-defined]


def test_a_stream_errors_partial_reply_is_a_chat_response(mock_llm: Any) -> None:
    broken = {"error": {"message": "upstream overloaded", "type": "upstream_error"}}
    llm, _ = mock_llm(chunks=[delta_chunk("Hel"), delta_chunk("lo"), broken], api_key=KEY)
    with pytest.raises(UpstreamStreamError) as info:
        list(llm.stream_chat(HI))
    partial = info.value.partial_response  # type: ignore[attr-defined]
    assert isinstance(partial, ChatResponse)
    assert partial.message.content == "Hello"
    assert info.value.partial_text == "Hello"  # the core's view stays


async def test_async_streams_and_completions_too(mock_llm: Any) -> None:
    broken = {"error": {"message": "upstream overloaded", "type": "upstream_error"}}
    llm, _ = mock_llm(chunks=[delta_chunk("Hel"), broken], api_key=KEY)
    with pytest.raises(UpstreamStreamError) as info:
        async for _ in await llm.astream_chat(HI):
            pass
    assert info.value.partial_response.message.content == "Hel"  # type: ignore[attr-defined]
    with pytest.raises(UpstreamStreamError) as info:
        async for _ in await llm.astream_complete("hi"):
            pass
    assert info.value.partial_response.message.content == "Hel"  # type: ignore[attr-defined]
