"""LlamaIndex agents, structured output and token counting on AIHubMix, from cassettes."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.agent.workflow import (
    AgentStream,
    FunctionAgent,
    ReActAgent,
    ToolCallResult,
)
from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel

from llama_index_aihubmix import AIHubMix

pytestmark = pytest.mark.vcr


def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"Sunny and 24 degrees in {city}"


def get_local_time(city: str) -> str:
    """Get the local time in a city."""
    return f"It is 14:05 in {city}"


TOOLS = [FunctionTool.from_defaults(get_weather), FunctionTool.from_defaults(get_local_time)]
QUESTION = (
    "What is the weather in Paris, and the local time there? Use get_weather and get_local_time."
)


class City(BaseModel):
    """Facts about a city."""

    name: str
    country: str
    population: int


CITY_PROMPT = PromptTemplate("Give the facts about the city named 'Paris' in France: {detail}.")


async def run_function_agent(llm: AIHubMix) -> tuple[str, list[Any], list[str]]:
    agent = FunctionAgent(tools=TOOLS, llm=llm, system_prompt="You answer with tools.")
    handler = agent.run(user_msg=QUESTION)
    results: list[Any] = []
    deltas: list[str] = []
    async for event in handler.stream_events():
        if isinstance(event, ToolCallResult):
            results.append(event)
        elif isinstance(event, AgentStream):
            deltas.append(event.delta)
    answer = await handler
    return str(answer), results, deltas


async def test_function_agent_calls_two_tools_over_several_steps() -> None:
    answer, results, deltas = await run_function_agent(AIHubMix())
    assert [(r.tool_name, r.tool_kwargs) for r in results] == [
        ("get_weather", {"city": "Paris"}),
        ("get_local_time", {"city": "Paris"}),
    ]
    assert answer == (
        "Based on the tool results: Sunny and 24 degrees in Paris; It is 14:05 in Paris."
    )
    assert "".join(deltas).endswith(answer)


async def test_function_agent_with_claude_thinking() -> None:
    """Every step of the tool loop sends the signed reasoning back (the gateway answers
    400 otherwise), and the thinking streams out as ``thinking_delta``."""
    llm = AIHubMix(model="claude-sonnet-4-5", reasoning_effort="low")
    agent = FunctionAgent(tools=TOOLS, llm=llm)
    handler = agent.run(user_msg=QUESTION)
    thinking = [
        event.thinking_delta
        async for event in handler.stream_events()
        if isinstance(event, AgentStream) and event.thinking_delta
    ]
    answer = await handler
    assert str(answer).startswith("Based on the tool results: Sunny and 24 degrees in Paris")
    assert "get_weather" in "".join(thinking)


async def test_react_agent_answers() -> None:
    agent = ReActAgent(tools=TOOLS[:1], llm=AIHubMix())
    handler = agent.run(user_msg="What is the weather in Paris? Use get_weather.")
    results = [e async for e in handler.stream_events() if isinstance(e, ToolCallResult)]
    answer = await handler
    assert [r.tool_name for r in results] == ["get_weather"]
    assert "Sunny and 24 degrees in Paris" in str(answer)


def test_structured_predict() -> None:
    city = AIHubMix().structured_predict(City, CITY_PROMPT, detail="name, country, population")
    assert isinstance(city, City)
    assert city.name == "Paris"


async def test_astructured_predict_and_astream_structured_predict() -> None:
    llm = AIHubMix()
    city = await llm.astructured_predict(City, CITY_PROMPT, detail="name, country, population")
    assert isinstance(city, City) and city.name == "Paris"
    partials = [
        p
        async for p in await llm.astream_structured_predict(
            City, CITY_PROMPT, detail="name, country, population"
        )
    ]
    final = City.model_validate(partials[-1].model_dump())
    assert final == city


def test_as_structured_llm() -> None:
    structured = AIHubMix().as_structured_llm(City)
    response = structured.chat(
        [ChatMessage(role="user", content=CITY_PROMPT.format(detail="name, country, population"))]
    )
    assert isinstance(response.raw, City) and response.raw.name == "Paris"


def test_predict_and_call() -> None:
    result = AIHubMix().predict_and_call(TOOLS, user_msg="Use get_weather for Paris")
    assert result.response == "Sunny and 24 degrees in Paris"


def test_token_counting_reports_recorded_usage() -> None:
    counter = TokenCountingHandler()
    llm = AIHubMix(callback_manager=CallbackManager([counter]))
    messages = [ChatMessage(role="user", content="What is the capital of France?")]
    chat = llm.chat(messages)
    streamed = list(llm.stream_chat(messages))[-1]
    completion = llm.complete("Tell me a joke")
    # The usage objects of the recorded replies, as the gateway sent them.
    usage = [chat.raw["usage"], streamed.raw["usage"], completion.raw["usage"]]
    assert len(counter.llm_token_counts) == 3
    assert [e.prompt_token_count for e in counter.llm_token_counts] == [
        u["prompt_tokens"] for u in usage
    ]
    assert [e.completion_token_count for e in counter.llm_token_counts] == [
        u["completion_tokens"] for u in usage
    ]
    assert counter.total_llm_token_count == sum(u["total_tokens"] for u in usage)
