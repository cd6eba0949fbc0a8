"""What is known about a model: context window, output limit, capabilities, prices.

A small table shipped in the package answers offline for well-known families; the
public catalog (``/api/v1/models``) fills in the rest when fetched. Nothing on the
request path needs either: an unknown model id is passed through, never refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "DEFAULT_CONTEXT_WINDOW",
    "DEFAULT_MAX_OUTPUT_TOKENS",
    "ModelInfo",
    "lookup_model",
    "parse_catalog",
]

DEFAULT_CONTEXT_WINDOW = 32_768
"""Assumed for ids nobody knows: small enough to be safe on any current chat model."""
DEFAULT_MAX_OUTPUT_TOKENS = 4_096


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    context_window: int = DEFAULT_CONTEXT_WINDOW
    max_output_tokens: int = DEFAULT_MAX_OUTPUT_TOKENS
    tools: bool = True
    reasoning: bool = False
    structured_output: bool = False
    image_input: bool = False
    embedding_dimensions: int | None = None
    input_price: float | None = None
    """USD per million input tokens, from the catalog."""
    output_price: float | None = None
    """USD per million output tokens, from the catalog."""
    cache_read_price: float | None = None
    known: bool = False
    """False when the values are this package's defaults for an unknown id."""


def _m(
    prefix: str,
    window: int,
    output: int,
    *,
    tools: bool = True,
    reasoning: bool = False,
    structured: bool = False,
    vision: bool = False,
    dims: int | None = None,
) -> ModelInfo:
    # Positional in field order: id, limits, then tools, reasoning, structured, vision, dims.
    return replace(
        ModelInfo(prefix, window, output, tools, reasoning, structured, vision, dims), known=True
    )


# Published limits of the providers, by id prefix; the longest matching prefix wins.
_TABLE: tuple[ModelInfo, ...] = (
    _m("gpt-4o", 128_000, 16_384, structured=True, vision=True),
    _m("gpt-4o-mini", 128_000, 16_384, structured=True, vision=True),
    _m("chatgpt-4o", 128_000, 16_384, tools=False, vision=True),
    _m("gpt-4.1", 1_047_576, 32_768, structured=True, vision=True),
    _m("gpt-4-turbo", 128_000, 4_096, vision=True),
    _m("gpt-3.5-turbo", 16_385, 4_096),
    _m("gpt-5", 400_000, 128_000, reasoning=True, structured=True, vision=True),
    _m("gpt-5-chat", 128_000, 16_384, structured=True, vision=True),
    _m("o1", 200_000, 100_000, reasoning=True, structured=True, vision=True),
    _m("o1-mini", 128_000, 65_536, tools=False, reasoning=True),
    _m("o3", 200_000, 100_000, reasoning=True, structured=True, vision=True),
    _m("o3-mini", 200_000, 100_000, reasoning=True, structured=True),
    _m("o4-mini", 200_000, 100_000, reasoning=True, structured=True, vision=True),
    _m("claude-3-5-sonnet", 200_000, 8_192, vision=True),
    _m("claude-3-5-haiku", 200_000, 8_192),
    _m("claude-3-7-sonnet", 200_000, 64_000, reasoning=True, vision=True),
    _m("claude-sonnet-4", 200_000, 64_000, reasoning=True, vision=True),
    _m("claude-opus-4", 200_000, 32_000, reasoning=True, vision=True),
    _m("claude-haiku-4", 200_000, 64_000, reasoning=True, vision=True),
    _m("gemini-2.0-flash", 1_048_576, 8_192, structured=True, vision=True),
    _m("gemini-2.5-pro", 1_048_576, 65_536, reasoning=True, structured=True, vision=True),
    _m("gemini-2.5-flash", 1_048_576, 65_536, reasoning=True, structured=True, vision=True),
    _m("gemini-3", 1_048_576, 65_536, reasoning=True, structured=True, vision=True),
    _m("deepseek-chat", 128_000, 8_192, structured=True),
    _m("deepseek-v3", 128_000, 8_192, structured=True),
    _m("deepseek-reasoner", 128_000, 64_000, reasoning=True),
    _m("deepseek-r1", 128_000, 64_000, tools=False, reasoning=True),
    _m("grok-3", 131_072, 16_384),
    _m("grok-3-mini", 131_072, 16_384, reasoning=True),
    _m("grok-4", 256_000, 64_000, reasoning=True, structured=True, vision=True),
    _m("qwen-max", 32_768, 8_192),
    _m("qwen-plus", 131_072, 8_192),
    _m("qwen3", 131_072, 16_384, reasoning=True),
    _m("glm-4.5", 131_072, 98_304, reasoning=True),
    _m("glm-4.6", 200_000, 128_000, reasoning=True),
    _m("kimi-k2", 131_072, 16_384),
    _m("text-embedding-3-small", 8_191, 0, tools=False, dims=1_536),
    _m("text-embedding-3-large", 8_191, 0, tools=False, dims=3_072),
    _m("text-embedding-ada-002", 8_191, 0, tools=False, dims=1_536),
)
_BY_PREFIX = sorted(_TABLE, key=lambda info: len(info.id), reverse=True)
_SUFFIXES = ("-nothink", "-think", "-search")


def _normalise(model: str) -> str:
    name = model.strip().lower()
    if "/" in name:
        name = name.rsplit("/", 1)[1]
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def lookup_model(model: str, catalog: Mapping[str, ModelInfo] | None = None) -> ModelInfo:
    """The best knowledge about ``model``: the catalog, then the shipped table, then defaults."""
    if catalog and model in catalog:
        return catalog[model]
    name = _normalise(model)
    for info in _BY_PREFIX:
        if name == info.id or (name.startswith(info.id) and name[len(info.id)] in "-.:@_"):
            return replace(info, id=model)
    return ModelInfo(id=model)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").strip())
        except ValueError:
            return None
    return None


def _catalog_entry(raw: Mapping[str, Any]) -> ModelInfo | None:
    model_id = raw.get("model_id") or raw.get("id")
    if not isinstance(model_id, str) or not model_id:
        return None
    base = lookup_model(model_id)
    features_raw = raw.get("features") or ""
    if isinstance(features_raw, list):
        features = {str(f).strip().lower() for f in features_raw}
    else:
        features = {f.strip().lower() for f in str(features_raw).split(",") if f.strip()}
    modalities_raw = raw.get("input_modalities") or ""
    if isinstance(modalities_raw, list):
        modalities = {str(m).strip().lower() for m in modalities_raw}
    else:
        modalities = {m.strip().lower() for m in str(modalities_raw).split(",") if m.strip()}
    raw_pricing = raw.get("pricing")
    pricing: Mapping[str, Any] = raw_pricing if isinstance(raw_pricing, Mapping) else {}
    window = _number(raw.get("context_length"))
    output = _number(raw.get("max_output"))
    return ModelInfo(
        id=model_id,
        context_window=int(window) if window else base.context_window,
        max_output_tokens=int(output) if output else base.max_output_tokens,
        tools=bool(features & {"tools", "function_calling"}) or (base.known and base.tools),
        reasoning="thinking" in features or "reasoning" in features or base.reasoning,
        structured_output="structured_outputs" in features or base.structured_output,
        image_input="image" in modalities or base.image_input,
        embedding_dimensions=base.embedding_dimensions,
        input_price=_number(pricing.get("input")),
        output_price=_number(pricing.get("output")),
        cache_read_price=_number(pricing.get("cache_read")),
        known=True,
    )


def parse_catalog(body: Any) -> dict[str, ModelInfo]:
    """The public catalog's JSON (``{"data": [...]}`` or a bare list) as ``{id: ModelInfo}``."""
    items = body.get("data") if isinstance(body, Mapping) else body
    catalog: dict[str, ModelInfo] = {}
    if isinstance(items, list):
        for raw in items:
            if isinstance(raw, Mapping):
                info = _catalog_entry(raw)
                if info is not None:
                    catalog[info.id] = info
    return catalog
