"""Provider fields on tool calls, and typed content parts, through ChatAIHubMix.

Two-turn tool loops over a scripted mock transport check the second request on the
wire: each Gemini thought signature goes back on its own call, by hand (sync and async,
streamed and not) and through ``langchain.agents.create_agent``.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from provider_replies import (
    GOOGLE,
    MODEL,
    SIGNED,
    THINKING_CONTENT,
    UNSIGNED,
    VERTEX,
    Script,
    reply,
)

from langchain_aihubmix import ChatAIHubMix


@tool
def get_weather(city: str) -> str:
    """Get the weather in a city."""
    return f"Sunny in {city}"


def _model(script: Script, **kwargs: Any) -> ChatAIHubMix:
    clients = script.clients()
    return ChatAIHubMix(
        model=MODEL,
        api_key="sk-unit-test-key-0123456789",
        max_retries=0,
        http_client=clients["http_client"],
        http_async_client=clients["async_http_client"],
        **kwargs,
    )


async def _turn(model: Any, messages: list[BaseMessage], stream: bool, aio: bool) -> AIMessage:
    if stream and aio:
        return reduce(operator.add, [chunk async for chunk in model.astream(messages)])
    if stream:
        return reduce(operator.add, model.stream(messages))
    return await model.ainvoke(messages) if aio else model.invoke(messages)


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
async def test_manual_tool_loop_sends_each_signature_back_on_its_call(
    stream: bool, aio: bool
) -> None:
    script = Script(reply(stream, [*SIGNED, UNSIGNED]), reply(stream))
    model = _model(script).bind_tools([get_weather])
    question = [HumanMessage("Weather in Paris, Rome and Oslo?")]
    first = await _turn(model, question, stream, aio)
    assert [call["id"] for call in first.tool_calls] == ["call_paris", "call_rome", "call_oslo"]
    results = [ToolMessage("Sunny", tool_call_id=call["id"]) for call in first.tool_calls]
    final = await _turn(model, [*question, first, *results], stream, aio)
    assert final.text == "Done."
    assert script.sent_tool_calls(1) == [*SIGNED, UNSIGNED]


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
def test_signatures_are_kept_once_in_additional_kwargs(stream: bool) -> None:
    model = _model(Script(reply(stream, SIGNED)))
    message = reduce(operator.add, model.stream("?")) if stream else model.invoke("?")
    assert message.additional_kwargs["tool_call_extras"] == {
        "call_paris": {"extra_content": GOOGLE},
        "call_rome": {"extra_content": VERTEX},
    }


def test_a_hand_built_openai_shaped_message_keeps_its_extra_content() -> None:
    script = Script(reply(False))
    history = [
        HumanMessage("?"),
        AIMessage("", additional_kwargs={"tool_calls": SIGNED[:1]}),
        ToolMessage("Sunny", tool_call_id="call_paris"),
    ]
    _model(script).invoke(history)
    assert script.sent_tool_calls(0) == SIGNED[:1]


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
async def test_create_agent_sends_each_signature_back_on_its_call(stream: bool) -> None:
    script = Script(reply(stream, SIGNED), reply(stream))
    agent = create_agent(_model(script, streaming=stream), tools=[get_weather])
    state = await agent.ainvoke({"messages": [HumanMessage("Weather in Paris and Rome?")]})
    assert state["messages"][-1].text == "Done."
    assert [m.content for m in state["messages"] if isinstance(m, ToolMessage)] == [
        "Sunny in Paris",
        "Sunny in Rome",
    ]
    assert script.sent_tool_calls(1) == SIGNED


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
def test_typed_content_parts_of_any_kind(stream: bool) -> None:
    model = _model(Script(reply(stream, content=THINKING_CONTENT)))
    message = reduce(operator.add, model.stream("?")) if stream else model.invoke("?")
    assert message.text == "France."
    assert message.additional_kwargs["reasoning_content"] == "Paris is in France."
    assert message.additional_kwargs["content_parts"] == [{"type": "hologram", "frames": 3}]
