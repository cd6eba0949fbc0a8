"""Model lists for code: models by type, capability and price."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .info import ModelInfo
from .registry import live_catalog, snapshot

__all__ = ["find_models"]


def _at_most(price: float | None, limit: float | None) -> bool:
    return limit is None or (price is not None and price <= limit)


def find_models(
    type: str | None = None,
    *,
    tools: bool | None = None,
    structured_output: bool | None = None,
    reasoning: bool | None = None,
    image_input: bool | None = None,
    pdf_input: bool | None = None,
    audio_input: bool | None = None,
    video_input: bool | None = None,
    features: Iterable[str] = (),
    min_context: int | None = None,
    max_input_price: float | None = None,
    max_output_price: float | None = None,
    catalog: Mapping[str, ModelInfo] | None = None,
) -> list[ModelInfo]:
    """Models matching every filter given, sorted by id.

    ``type`` is a catalog type (``"llm"``, ``"embedding"``, ``"rerank"``,
    ``"image_generation"``, ``"tts"``, ``"stt"``, ``"video"``); a capability filter set to
    ``True`` or ``False`` keeps the models that have or lack it; ``features`` are catalog
    feature words (``"web"``, ``"long_context"``, ...); prices are USD per million tokens,
    and a price filter leaves out models whose price is not known. The models come from
    ``catalog`` if given, else the live catalog once fetched, else the shipped snapshot.

    Example: chat models with tools and image input under $1 per million input tokens::

        find_models("llm", tools=True, image_input=True, max_input_price=1.0)
    """
    source = catalog if catalog is not None else live_catalog() or snapshot()
    wanted = {
        "tools": tools,
        "structured_output": structured_output,
        "reasoning": reasoning,
        "image_input": image_input,
        "pdf_input": pdf_input,
        "audio_input": audio_input,
        "video_input": video_input,
    }
    needed = {f.strip().lower() for f in features}
    found = []
    for info in source.values():
        if type is not None and type not in info.types:
            continue
        if any(want is not None and getattr(info, k) is not want for k, want in wanted.items()):
            continue
        if needed and not needed <= set(info.features):
            continue
        if min_context is not None and info.context_window < min_context:
            continue
        if not _at_most(info.input_price, max_input_price):
            continue
        if not _at_most(info.output_price, max_output_price):
            continue
        found.append(info)
    return sorted(found, key=lambda info: info.id)
