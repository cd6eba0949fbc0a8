"""The shipped snapshot: what it covers, where its figures came from, how ids resolve to it,
and that it costs nothing until first used."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from typing import Any

import pytest
import testkit

from aihubmix_core import DEFAULT_CONTEXT_WINDOW, ModelInfo, lookup_model
from aihubmix_core.catalog import (
    MODEL_TYPES,
    catalog_generation,
    snapshot,
    snapshot_provenance,
    use_catalog,
)
from aihubmix_core.catalog.records import from_record, to_record


def _raw() -> dict[str, Any]:
    text = resources.files("aihubmix_core.catalog").joinpath("snapshot.json").read_text("utf-8")
    return dict(json.loads(text))


RAW = {record["id"]: record for record in _raw()["models"]}


def test_every_record_says_where_it_came_from() -> None:
    provenance = snapshot_provenance()
    assert provenance["repository"] == "https://github.com/anomalyco/models.dev"
    assert len(provenance["revision"]) == 40
    for model_id, record in RAW.items():
        sources = record["provenance"]
        assert sources, model_id
        assert any(
            "@" in value or value.startswith("http") or "AIHubMix" in value
            for value in sources.values()
        ), (model_id, sources)


def test_every_catalog_type_has_models() -> None:
    assert len(snapshot()) >= 130
    found = {kind for info in snapshot().values() for kind in info.types}
    assert found == set(MODEL_TYPES)


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
        "jina-colbert-v2",
    ],
)
def test_lookup_answers_with_the_snapshot_record(model: str) -> None:
    info = lookup_model(model)
    assert info.known and info.source == "snapshot"
    assert to_record(info) == {k: v for k, v in RAW[model].items() if k != "provenance"}


def test_snapshot_figures_of_well_known_models() -> None:
    """Spot checks against the files the records name (models.dev, see provenance)."""
    o3 = lookup_model("o3")
    assert (o3.context_window, o3.max_output_tokens, o3.tools, o3.structured_output) == (
        200_000,
        100_000,
        True,
        True,
    )
    assert (o3.input_price, o3.output_price, o3.cache_read_price) == (2.0, 8.0, 0.5)
    assert o3.reasoning_efforts == ("low", "medium", "high")
    gpt5 = lookup_model("gpt-5")
    assert (gpt5.context_window, gpt5.max_input_tokens, gpt5.prompt_limit) == (
        400_000,
        272_000,
        272_000,
    )
    gemini = lookup_model("gemini-2.5-pro")
    assert gemini.pdf_input and gemini.audio_input and gemini.video_input
    assert gemini.price_tiers[0].above == 200_000 and gemini.price_tiers[0].input == 2.5
    claude = lookup_model("claude-sonnet-4-5")
    assert (claude.cache_read_price, claude.cache_write_price) == (0.3, 3.75)
    embedder = lookup_model("text-embedding-3-small")
    assert embedder.types == ("embedding",) and embedder.embedding_dimensions == 1536
    assert not embedder.tools and not embedder.is_chat
    assert lookup_model("jina-colbert-v2").types == ("embedding", "rerank")
    assert lookup_model("deepseek-reasoner").reasoning


def test_records_round_trip() -> None:
    for info in snapshot().values():
        assert from_record(to_record(info)) == info


@pytest.mark.parametrize(
    ("model", "family", "priced"),
    [
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5", True),  # dated: the alias's price
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini", True),
        ("GPT-4O-MINI", "gpt-4o-mini", True),  # case only
        ("openai/gpt-4o-mini", "gpt-4o-mini", False),  # vendor prefix: facts, no price
        ("gemini-2.5-pro-nothink", "gemini-2.5-pro", False),
        ("gpt-5-2026-preview", "gpt-5", False),  # an unlisted variant
    ],
)
def test_variants_resolve_to_their_family(model: str, family: str, priced: bool) -> None:
    info = lookup_model(model)
    listed = snapshot()[family]
    assert info.id == model and info.known
    assert (info.context_window, info.tools, info.reasoning) == (
        listed.context_window,
        listed.tools,
        listed.reasoning,
    )
    assert (info.input_price is not None) is priced
    if not priced:
        assert info.source == f"family:{family}" and not info.priced


def test_unknown_ids_get_defaults_and_no_price() -> None:
    info = lookup_model("model-from-2031")
    assert info == ModelInfo(id="model-from-2031")
    assert not info.known and info.context_window == DEFAULT_CONTEXT_WINDOW
    assert info.input_price is None and info.source == "default"


def test_an_installed_catalog_wins_and_is_seen_by_later_lookups() -> None:
    before = lookup_model("gpt-4o-mini")
    generation = catalog_generation()
    fetched = ModelInfo(id="gpt-4o-mini", context_window=1, known=True, source="catalog")
    use_catalog({"gpt-4o-mini": fetched, "next-model": fetched})
    assert catalog_generation() == generation + 1
    assert lookup_model("gpt-4o-mini") is fetched
    assert lookup_model("next-model-2027-01-01").context_window == 1  # dated alias of a live id
    use_catalog(None)
    assert lookup_model("gpt-4o-mini") == before


@pytest.mark.parametrize(
    "imported", ["aihubmix_core", "aihubmix_core, langchain_aihubmix"], ids=["core", "langchain"]
)
def test_the_snapshot_is_read_at_first_lookup_and_quickly(imported: str) -> None:
    """Importing the packages reads nothing; the first lookup loads the snapshot."""
    if "langchain_aihubmix" in imported:
        # make test-lowest also runs tests/core alone, in a venv without the frameworks
        pytest.importorskip("langchain_core", reason="langchain_aihubmix needs langchain-core")
    code = (
        f"import time, {imported}\n"
        "from aihubmix_core.catalog import registry\n"
        "assert registry._STATE.snapshot is None, 'loaded at import'\n"
        "t = time.perf_counter()\n"
        "registry.lookup_model('gpt-4o-mini')\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=testkit.ROOT
    )
    assert float(out.stdout) < 0.5
