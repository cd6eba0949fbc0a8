"""The AIHubMix LLM against recorded AIHubMix traffic (cassettes; network blocked in replay)."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from llama_index.core.base.llms.types import (
    ChatMessage,
    ImageBlock,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)
from llama_index.core.tools import FunctionTool

from aihubmix_core import AuthenticationError, BadRequestError, ModelNotAvailableError
from llama_index_aihubmix import AIHubMix

pytestmark = pytest.mark.vcr

CAPITAL = [ChatMessage(role="user", content="What is the capital of France?")]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"Sunny and 24 degrees in {city}"


WEATHER = FunctionTool.from_defaults(get_weather)


def test_chat() -> None:
    response = AIHubMix().chat(CAPITAL)
    assert response.message.content == "The capital of France is Paris."
    usage = response.raw["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    assert response.additional_kwargs["prompt_tokens"] == usage["prompt_tokens"]


def test_stream_chat() -> None:
    responses = list(AIHubMix().stream_chat(CAPITAL))
    assert len(responses) > 2
    assert "".join(r.delta or "" for r in responses) == "The capital of France is Paris."
    assert responses[-1].message.content == "The capital of France is Paris."
    assert responses[-1].raw["usage"]["completion_tokens"] > 0


async def test_async_chat_and_stream() -> None:
    llm = AIHubMix()
    assert (await llm.achat(CAPITAL)).message.content == "The capital of France is Paris."
    deltas = [r.delta async for r in await llm.astream_chat(CAPITAL)]
    assert "".join(d or "" for d in deltas) == "The capital of France is Paris."


def test_complete_and_stream_complete() -> None:
    llm = AIHubMix()
    assert llm.complete("Tell me a joke").text.startswith("Why did the cat")
    parts = list(llm.stream_complete("Tell me a joke"))
    assert parts[-1].text == "".join(p.delta or "" for p in parts)
    assert parts[-1].text.startswith("Why did the cat")


async def test_async_complete_and_stream_complete() -> None:
    llm = AIHubMix()
    assert (await llm.acomplete("Tell me a joke")).text.startswith("Why did the cat")
    parts = [p async for p in await llm.astream_complete("Tell me a joke")]
    assert parts[-1].text.startswith("Why did the cat")


def test_stop_and_max_tokens() -> None:
    llm = AIHubMix(max_tokens=3)
    response = llm.chat(CAPITAL)
    assert response.raw["finish_reason"] == "length"
    assert len(response.message.content or "") <= 12
    stopped = AIHubMix().chat(CAPITAL, stop=["Paris"])
    assert stopped.message.content == "The capital of France is "


def test_reasoning_model_with_max_tokens_is_accepted() -> None:
    # o-series models reject max_tokens; the request carries max_completion_tokens instead.
    response = AIHubMix(model="o4-mini", max_tokens=200).chat(CAPITAL)
    assert response.message.content == "The capital of France is Paris."
    thinking = response.message.blocks[0]
    assert isinstance(thinking, ThinkingBlock) and thinking.content


def test_image_blocks_by_url_and_base64() -> None:
    message = ChatMessage(
        role="user",
        blocks=[
            TextBlock(text="Describe these two images in one word each."),
            ImageBlock(url="https://aihubmix.com/static/cat.png"),
            ImageBlock(image=PNG, image_mimetype="image/png"),
        ],
    )
    response = AIHubMix().chat([message])
    assert response.message.content
    assert response.raw["usage"]["prompt_tokens"] > 0


def test_tool_call_round_trip() -> None:
    llm = AIHubMix()
    first = llm.chat_with_tools(
        [WEATHER], user_msg="What is the weather in Paris? Use get_weather."
    )
    [call] = llm.get_tool_calls_from_response(first)
    assert (call.tool_name, call.tool_kwargs) == ("get_weather", {"city": "Paris"})
    history = [
        ChatMessage(role="user", content="What is the weather in Paris? Use get_weather."),
        first.message,
        ChatMessage(
            role="tool",
            content=get_weather(**call.tool_kwargs),
            additional_kwargs={"tool_call_id": call.tool_id},
        ),
    ]
    final = llm.chat_with_tools([WEATHER], chat_history=history)
    assert final.message.content == "Based on the tool results: Sunny and 24 degrees in Paris."


def test_claude_reasoning_details_round_trip() -> None:
    """Claude with thinking needs its signed reasoning_details back, unchanged, in a tool loop."""
    sent: list[dict[str, Any]] = []

    def keep(request: httpx.Request) -> None:
        sent.append(json.loads(request.content))

    llm = AIHubMix(
        model="claude-sonnet-4-5",
        reasoning_effort="low",
        http_client=httpx.Client(event_hooks={"request": [keep]}),
    )
    prompt = ChatMessage(role="user", content="What is the weather in Paris? Use get_weather.")
    streamed = list(llm.stream_chat_with_tools([WEATHER], chat_history=[prompt]))
    last = streamed[-1]
    assert any(r.additional_kwargs.get("thinking_delta") for r in streamed)
    assert isinstance(last.message.blocks[0], ThinkingBlock)
    details = last.message.additional_kwargs["reasoning_details"]
    assert details[0]["signature"]
    [call] = llm.get_tool_calls_from_response(last)
    tool_reply = ChatMessage(
        role="tool", content="Sunny", additional_kwargs={"tool_call_id": call.tool_id}
    )
    final = llm.chat_with_tools([WEATHER], chat_history=[prompt, last.message, tool_reply])
    assert final.message.content == "Based on the tool results: Sunny."
    assistant = sent[1]["messages"][1]
    assert assistant["reasoning_details"] == details
    assert assistant["tool_calls"][0]["id"] == call.tool_id


def test_streamed_tool_calls() -> None:
    llm = AIHubMix()
    responses = list(
        llm.stream_chat_with_tools(
            [WEATHER], user_msg="Use get_weather for Paris", tool_required=True
        )
    )
    blocks = [b for b in responses[-1].message.blocks if isinstance(b, ToolCallBlock)]
    assert [(b.tool_name, b.tool_kwargs) for b in blocks] == [("get_weather", {"city": "Paris"})]


def test_unknown_model_error() -> None:
    with pytest.raises(ModelNotAvailableError, match="Incorrect model ID") as info:
        AIHubMix(model="no-such-model").chat(CAPITAL)
    assert info.value.status_code == 400


async def test_unknown_model_error_while_streaming() -> None:
    with pytest.raises(ModelNotAvailableError):
        async for _ in await AIHubMix(model="no-such-model").astream_chat(CAPITAL):
            pass


def test_invalid_key_error() -> None:
    with pytest.raises(AuthenticationError, match="AIHUBMIX_API_KEY"):
        AIHubMix(api_key="invalid-key").chat(CAPITAL)


def test_tool_choice_without_tools_is_never_sent() -> None:
    # The gateway answers 400 to tool_choice without tools; the request must not carry it.
    response = AIHubMix().chat(CAPITAL, tool_choice="required")
    assert response.message.content == "The capital of France is Paris."


def test_bad_request_is_a_bad_request_error() -> None:
    with pytest.raises(BadRequestError):
        AIHubMix(model="gpt-5-mini").chat(CAPITAL, extra_body={"max_tokens": 10})
