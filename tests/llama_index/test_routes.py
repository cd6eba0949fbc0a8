"""LlamaIndex's ``AIHubMix`` on the Responses and Messages routes, from recorded traffic:
the same responses, streams, agent loops, structured output, usage and typed errors as on
chat completions, and Claude's prompt caching from ``CachePoint`` blocks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from llama_index.core.agent.workflow import AgentStream, FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import (
    CacheControl,
    CachePoint,
    ChatMessage,
    MessageRole,
    TextBlock,
    ThinkingBlock,
)
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel

from aihubmix_core import AuthenticationError, RateLimitError, ServerError, UpstreamStreamError
from llama_index_aihubmix import AIHubMix

pytestmark = pytest.mark.vcr

ROUTES = ["responses", "messages"]
MODELS = {"responses": "gpt-5-mini", "messages": "claude-sonnet-4-5"}


def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"Sunny and 24 degrees in {city}"


def get_local_time(city: str) -> str:
    """Get the local time in a city."""
    return f"It is 14:05 in {city}"


TOOLS = [FunctionTool.from_defaults(get_weather), FunctionTool.from_defaults(get_local_time)]


class City(BaseModel):
    """Facts about a city."""

    name: str
    country: str


def llm(route: str, **kwargs: Any) -> AIHubMix:
    return AIHubMix(model=MODELS[route], route=route, **kwargs)


def sent(cassette: Any, position: int) -> dict[str, Any]:
    return dict(json.loads(cassette.requests[position].body))


MESSAGES = [
    ChatMessage(role=MessageRole.SYSTEM, content="You answer in one sentence."),
    ChatMessage(role=MessageRole.USER, content="Tell me about Lyon."),
]


@pytest.mark.parametrize("route", ROUTES)
async def test_chat_stream_and_complete_every_way(route: str, vcr: Any) -> None:
    model = llm(route)
    whole = model.chat(MESSAGES)
    streamed = list(model.stream_chat(MESSAGES))
    awhole = await model.achat(MESSAGES)
    astreamed = [r async for r in await model.astream_chat(MESSAGES)]
    text = whole.message.content
    assert text and {
        awhole.message.content,
        streamed[-1].message.content,
        astreamed[-1].message.content,
    } == {text}
    assert "".join(r.delta or "" for r in streamed) == text
    for response in (whole, streamed[-1], awhole, astreamed[-1]):
        counts = response.additional_kwargs
        assert counts["prompt_tokens"] > 0 and counts["completion_tokens"] > 0
        assert counts["total_tokens"] == counts["prompt_tokens"] + counts["completion_tokens"]
        assert response.raw["usage"]
    assert model.complete("Tell me about Lyon.").text
    path = "/v1/responses" if route == "responses" else "/v1/messages"
    assert {request.path for request in vcr.requests} == {path}


@pytest.mark.parametrize("route", ROUTES)
async def test_function_agent_calls_two_tools_with_reasoning(route: str, vcr: Any) -> None:
    """Each step sends the reasoning back (signed thinking on Messages, encrypted items on
    Responses), and the reasoning streams out as ``thinking_delta``."""
    agent = FunctionAgent(
        tools=TOOLS, llm=llm(route, reasoning_effort="low"), system_prompt="You answer with tools."
    )
    handler = agent.run(
        user_msg="What is the weather in Paris, and the local time there? Use get_weather and get_local_time."
    )
    results: list[ToolCallResult] = []
    thinking: list[str] = []
    async for event in handler.stream_events():
        if isinstance(event, ToolCallResult):
            results.append(event)
        elif isinstance(event, AgentStream) and event.thinking_delta:
            thinking.append(event.thinking_delta)
    answer = str(await handler)
    assert [(r.tool_name, r.tool_kwargs) for r in results] == [
        ("get_weather", {"city": "Paris"}),
        ("get_local_time", {"city": "Paris"}),
    ]
    assert answer.startswith("Based on the tool results: Sunny and 24 degrees in Paris")
    assert "get_weather" in "".join(thinking)
    last = sent(vcr, len(vcr.requests) - 1)
    if route == "responses":
        reasoning = [item for item in last["input"] if item.get("type") == "reasoning"]
        assert len(reasoning) == 2 and all(item["encrypted_content"] for item in reasoning)
    else:
        turns = [turn for turn in last["messages"] if turn["role"] == "assistant"]
        assert len(turns) == 2 and all(turn["content"][0]["type"] == "thinking" for turn in turns)


@pytest.mark.parametrize("route", ROUTES)
async def test_structured_output(route: str) -> None:
    model = llm(route)
    structured = model.as_structured_llm(City)
    prompt = [
        ChatMessage(
            role=MessageRole.USER, content="Give the facts about the city named 'Paris' in France."
        )
    ]
    response = structured.chat(prompt)
    assert isinstance(response.raw, City) and response.raw.name == "Paris"
    from llama_index.core.prompts import PromptTemplate

    city = await model.astructured_predict(
        City, PromptTemplate("Give the facts about the city named 'Paris' in France.")
    )
    assert city == response.raw


LONG_CONTEXT = "Bicycle maintenance handbook. " + " ".join(
    f"Section {i}: check the chain, the brakes and the tyre pressure before every ride."
    for i in range(150)
)


def test_cache_points_become_cache_control_and_usage_counts_cache(vcr: Any) -> None:
    model = llm("messages")
    messages = [
        ChatMessage(
            role=MessageRole.SYSTEM,
            blocks=[
                TextBlock(text=LONG_CONTEXT),
                CachePoint(cache_control=CacheControl(type="ephemeral")),
            ],
        ),
        ChatMessage(role=MessageRole.USER, content="How often should I check the chain?"),
    ]
    first = model.chat(messages)
    second = list(model.stream_chat(messages))[-1]
    body = sent(vcr, 0)
    assert body["system"] == [
        {"type": "text", "text": LONG_CONTEXT, "cache_control": {"type": "ephemeral", "ttl": "5m"}}
    ]
    assert first.additional_kwargs["cache_write_tokens"] > 1024
    assert first.additional_kwargs["cached_tokens"] == 0
    assert (
        second.additional_kwargs["cached_tokens"] == first.additional_kwargs["cache_write_tokens"]
    )
    assert (
        second.raw["usage"]["cache_read_input_tokens"] == second.additional_kwargs["cached_tokens"]
    )


def test_thinking_blocks_come_back_on_responses_and_messages() -> None:
    for route in ROUTES:
        response = llm(route, reasoning_effort="low").chat(
            [ChatMessage(role=MessageRole.USER, content="What is 6 times 7?")]
        )
        thinking = [b for b in response.message.blocks if isinstance(b, ThinkingBlock)]
        assert thinking and thinking[0].content
        assert response.message.additional_kwargs["reasoning_details"]


@pytest.mark.parametrize("how", ["chat", "stream_chat", "achat", "astream_chat"])
@pytest.mark.parametrize("route", ROUTES)
async def test_typed_errors(route: str, how: str) -> None:
    async def call(model: AIHubMix, text: str) -> None:
        messages = [ChatMessage(role=MessageRole.USER, content=text)]
        if how == "chat":
            model.chat(messages)
        elif how == "stream_chat":
            list(model.stream_chat(messages))
        elif how == "achat":
            await model.achat(messages)
        else:
            [r async for r in await model.astream_chat(messages)]

    with pytest.raises(AuthenticationError):
        await call(llm(route, api_key="invalid-key", max_retries=0), "hello")
    with pytest.raises(RateLimitError) as limited:
        await call(llm(route, max_retries=0), "EMULATE 429 now")
    assert limited.value.status_code == 429
    if how.endswith("stream_chat"):
        with pytest.raises(UpstreamStreamError) as failed:
            await call(llm(route, max_retries=0), "EMULATE STREAM FAILURE now")
        assert failed.value.partial_text
    else:
        with pytest.raises(ServerError):
            await call(llm(route, max_retries=0), "EMULATE STREAM FAILURE now")
