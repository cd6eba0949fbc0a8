"""The public catalog's reply, uneven fields and all (tests/data/catalog/public-catalog.json),
read directly and through the client, and what the rest of the package then sees."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import testkit

from aihubmix_core import AIHubMixClient, ModelInfo, find_models, lookup_model, parse_catalog
from aihubmix_core.catalog import live_catalog, snapshot
from aihubmix_core.catalog.parse import number, words

REPLY: dict[str, Any] = json.loads(
    (testkit.DATA / "catalog" / "public-catalog.json").read_text(encoding="utf-8")
)
ENTRIES = {e["model_id"]: e for e in REPLY["data"] if isinstance(e, dict) and e.get("model_id")}


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (128000, 128000.0),
        ("128000", 128000.0),
        ("1,000,000", 1_000_000.0),
        (" 0.15 ", 0.15),
        ("", None),
        (None, None),
        (True, None),
        ("n/a", None),
    ],
)
def test_numbers_as_numbers_or_strings(raw: Any, value: float | None) -> None:
    assert number(raw) == value


def test_words_from_comma_strings_or_lists() -> None:
    assert words("thinking, tools ,function_calling , ") == (
        "thinking",
        "tools",
        "function_calling",
    )
    assert words(["Tools", "tools", " web"]) == ("tools", "web")
    assert words(None) == () and words(42) == ()


@pytest.fixture
def catalog() -> dict[str, ModelInfo]:
    return parse_catalog(REPLY)


def test_entries_without_an_id_are_skipped(catalog: dict[str, ModelInfo]) -> None:
    assert set(catalog) == set(ENTRIES)


@pytest.mark.parametrize(
    "model",
    [
        "gpt-4o-mini",
        "gpt-5",
        "o3",
        "claude-sonnet-4-5",
        "gemini-2.5-pro",
        "deepseek-chat",
        "deepseek-reasoner",
        "qwen3-max",
        "text-embedding-3-small",
    ],
)
def test_limits_and_prices_are_the_entry_s(catalog: dict[str, ModelInfo], model: str) -> None:
    entry, info = ENTRIES[model], catalog[model]
    assert info.source == "catalog" and info.known
    assert info.context_window == int(str(entry["context_length"]).replace(",", ""))
    if str(entry.get("max_output") or "0") not in ("", "0"):
        assert info.max_output_tokens == int(str(entry["max_output"]).replace(",", ""))
    pricing = entry["pricing"]
    assert info.input_price == float(pricing["input"])
    assert info.output_price == float(pricing["output"])
    assert info.cache_read_price == (
        float(pricing["cache_read"]) if "cache_read" in pricing else None
    )
    features = set(words(entry.get("features")))
    if features & {"tools", "function_calling"}:
        assert info.tools
    if "thinking" in features:
        assert info.reasoning
    if "structured_outputs" in features:
        assert info.structured_output
    assert info.image_input is (
        "image" in words(entry.get("input_modalities")) or snapshot()[model].image_input
    )


def test_what_an_entry_leaves_out_comes_from_the_snapshot(catalog: dict[str, ModelInfo]) -> None:
    qwen = catalog["qwen3-max"]  # empty max_output and modalities, no cache prices
    shipped = snapshot()["qwen3-max"]
    assert qwen.max_output_tokens == shipped.max_output_tokens
    assert qwen.input_modalities == shipped.input_modalities
    assert (qwen.input_price, qwen.output_price, qwen.cache_read_price) == (1.2, 6.0, None)
    assert qwen.price_tiers == ()  # the tiers belonged to other base prices
    reasoner = catalog["deepseek-reasoner"]  # "thinking" only: tool calling from the snapshot
    assert reasoner.tools and reasoner.reasoning
    gpt5 = catalog["gpt-5"]
    assert gpt5.reasoning_efforts == snapshot()["gpt-5"].reasoning_efforts
    assert gpt5.max_input_tokens == 272_000 and gpt5.price_tiers == ()
    gemini = catalog["gemini-2.5-pro"]  # same base prices: the snapshot's long-prompt tier stays
    assert gemini.price_tiers == snapshot()["gemini-2.5-pro"].price_tiers
    assert gemini.features == (
        "thinking",
        "tools",
        "function_calling",
        "structured_outputs",
        "long_context",
        "web",
    )


def test_types_and_ids_the_snapshot_does_not_hold(catalog: dict[str, ModelInfo]) -> None:
    reranker = catalog["jina-reranker-m0"]
    assert reranker.types == ("rerank",) and not reranker.tools and not reranker.priced
    assert reranker.input_modalities == ("text", "image")
    assert catalog["tts-1"].types == ("tts",) and catalog["tts-1"].input_price is None
    new = catalog["brand-new-model"]
    assert (new.context_window, new.input_price, new.output_price) == (1_000_000, 0.5, None)
    assert new.tools and not new.reasoning and new.features == ("function_calling", "web")


def test_fetched_through_the_client_it_is_what_everything_sees(make_client: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=REPLY, headers={"Cache-Control": "max-age=300"})

    client: AIHubMixClient = make_client(handler)
    assert lookup_model("deepseek-chat").context_window == 1_000_000  # the snapshot
    fetched = client.fetch_catalog()
    assert live_catalog() == fetched and len(seen) == 1
    assert lookup_model("deepseek-chat").context_window == 128_000  # the catalog
    assert AIHubMixClient(api_key=None).model_info("brand-new-model").input_price == 0.5
    assert [m.id for m in find_models("rerank")] == ["jina-reranker-m0"]
    client.fetch_catalog()
    assert len(seen) == 1  # read once per client
