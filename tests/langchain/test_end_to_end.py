"""Whole LangChain workflows against recorded AIHubMix traffic: a chain, an agent, a
reasoning tool loop, structured output by every method, errors and retrieval."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_core.exceptions import (
    ModelAuthenticationError,
    ModelInvalidRequestError,
    ModelNotFoundError,
)
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from langchain_core.vectorstores import InMemoryVectorStore
from pydantic import BaseModel, Field

from aihubmix_core import AuthenticationError, ModelNotAvailableError
from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix

pytestmark = pytest.mark.vcr


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


def _sent(cassette: Any, position: int) -> dict[str, Any]:
    """The JSON body of the ``position``-th recorded request."""
    body = cassette.requests[position].body
    return dict(json.loads(body))


def test_lcel_chain_invoke_and_stream() -> None:
    prompt = ChatPromptTemplate.from_messages(
        [("system", "You answer in one short sentence."), ("human", "Tell me about {topic}.")]
    )
    chain = prompt | ChatAIHubMix(model="gpt-4o-mini", temperature=0) | StrOutputParser()
    answer = chain.invoke({"topic": "Paris"})
    assert isinstance(answer, str) and answer
    pieces = list(chain.stream({"topic": "Lyon"}))
    assert len(pieces) > 1
    assert all(isinstance(piece, str) for piece in pieces)
    assert "".join(pieces).strip()


async def test_lcel_chain_async_stream() -> None:
    chain = ChatAIHubMix(model="deepseek-chat") | StrOutputParser()
    pieces = [piece async for piece in chain.astream("Say hello to Berlin.")]
    assert "".join(pieces).strip()


def test_agent_calls_two_tools_over_several_steps(vcr: Any) -> None:
    from langchain.agents import create_agent

    agent = create_agent(
        ChatAIHubMix(
            model="gpt-4o-mini", temperature=0, model_kwargs={"parallel_tool_calls": False}
        ),
        tools=[get_weather, get_population],
        system_prompt="Use the tools to answer.",
    )
    state = agent.invoke(
        {"messages": [HumanMessage("Use get_weather and get_population for 'Paris'.")]}
    )
    messages = state["messages"]
    calls = [m for m in messages if isinstance(m, AIMessage) and m.tool_calls]
    tool_results = [m for m in messages if isinstance(m, ToolMessage)]
    assert [m.tool_calls[0]["name"] for m in calls] == ["get_weather", "get_population"]
    assert len(tool_results) == 2
    final = messages[-1]
    assert isinstance(final, AIMessage) and not final.tool_calls
    assert "21 degrees" in final.text and "2,100,000" in final.text
    # Three model steps: each later request carries the earlier calls and results.
    assert len(vcr.requests) == 3
    third = _sent(vcr, 2)["messages"]
    assert [m["role"] for m in third] == [
        "system",
        "user",
        "assistant",
        "tool",
        "assistant",
        "tool",
    ]


@pytest.mark.parametrize("streamed", [False, True], ids=["invoke", "stream"])
def test_reasoning_details_go_back_in_a_tool_loop(vcr: Any, streamed: bool) -> None:
    model = ChatAIHubMix(model="claude-sonnet-4-5", reasoning_effort="low").bind_tools(
        [get_weather]
    )
    question = HumanMessage("What is the weather in 'Rome'? Use get_weather.")
    if streamed:
        first: Any = None
        for chunk in model.stream([question]):
            first = chunk if first is None else first + chunk
        assert isinstance(first, AIMessageChunk)
    else:
        first = model.invoke([question])
    details = first.additional_kwargs["reasoning_details"]
    assert details and details[0]["signature"]
    assert first.additional_kwargs["reasoning_content"]
    assert any(block["type"] == "reasoning" for block in first.content_blocks)
    assert first.tool_calls and first.tool_calls[0]["name"] == "get_weather"
    result = get_weather.invoke(first.tool_calls[0])
    answer = model.invoke([question, first, result])
    assert "21 degrees" in answer.text
    # The signed details went back unchanged on the assistant message.
    assistant = _sent(vcr, 1)["messages"][1]
    assert assistant["role"] == "assistant"
    assert assistant["reasoning_details"] == details
    assert assistant["tool_calls"][0]["id"] == first.tool_calls[0]["id"]


def test_reasoning_model_usage_and_blocks() -> None:
    reply = ChatAIHubMix(model="deepseek-reasoner").invoke("What is 6 times 7?")
    assert reply.additional_kwargs["reasoning_content"]
    assert reply.content_blocks[0]["type"] == "reasoning"
    assert reply.usage_metadata is not None
    assert reply.usage_metadata["output_token_details"]["reasoning"] > 0


def test_max_tokens_reaches_o_series_models_as_max_completion_tokens(vcr: Any) -> None:
    reply = ChatAIHubMix(model="o3-mini", max_tokens=200).invoke("Name a prime number.")
    assert reply.text
    sent = _sent(vcr, 0)
    assert sent["max_completion_tokens"] == 200 and "max_tokens" not in sent


@pytest.mark.parametrize("method", ["function_calling", "json_schema", "json_mode"])
def test_structured_output_every_method(method: str) -> None:
    model = ChatAIHubMix(model="gpt-4o-mini", temperature=0)
    prompt = "Give facts about Paris in France as JSON with keys 'name' and 'country'."
    structured = model.with_structured_output(CityFacts, method=method)  # type: ignore[arg-type]
    facts = structured.invoke(prompt)
    assert isinstance(facts, CityFacts)
    assert facts.name and facts.country
    as_dict = model.with_structured_output(
        CityFacts.model_json_schema(),
        method=method,  # type: ignore[arg-type]
    )
    partials = list(as_dict.stream(prompt))
    assert partials and set(partials[-1]) == {"name", "country"}


def test_structured_output_include_raw() -> None:
    model = ChatAIHubMix(model="gpt-4o-mini", temperature=0)
    out = model.with_structured_output(CityFacts, method="json_schema", include_raw=True).invoke(
        "Facts about 'Oslo' in 'Norway'."
    )
    assert isinstance(out["raw"], AIMessage)
    assert isinstance(out["parsed"], CityFacts)
    assert out["parsing_error"] is None


def test_tool_choice_forms_reach_the_wire(vcr: Any) -> None:
    model = ChatAIHubMix(model="gpt-4o-mini")
    for choice in (
        "any",
        True,
        "get_population",
        {"type": "function", "function": {"name": "get_weather"}},
    ):
        reply = model.bind_tools([get_weather, get_population], tool_choice=choice).invoke(
            "Hi 'Oslo'"
        )
        assert reply.tool_calls
    sent = [_sent(vcr, i)["tool_choice"] for i in range(4)]
    assert sent == [
        "required",
        "required",
        {"type": "function", "function": {"name": "get_population"}},
        {"type": "function", "function": {"name": "get_weather"}},
    ]


def test_unknown_model_is_a_not_found_error() -> None:
    with pytest.raises(ModelNotFoundError) as caught:
        ChatAIHubMix(model="no-such-model", max_retries=0).invoke("hello")
    assert isinstance(caught.value, ModelNotAvailableError)
    assert caught.value.status_code == 400
    assert "no-such-model" in str(caught.value) or "Incorrect model ID" in str(caught.value)


def test_bad_key_is_an_authentication_error() -> None:
    model = ChatAIHubMix(model="gpt-4o-mini", api_key="invalid-key", max_retries=0)
    with pytest.raises(ModelAuthenticationError) as caught:
        model.invoke("hello")
    assert isinstance(caught.value, AuthenticationError)
    assert "AIHUBMIX_API_KEY" in str(caught.value)
    assert "invalid-key" not in str(caught.value)


async def test_bad_request_in_a_stream_is_an_invalid_request_error() -> None:
    model = ChatAIHubMix(model="o3-mini", max_retries=0, extra_body={"max_tokens": 50})
    with pytest.raises(ModelInvalidRequestError):
        async for _ in model.astream("hello"):
            pass


def test_retrieval_with_embeddings_finds_the_overlapping_document() -> None:
    embeddings = AIHubMixEmbeddings(model="text-embedding-3-small", dimensions=256)
    store = InMemoryVectorStore(embeddings)
    store.add_documents(
        [
            Document("The Eiffel Tower stands in Paris."),
            Document("Bicycles need air in their tyres."),
            Document("Penguins live in Antarctica."),
        ]
    )
    best = store.similarity_search("Where do penguins live?", k=1)[0]
    assert "Penguins" in best.page_content
    assert len(embeddings.embed_query("penguins")) == 256


async def test_async_embeddings_keep_input_order_across_batches() -> None:
    embeddings = AIHubMixEmbeddings(model="text-embedding-3-small", chunk_size=2, max_concurrency=2)
    texts = ["alpha apples", "beta bananas", "gamma grapes", "delta dates", "epsilon eggs"]
    vectors = await embeddings.aembed_documents(texts)
    singles = [await embeddings.aembed_query(text) for text in texts]
    assert vectors == singles
