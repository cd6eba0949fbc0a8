"""``ChatAIHubMix`` on the Responses and Messages routes, from recorded traffic: what a
user sees is the same as on chat completions (text, streaming, tool loops, structured
output, usage, reasoning, typed errors), and each route's own gifts reach the user
(Claude's prompt caching on Messages, built-in tools and citations on Responses)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.exceptions import (
    ModelAPIError,
    ModelAuthenticationError,
    ModelRateLimitError,
)
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.tools import tool
from pydantic import BaseModel, Field

from aihubmix_core import AuthenticationError, RateLimitError, UpstreamStreamError
from langchain_aihubmix import ChatAIHubMix

pytestmark = pytest.mark.vcr

ROUTES = ["responses", "messages"]
MODELS = {"responses": "gpt-5-mini", "messages": "claude-sonnet-4-5"}


@tool
def get_weather(city: str) -> str:
    """Current weather for a city."""
    return f"It is 21 degrees and sunny in {city}."


@tool
def get_population(city: str) -> str:
    """Number of people living in a city."""
    return f"{city} has 2,100,000 inhabitants."


class CityFacts(BaseModel):
    """Facts about a city."""

    name: str = Field(description="The city's name")
    country: str = Field(description="The country it is in")


def model(route: str, **kwargs: Any) -> ChatAIHubMix:
    return ChatAIHubMix(model=MODELS[route], route=route, **kwargs)


def sent(cassette: Any, position: int) -> dict[str, Any]:
    return dict(json.loads(cassette.requests[position].body))


def summed(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    full = chunks[0]
    for chunk in chunks[1:]:
        full = full + chunk
    return full


@pytest.mark.parametrize("route", ROUTES)
async def test_text_every_way_with_usage(route: str, vcr: Any) -> None:
    chat = model(route)
    prompt = [SystemMessage("You answer in one sentence."), HumanMessage("Tell me about Paris.")]
    replies: list[AIMessage] = [chat.invoke(prompt), await chat.ainvoke(prompt)]
    replies.append(summed(list(chat.stream(prompt))))
    replies.append(summed([chunk async for chunk in chat.astream(prompt)]))
    assert len({reply.text for reply in replies}) == 1 and replies[0].text
    for reply in replies:
        usage = reply.usage_metadata
        assert usage is not None and usage["input_tokens"] > 0 and usage["output_tokens"] > 0
        assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
        assert reply.response_metadata["model_provider"] == "aihubmix"
        assert reply.response_metadata["finish_reason"] == "stop"
    path = "/v1/responses" if route == "responses" else "/v1/messages"
    assert {request.path for request in vcr.requests} == {path}


@pytest.mark.parametrize("route", ROUTES)
def test_an_agent_calls_two_tools_over_several_steps(route: str, vcr: Any) -> None:
    from langchain.agents import create_agent

    agent = create_agent(
        model(route, reasoning_effort="low", model_kwargs={"parallel_tool_calls": False}),
        tools=[get_weather, get_population],
        system_prompt="Use the tools to answer.",
    )
    state = agent.invoke(
        {"messages": [HumanMessage("Use get_weather and get_population for 'Paris'.")]}
    )
    messages = state["messages"]
    calls = [m for m in messages if isinstance(m, AIMessage) and m.tool_calls]
    assert [m.tool_calls[0]["name"] for m in calls] == ["get_weather", "get_population"]
    assert len([m for m in messages if isinstance(m, ToolMessage)]) == 2
    final = messages[-1]
    assert isinstance(final, AIMessage) and not final.tool_calls
    assert "21 degrees" in final.text and "2,100,000" in final.text
    assert len(vcr.requests) == 3
    third = sent(vcr, 2)
    if route == "responses":
        kinds = [item.get("type", "message") for item in third["input"]]
        assert kinds == ["message", "reasoning", "function_call", "function_call_output"] * 1 + [
            "reasoning",
            "function_call",
            "function_call_output",
        ]
        assert third["instructions"] == "Use the tools to answer."
    else:
        roles = [turn["role"] for turn in third["messages"]]
        assert roles == ["user", "assistant", "user", "assistant", "user"]
        assert third["messages"][1]["content"][0]["type"] == "thinking"
        assert third["messages"][2]["content"][0]["type"] == "tool_result"
        assert third["system"] == [{"type": "text", "text": "Use the tools to answer."}]


@pytest.mark.parametrize("streamed", [False, True], ids=["invoke", "stream"])
@pytest.mark.parametrize("route", ROUTES)
def test_reasoning_goes_back_in_a_tool_loop(route: str, streamed: bool, vcr: Any) -> None:
    bound = model(route, reasoning_effort="low").bind_tools([get_weather])
    question = HumanMessage("What is the weather in 'Rome'? Use get_weather.")
    first: Any = summed(list(bound.stream([question]))) if streamed else bound.invoke([question])
    details = first.additional_kwargs["reasoning_details"]
    assert first.additional_kwargs["reasoning_content"]
    assert any(block["type"] == "reasoning" for block in first.content_blocks)
    assert first.tool_calls and first.tool_calls[0]["name"] == "get_weather"
    answer = bound.invoke([question, first, get_weather.invoke(first.tool_calls[0])])
    assert "21 degrees" in answer.text
    second = sent(vcr, 1)
    if route == "responses":
        reasoning = second["input"][1]
        assert (
            reasoning["type"] == "reasoning"
            and reasoning["encrypted_content"] == details[0]["data"]
        )
        assert second["input"][2]["call_id"] == first.tool_calls[0]["id"]
        assert first.usage_metadata["output_token_details"]["reasoning"] > 0
    else:
        thinking = second["messages"][1]["content"][0]
        assert thinking == {
            "type": "thinking",
            "thinking": details[0]["text"],
            "signature": details[0]["signature"],
        }
        assert second["messages"][1]["content"][1]["id"] == first.tool_calls[0]["id"]


@pytest.mark.parametrize("method", ["function_calling", "json_schema"])
@pytest.mark.parametrize("route", ROUTES)
async def test_structured_output(route: str, method: str) -> None:
    prompt = "Give facts about Paris in France as JSON with keys 'name' and 'country'."
    structured = model(route).with_structured_output(CityFacts, method=method)  # type: ignore[arg-type]
    facts = structured.invoke(prompt)
    assert isinstance(facts, CityFacts) and facts.name and facts.country
    partials = [part async for part in structured.astream(prompt)]
    assert partials and partials[-1] == facts


LONG_RULES = "You are the help desk of a bicycle repair shop. " + " ".join(
    f"Rule {i}: answer politely and name the tool needed for the repair." for i in range(150)
)


def test_prompt_caching_markers_and_counts_on_messages(vcr: Any) -> None:
    """cache_control as ChatAnthropic users write it: on a system content block, on a
    tool, and on a human content block; the cache is written once, then read."""
    cached_tool = {
        "name": "lookup_part",
        "description": "Find a spare part.",
        "input_schema": {"type": "object", "properties": {"part": {"type": "string"}}},
        "cache_control": {"type": "ephemeral"},
    }
    chat = model("messages").bind_tools([cached_tool])
    prompt = [
        SystemMessage(
            [{"type": "text", "text": LONG_RULES, "cache_control": {"type": "ephemeral"}}]
        ),
        HumanMessage(
            [
                {
                    "type": "text",
                    "text": "How do I fix a flat tyre?",
                    "cache_control": {"type": "ephemeral", "ttl": "5m"},
                }
            ]
        ),
    ]
    first, second = chat.invoke(prompt), summed(list(chat.stream(prompt)))
    body = sent(vcr, 0)
    assert body["system"] == [
        {"type": "text", "text": LONG_RULES, "cache_control": {"type": "ephemeral"}}
    ]
    assert body["tools"][0]["cache_control"] == {"type": "ephemeral"}
    assert body["messages"][0]["content"][0]["cache_control"] == {"type": "ephemeral", "ttl": "5m"}
    written = first.usage_metadata["input_token_details"]  # type: ignore[index]
    read = second.usage_metadata["input_token_details"]  # type: ignore[index]
    assert written["cache_creation"] > 1024 and written["cache_read"] == 0
    assert read["cache_read"] == written["cache_creation"] and read["cache_creation"] == 0
    assert first.usage_metadata["input_tokens"] == second.usage_metadata["input_tokens"]  # type: ignore[index]


def test_built_in_tools_and_citations_on_responses() -> None:
    chat = model("responses").bind_tools([{"type": "web_search"}, {"type": "image_generation"}])
    for reply in (
        chat.invoke("Find the tallest tower in Paris and draw it."),
        summed(list(chat.stream("Find the tallest tower in Paris and draw it."))),
    ):
        kwargs = reply.additional_kwargs
        citation = kwargs["annotations"][0]["url_citation"]
        assert (
            citation["url"].startswith("https://")
            and reply.text[citation["start_index"] : citation["end_index"]]
        )
        assert kwargs["images"][0]["image_url"]["url"].startswith("data:image/png;base64,")
        assert [item["type"] for item in kwargs["server_tool_calls"]] == [
            "web_search_call",
            "image_generation_call",
        ]


@pytest.mark.parametrize("how", ["invoke", "stream", "ainvoke", "astream"])
@pytest.mark.parametrize("route", ROUTES)
async def test_typed_errors(route: str, how: str) -> None:
    async def call(chat: ChatAIHubMix, text: str) -> None:
        if how == "invoke":
            chat.invoke(text)
        elif how == "stream":
            list(chat.stream(text))
        elif how == "ainvoke":
            await chat.ainvoke(text)
        else:
            [chunk async for chunk in chat.astream(text)]

    with pytest.raises(ModelAuthenticationError) as bad_key:
        await call(model(route, api_key="invalid-key", max_retries=0), "hello")
    assert isinstance(bad_key.value, AuthenticationError) and bad_key.value.status_code == 401
    with pytest.raises(ModelRateLimitError) as limited:
        await call(model(route, max_retries=0), "EMULATE 429 now")
    assert isinstance(limited.value, RateLimitError) and limited.value.status_code == 429
    with pytest.raises(ModelAPIError) as failed:
        await call(model(route, max_retries=0), "EMULATE STREAM FAILURE now")
    if how in ("stream", "astream"):
        assert isinstance(failed.value, UpstreamStreamError)
        assert failed.value.partial is not None and failed.value.partial_text
    else:
        assert failed.value.status_code >= 500  # type: ignore[attr-defined]


def test_a_call_may_switch_routes(vcr: Any) -> None:
    chat = ChatAIHubMix(model="claude-sonnet-4-5")
    assert chat.invoke("hello", route="messages").text == chat.invoke("hello").text
    assert [request.path for request in vcr.requests] == ["/v1/messages", "/v1/chat/completions"]
