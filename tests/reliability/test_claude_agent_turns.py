"""An agent's second user turn with Claude thinking on the chat route: every earlier
tool-calling turn carries its signed thinking back (the emulator, like a strict gateway,
refuses a tool call without it), so a conversation with memory goes on past one turn."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from langchain.agents import create_agent
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.memory import ChatMemoryBuffer
from llama_index.core.tools import FunctionTool

from aihubmix_testing.emulator import serve_in_thread
from langchain_aihubmix import ChatAIHubMix
from llama_index_aihubmix import AIHubMix

CLAUDE = "claude-sonnet-4-5"


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    with serve_in_thread() as base_url:
        yield base_url


def get_weather(city: str) -> str:
    """Current weather for a city."""
    return f"It is 18 degrees in {city}."


def test_langchain_agent_second_turn_with_claude_thinking(emulator_url: str) -> None:
    model = ChatAIHubMix(
        model=CLAUDE, reasoning_effort="low", base_url=emulator_url, api_key="loopback-key"
    )
    agent = create_agent(model, tools=[tool(get_weather)], checkpointer=InMemorySaver())
    thread = {"configurable": {"thread_id": "t"}}
    agent.invoke({"messages": [("user", "What is the weather in Paris? Use get_weather.")]}, thread)
    state = agent.invoke(
        {"messages": [("user", "What is the weather in Rome? Use get_weather.")]}, thread
    )
    tool_results = [m.content for m in state["messages"] if m.type == "tool"]
    assert tool_results == ["It is 18 degrees in Paris.", "It is 18 degrees in Rome."]


def test_llama_index_agent_second_turn_with_claude_thinking(emulator_url: str) -> None:
    llm = AIHubMix(model=CLAUDE, reasoning_effort="low", api_base=emulator_url, api_key="k-1")
    agent = FunctionAgent(tools=[FunctionTool.from_defaults(get_weather)], llm=llm)
    memory = ChatMemoryBuffer.from_defaults()

    async def two_turns() -> list[str]:
        await agent.run(user_msg="What is the weather in Paris? Use get_weather.", memory=memory)
        await agent.run(user_msg="What is the weather in Rome? Use get_weather.", memory=memory)
        return [str(m.content) for m in await memory.aget_all() if m.role.value == "tool"]

    assert asyncio.run(two_turns()) == ["It is 18 degrees in Paris.", "It is 18 degrees in Rome."]
