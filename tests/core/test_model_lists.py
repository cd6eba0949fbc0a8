"""Model lists for code: by type, capability and price, from the snapshot or a catalog."""

from __future__ import annotations

from aihubmix_core import ModelInfo, find_models
from aihubmix_core.catalog import snapshot, use_catalog


def test_chat_models_with_tools_and_image_input_under_a_price() -> None:
    found = find_models("llm", tools=True, image_input=True, max_input_price=1.0)
    assert found and [m.id for m in found] == sorted(m.id for m in found)
    for info in found:
        assert "llm" in info.types and info.tools and info.image_input
        assert info.input_price is not None and info.input_price <= 1.0
    assert "gpt-4o-mini" in {m.id for m in found}
    everyone = {
        m.id
        for m in snapshot().values()
        if "llm" in m.types
        and m.tools
        and m.image_input
        and m.input_price is not None
        and m.input_price <= 1.0
    }
    assert {m.id for m in found} == everyone


def test_each_filter() -> None:
    embedders = find_models("embedding")
    assert {"text-embedding-3-small", "text-embedding-3-large"} <= {m.id for m in embedders}
    assert all("embedding" in m.types for m in embedders)
    assert [m.id for m in find_models("rerank")] == ["jina-colbert-v2"]
    assert {"tts-1", "gpt-4o-mini-tts"} <= {m.id for m in find_models("tts")}
    assert all(not m.reasoning for m in find_models("llm", reasoning=False))
    assert all(m.pdf_input for m in find_models(pdf_input=True))
    assert all(
        m.audio_input and m.video_input for m in find_models(audio_input=True, video_input=True)
    )
    assert all(m.structured_output for m in find_models(structured_output=True))
    assert all(m.context_window >= 1_000_000 for m in find_models(min_context=1_000_000))
    cheap_output = find_models("llm", max_output_price=1.0)
    assert cheap_output and all(
        m.output_price is not None and m.output_price <= 1.0 for m in cheap_output
    )
    assert all(m.input_price is not None for m in find_models(max_input_price=1e9))


def test_from_a_catalog_given_or_installed() -> None:
    web = ModelInfo(id="searcher", known=True, types=("llm",), features=("web", "tools"))
    plain = ModelInfo(id="plain", known=True, types=("llm",))
    catalog = {m.id: m for m in (web, plain)}
    assert find_models(features=["WEB"], catalog=catalog) == [web]
    use_catalog(catalog)
    assert find_models("llm") == [plain, web]
