"""Cost of LlamaIndex calls against recorded AIHubMix traffic: on each response, and summed
per model by the usage meter over a mixed run."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage

from llama_index_aihubmix import AIHubMix, AIHubMixEmbedding, get_aihubmix_usage

pytestmark = pytest.mark.vcr

PRICES = {
    record["id"]: record
    for record in json.loads(
        resources.files("aihubmix_core.catalog").joinpath("snapshot.json").read_text("utf-8")
    )["models"]
}
QUESTION = [ChatMessage(role="user", content="What is the capital of France?")]


def _expected(model: str, kwargs: dict[str, Any]) -> float:
    """USD for the token counts a response carries, at the snapshot record's prices."""
    record = PRICES[model]
    cached = kwargs.get("cached_tokens", 0)
    read_price = record.get("cache_read_price", record["input_price"])
    return (
        (kwargs["prompt_tokens"] - cached) * record["input_price"]
        + cached * read_price
        + kwargs["completion_tokens"] * record["output_price"]
    ) / 1_000_000


def test_chat_and_stream_carry_their_cost() -> None:
    llm = AIHubMix(model="gpt-4o-mini")
    response = llm.chat(QUESTION)
    assert response.additional_kwargs["cost"] == pytest.approx(
        _expected("gpt-4o-mini", response.additional_kwargs)
    )
    last = list(llm.stream_chat(QUESTION))[-1]
    assert last.additional_kwargs["cost"] == pytest.approx(
        _expected("gpt-4o-mini", last.additional_kwargs)
    )


async def test_the_meter_totals_a_mixed_run_of_two_models() -> None:
    mini, claude = AIHubMix(model="gpt-4o-mini"), AIHubMix(model="claude-sonnet-4-5")
    embed = AIHubMixEmbedding(model_name="text-embedding-3-small")
    async with get_aihubmix_usage() as usage:
        first = await mini.achat(QUESTION)
        completed = await claude.acomplete("Name a colour.")
        last = [r async for r in await claude.astream_chat(QUESTION)][-1]
        await embed.aget_text_embedding_batch(["one", "two", "three"])
    assert set(usage.by_model) == {"gpt-4o-mini", "claude-sonnet-4-5", "text-embedding-3-small"}
    assert usage.cost["gpt-4o-mini"] == pytest.approx(first.additional_kwargs["cost"])
    claude_cost = completed.additional_kwargs["cost"] + last.additional_kwargs["cost"]
    assert usage.cost["claude-sonnet-4-5"] == pytest.approx(claude_cost)
    assert usage.by_model["claude-sonnet-4-5"].calls == 2
    tokens = usage.by_model["text-embedding-3-small"].input_tokens
    assert usage.cost["text-embedding-3-small"] == pytest.approx(
        tokens * PRICES["text-embedding-3-small"]["input_price"] / 1_000_000
    )
    assert usage.total_cost == pytest.approx(sum(usage.cost.values()))
    assert usage.prompt_tokens == sum(u.input_tokens for u in usage.by_model.values())
