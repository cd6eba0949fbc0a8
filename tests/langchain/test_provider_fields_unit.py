"""Provider fields on tool calls and typed content parts through ChatAIHubMix.

Gemini 3 puts a thought signature on each tool call (``extra_content``) and refuses the
next turn unless it comes back on that same call. These tests run two-turn tool loops
over a scripted mock transport and check the second request on the wire: by hand (sync
and async, streamed and not) and through ``langchain.agents.create_agent``.
"""

from __future__ import annotations

import json
import operator
from functools import reduce
from typing import Any

import httpx
import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from wire_fakes import Recorder, sse_body

from langchain_aihubmix import ChatAIHubMix

GOOGLE = {"google": {"thought_signature": "SIG-PARIS=="}}
VERTEX = {"vertex": {"thought_signature": "SIG-ROME=="}}
MODEL = "gemini-3-pro-preview"


@tool
def get_weather(city: str) -> str:
    """Get the weather in a city."""
    return f"Sunny in {city}"


def _call(call_id: str, city: str, extra: dict[str, Any] | None) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "id": call_id,
        "type": "function",
        "function": {"name": "get_weather", "arguments": json.dumps({"city": city})},
    }
    if extra is not None:
        wire["extra_content"] = extra
    return wire


CALLS = [_call("call_paris", "Paris", GOOGLE), _call("call_rome", "Rome", VERTEX)]
PLAIN = _call("call_oslo", "Oslo", None)


def _reply(stream: bool, calls: list[dict[str, Any]] | None) -> tuple[bytes, str]:
    """A Gemini-shaped reply: the tool calls (each whole, unnumbered, in its own delta
    when streamed), or a final text. Each has its own id, as LangGraph replaces a message
    by one with the same id."""
    rid = "r-calls" if calls else "r-text"
    if not stream:
        message: dict[str, Any] = {"role": "assistant", "content": None if calls else "Done."}
        if calls:
            message["tool_calls"] = calls
        finish = "tool_calls" if calls else "stop"
        body = {
            "id": rid,
            "model": MODEL,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        }
        return json.dumps(body).encode(), "application/json"
    deltas = [{"tool_calls": [call]} for call in calls or []] or [{"content": "Done."}]
    chunks = [{"id": rid, "model": MODEL, "choices": [{"index": 0, "delta": d}]} for d in deltas]
    finish = "tool_calls" if calls else "stop"
    chunks.append({"id": rid, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
    return sse_body(chunks), "text/event-stream"


class Script(Recorder):
    """A Recorder that answers each request with the next reply of a script."""

    def __init__(self, *replies: tuple[bytes, str]) -> None:
        super().__init__(200, b"", "application/json")
        self.replies = list(replies)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.body, self.content_type = self.replies.pop(0)
        return super().__call__(request)


def _model(script: Script, **kwargs: Any) -> ChatAIHubMix:
    transport = httpx.MockTransport(script)
    return ChatAIHubMix(
        model=MODEL,
        api_key="sk-unit-test-key-0123456789",
        max_retries=0,
        http_client=httpx.Client(transport=transport),
        http_async_client=httpx.AsyncClient(transport=transport),
        **kwargs,
    )


async def _turn(model: Any, messages: list[BaseMessage], stream: bool, aio: bool) -> AIMessage:
    if stream and aio:
        return reduce(operator.add, [chunk async for chunk in model.astream(messages)])
    if stream:
        return reduce(operator.add, model.stream(messages))
    return await model.ainvoke(messages) if aio else model.invoke(messages)


def _sent_calls(script: Script, turn: int = 1) -> list[dict[str, Any]]:
    assistant = next(m for m in script.requests[turn]["messages"] if m["role"] == "assistant")
    calls: list[dict[str, Any]] = assistant["tool_calls"]
    return calls


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
async def test_manual_tool_loop_sends_each_signature_back_on_its_call(
    stream: bool, aio: bool
) -> None:
    script = Script(_reply(stream, [*CALLS, PLAIN]), _reply(stream, None))
    model = _model(script).bind_tools([get_weather])
    question = [HumanMessage("Weather in Paris, Rome and Oslo?")]
    first = await _turn(model, question, stream, aio)
    assert [call["id"] for call in first.tool_calls] == ["call_paris", "call_rome", "call_oslo"]
    results = [ToolMessage("Sunny", tool_call_id=call["id"]) for call in first.tool_calls]
    final = await _turn(model, [*question, first, *results], stream, aio)
    assert final.text == "Done."
    assert _sent_calls(script) == [*CALLS, {**PLAIN, "function": PLAIN["function"]}]


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
def test_signatures_are_kept_once_in_additional_kwargs(stream: bool) -> None:
    script = Script(_reply(stream, CALLS))
    message = (
        reduce(operator.add, _model(script).stream("?")) if stream else _model(script).invoke("?")
    )
    assert message.additional_kwargs["tool_call_extras"] == {
        "call_paris": {"extra_content": GOOGLE},
        "call_rome": {"extra_content": VERTEX},
    }


def test_a_hand_built_openai_shaped_message_keeps_its_extra_content() -> None:
    script = Script(_reply(False, None))
    history = [
        HumanMessage("?"),
        AIMessage("", additional_kwargs={"tool_calls": CALLS[:1]}),
        ToolMessage("Sunny", tool_call_id="call_paris"),
    ]
    _model(script).invoke(history)
    assert _sent_calls(script, 0) == CALLS[:1]


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
async def test_create_agent_sends_each_signature_back_on_its_call(stream: bool) -> None:
    script = Script(_reply(stream, CALLS), _reply(stream, None))
    agent = create_agent(_model(script, streaming=stream), tools=[get_weather])
    state = await agent.ainvoke({"messages": [HumanMessage("Weather in Paris and Rome?")]})
    assert state["messages"][-1].text == "Done."
    assert [m.content for m in state["messages"] if isinstance(m, ToolMessage)] == [
        "Sunny in Paris",
        "Sunny in Rome",
    ]
    assert _sent_calls(script) == CALLS


# ---------------------------------------------------------------- typed content parts

CONTENT = [
    {
        "type": "thinking",
        "thinking": [{"type": "text", "text": "Paris is "}, {"type": "text", "text": "in France."}],
    },
    {"type": "text", "text": "France."},
    {"type": "hologram", "frames": 3},
]


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
def test_typed_content_parts_of_any_kind(stream: bool) -> None:
    if stream:
        chunks = [
            {"id": "r", "choices": [{"index": 0, "delta": {"content": [part]}}]} for part in CONTENT
        ]
        chunks.append({"id": "r", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        script = Script((sse_body(chunks), "text/event-stream"))
        message = reduce(operator.add, _model(script).stream("Where is Paris?"))
    else:
        body = {
            "id": "r",
            "choices": [{"index": 0, "message": {"content": CONTENT}, "finish_reason": "stop"}],
        }
        message = _model(Script((json.dumps(body).encode(), "application/json"))).invoke("?")
    assert message.text == "France."
    assert message.additional_kwargs["reasoning_content"] == "Paris is in France."
    assert message.additional_kwargs["content_parts"] == [{"type": "hologram", "frames": 3}]
