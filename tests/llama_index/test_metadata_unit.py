"""``AIHubMix.metadata`` from the catalog data, following a catalog fetched at any time,
and cost in responses' ``additional_kwargs`` only when it can be known."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from llama_index.core.base.llms.types import ChatMessage
from testkit import DATA, KEY, completion, delta_chunk

from aihubmix_core.catalog import snapshot
from llama_index_aihubmix import AIHubMix

HI = [ChatMessage(role="user", content="hi")]
REQUIRED = [
    "gpt-4o-mini",
    "gpt-5",
    "o3",
    "claude-sonnet-4-5",
    "gemini-2.5-pro",
    "deepseek-chat",
    "deepseek-reasoner",
    "qwen3-max",
]


@pytest.mark.parametrize("model", REQUIRED)
def test_metadata_matches_the_snapshot_entry(model: str) -> None:
    info = snapshot()[model]
    metadata = AIHubMix(model=model, api_key="sk-test").metadata
    assert (metadata.context_window, metadata.num_output) == (
        info.context_window,
        info.max_output_tokens,
    )
    assert metadata.is_function_calling_model is info.tools
    assert metadata.is_chat_model and metadata.model_name == model


def test_constructor_overrides_win() -> None:
    llm = AIHubMix(
        model="o3",
        api_key="sk-test",
        context_window=1000,
        max_tokens=50,
        is_function_calling_model=False,
    )
    metadata = llm.metadata
    assert (metadata.context_window, metadata.num_output) == (1000, 50)
    assert metadata.is_function_calling_model is False


def test_unknown_ids_get_conservative_defaults() -> None:
    metadata = AIHubMix(model="next-years-model", api_key="sk-test").metadata
    assert (metadata.context_window, metadata.num_output) == (32_768, 4_096)


def test_metadata_read_before_a_fetch_follows_it(mock_http: Any) -> None:
    reply = json.loads((DATA / "catalog" / "public-catalog.json").read_text(encoding="utf-8"))
    llm = AIHubMix(
        model="deepseek-chat",
        api_key="sk-test",
        http_client=mock_http.client(lambda request: httpx.Response(200, json=reply)),
    )
    other = AIHubMix(model="deepseek-chat", api_key="sk-test")
    assert llm.metadata.context_window == other.metadata.context_window == 1_000_000
    llm.client.fetch_catalog()
    assert llm.metadata.context_window == 128_000
    assert other.metadata.context_window == 128_000  # every object sees the fetch


def test_cost_in_chat_and_stream_responses(mock_llm: Any) -> None:
    usage = {"prompt_tokens": 1000, "completion_tokens": 100, "total_tokens": 1100}
    llm, _ = mock_llm(body=completion("Hi", model="gpt-4o-mini", usage=usage), api_key=KEY)
    expected = (1000 * 0.15 + 100 * 0.6) / 1_000_000  # gpt-4o-mini's snapshot prices
    response = llm.chat(HI)
    assert response.additional_kwargs["cost"] == pytest.approx(expected)
    assert llm.complete("hi").additional_kwargs["cost"] == pytest.approx(expected)
    streamer, _ = mock_llm(
        api_key=KEY,
        chunks=[
            delta_chunk("Hi"),
            delta_chunk(finish="stop"),
            {"id": "s", "model": "gpt-4o-mini", "choices": [], "usage": usage},
        ],
    )
    responses = list(streamer.stream_chat(HI))
    assert responses[-1].additional_kwargs["cost"] == pytest.approx(expected)
    assert all("cost" not in r.additional_kwargs for r in responses[:-1])


def test_no_price_means_no_cost(mock_llm: Any) -> None:
    llm, _ = mock_llm(body=completion("Hi", model="house-model"), model="house-model", api_key=KEY)
    assert "cost" not in llm.chat(HI).additional_kwargs
