"""Profiles steering LangChain, and cost, against recorded AIHubMix traffic.

``create_agent`` picks native structured output from the model's profile; each reply's
``response_metadata["cost"]`` is its usage times the snapshot's prices, computed again
here from the snapshot file itself.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage
from pydantic import BaseModel, Field

from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix, get_aihubmix_usage

pytestmark = pytest.mark.vcr

PRICES = {
    record["id"]: record
    for record in json.loads(
        resources.files("aihubmix_core.catalog").joinpath("snapshot.json").read_text("utf-8")
    )["models"]
}


class CityFacts(BaseModel):
    """Facts about a city."""

    name: str = Field(description="The city's name")
    country: str = Field(description="The country it is in")


def _sent(cassette: Any, position: int) -> dict[str, Any]:
    return dict(json.loads(cassette.requests[position].body))


def _expected_cost(model: str, usage: dict[str, Any]) -> float:
    """USD for LangChain ``usage_metadata`` at the snapshot record's per-million prices."""
    record = PRICES[model]
    cached = usage.get("input_token_details", {}).get("cache_read", 0)
    read_price = record.get("cache_read_price", record["input_price"])
    return (
        (usage["input_tokens"] - cached) * record["input_price"]
        + cached * read_price
        + usage["output_tokens"] * record["output_price"]
    ) / 1_000_000


@pytest.mark.parametrize(
    ("model", "native"),
    [("qwen3-max", True), ("deepseek-chat", False)],
    ids=["profile-allows-native", "profile-does-not"],
)
def test_create_agent_picks_its_strategy_from_the_profile(
    vcr: Any, model: str, native: bool
) -> None:
    from langchain.agents import create_agent

    chat = ChatAIHubMix(model=model, temperature=0)
    assert chat.profile is not None and chat.profile["structured_output"] is native
    agent = create_agent(chat, tools=[], response_format=CityFacts)
    state = agent.invoke({"messages": [HumanMessage("Facts about 'Lyon' in 'France'.")]})
    facts = state["structured_response"]
    assert isinstance(facts, CityFacts) and facts.name and facts.country
    sent = _sent(vcr, 0)
    if native:
        assert sent["response_format"]["type"] == "json_schema"
        assert sent["response_format"]["json_schema"]["name"] == "CityFacts"
        assert "tools" not in sent
    else:
        assert "response_format" not in sent
        assert [t["function"]["name"] for t in sent["tools"]] == ["CityFacts"]
        assert sent["tool_choice"] == "required"


def test_invoke_reports_its_cost() -> None:
    reply = ChatAIHubMix(model="gpt-4o-mini").invoke("What is the capital of France?")
    assert reply.usage_metadata is not None
    metadata = reply.response_metadata
    assert (
        metadata["model_provider"]
        == ChatAIHubMix(model="gpt-4o-mini")._get_ls_params()["ls_provider"]
    )
    assert metadata["cost"] == pytest.approx(
        _expected_cost("gpt-4o-mini", dict(reply.usage_metadata))
    )
    assert metadata["cost_details"]["total"] == metadata["cost"]


async def test_stream_reports_its_cost_on_the_usage_chunk() -> None:
    model = ChatAIHubMix(model="claude-sonnet-4-5")
    chunks = [chunk async for chunk in model.astream("Name three colours.")]
    with_usage = [c for c in chunks if c.usage_metadata]
    assert len(with_usage) == 1
    last = with_usage[0]
    assert last.response_metadata["cost"] == pytest.approx(
        _expected_cost("claude-sonnet-4-5", dict(last.usage_metadata or {}))
    )
    assert all("cost" not in c.response_metadata for c in chunks if c is not last)
    whole: Any = None
    for chunk in chunks:
        whole = chunk if whole is None else whole + chunk
    assert isinstance(whole, AIMessageChunk)
    assert whole.response_metadata["cost"] == last.response_metadata["cost"]


def test_the_meter_totals_a_mixed_run_of_two_models() -> None:
    mini = ChatAIHubMix(model="gpt-4o-mini")
    reasoner = ChatAIHubMix(model="deepseek-reasoner")
    embeddings = AIHubMixEmbeddings(model="text-embedding-3-small")
    with get_aihubmix_usage() as usage:
        first = mini.invoke("Say hi.")
        second = mini.invoke("Say bye.")
        streamed: Any = None
        for chunk in reasoner.stream("What is 6 times 7?"):
            streamed = chunk if streamed is None else streamed + chunk
        embeddings.embed_documents(["one text", "another text"])
    replies: list[AIMessage] = [first, second, streamed]
    assert set(usage.by_model) == {"gpt-4o-mini", "deepseek-reasoner", "text-embedding-3-small"}
    mini_cost = first.response_metadata["cost"] + second.response_metadata["cost"]
    assert usage.cost["gpt-4o-mini"] == pytest.approx(mini_cost)
    assert usage.cost["deepseek-reasoner"] == pytest.approx(streamed.response_metadata["cost"])
    embedded = usage.by_model["text-embedding-3-small"]
    assert embedded.output_tokens == 0 and embedded.input_tokens > 0
    assert usage.cost["text-embedding-3-small"] == pytest.approx(
        embedded.input_tokens * PRICES["text-embedding-3-small"]["input_price"] / 1_000_000
    )
    assert usage.total_cost == pytest.approx(sum(usage.cost.values()))
    tokens = usage.usage_metadata
    assert tokens["gpt-4o-mini"]["input_tokens"] == sum(
        r.usage_metadata["input_tokens"] for r in replies[:2] if r.usage_metadata
    )
    assert tokens["deepseek-reasoner"]["output_token_details"]["reasoning"] > 0
