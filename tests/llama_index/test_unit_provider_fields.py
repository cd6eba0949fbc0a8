"""Provider fields on tool calls, and typed content parts, through the LlamaIndex LLM.

Two-turn tool loops over a scripted mock transport check the second request on the
wire: each Gemini thought signature goes back on its own call, by hand (sync and async,
streamed and not) and through ``FunctionAgent``.
"""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.base.llms.types import ChatMessage, ChatResponse, ThinkingBlock
from llama_index.core.tools import FunctionTool
from provider_replies import MODEL, SIGNED, THINKING_CONTENT, UNSIGNED, Script, reply

from llama_index_aihubmix import AIHubMix


def get_weather(city: str) -> str:
    """Get the weather in a city."""
    return f"Sunny in {city}"


TOOLS = [FunctionTool.from_defaults(get_weather)]


def _llm(script: Script) -> AIHubMix:
    return AIHubMix(MODEL, api_key="sk-unit-test-key-0123456789", max_retries=0, **script.clients())


async def _last(llm: AIHubMix, stream: bool, aio: bool, **kwargs: Any) -> ChatResponse:
    """One tool-calling turn; the last response when streamed."""
    if stream and aio:
        return [r async for r in await llm.astream_chat_with_tools(TOOLS, **kwargs)][-1]
    if stream:
        return list(llm.stream_chat_with_tools(TOOLS, **kwargs))[-1]
    if aio:
        return await llm.achat_with_tools(TOOLS, **kwargs)
    return llm.chat_with_tools(TOOLS, **kwargs)


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
async def test_manual_tool_loop_sends_each_signature_back_on_its_call(
    stream: bool, aio: bool
) -> None:
    script = Script(reply(stream, [*SIGNED, UNSIGNED]), reply(stream))
    llm = _llm(script)
    question = ChatMessage(role="user", content="Weather in Paris, Rome and Oslo?")
    first = await _last(llm, stream, aio, user_msg=question, allow_parallel_tool_calls=True)
    calls = llm.get_tool_calls_from_response(first)
    assert [call.tool_id for call in calls] == ["call_paris", "call_rome", "call_oslo"]
    results = [
        ChatMessage(role="tool", content="Sunny", additional_kwargs={"tool_call_id": call.tool_id})
        for call in calls
    ]
    history = [question, first.message, *results]
    final = await _last(llm, stream, aio, chat_history=history, allow_parallel_tool_calls=True)
    assert final.message.content == "Done."
    assert script.sent_tool_calls(1) == [*SIGNED, UNSIGNED]


@pytest.mark.parametrize("streaming", [False, True], ids=["chat", "stream"])
async def test_function_agent_sends_each_signature_back_on_its_call(streaming: bool) -> None:
    script = Script(reply(streaming, SIGNED), reply(streaming))
    agent = FunctionAgent(tools=TOOLS, llm=_llm(script), streaming=streaming)
    answer = await agent.run(user_msg="Weather in Paris and Rome?")
    assert str(answer) == "Done."
    assert script.sent_tool_calls(1) == SIGNED
    tool_results = [m for m in script.requests[1]["messages"] if m["role"] == "tool"]
    assert [m["content"] for m in tool_results] == ["Sunny in Paris", "Sunny in Rome"]


@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
def test_typed_content_parts_of_any_kind(stream: bool) -> None:
    llm = _llm(Script(reply(stream, content=THINKING_CONTENT)))
    question = [ChatMessage(role="user", content="Where is Paris?")]
    response = list(llm.stream_chat(question))[-1] if stream else llm.chat(question)
    message = response.message
    assert message.content == "France."
    thinking = [block.content for block in message.blocks if isinstance(block, ThinkingBlock)]
    assert thinking == ["Paris is in France."]
    assert message.additional_kwargs["content_parts"] == [{"type": "hologram", "frames": 3}]
