"""AIHubMix's public catalog (``GET /api/v1/models``) as ``ModelInfo``s, read tolerantly.

The catalog's metadata is uneven: numbers come as numbers or strings (``"128000"``,
``"1,000,000"``, ``""``), ``features``, ``types`` and ``input_modalities`` as a comma
string or a list, fields go missing, and either ``tools`` or ``function_calling`` marks
tool calling. Prices are read as USD per million tokens, which is what the catalog serves
in practice (its documentation says per thousand). What an entry does not say is taken
from the shipped snapshot's entry for the same id, so nothing known is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .info import DEFAULT_CONTEXT_WINDOW, DEFAULT_MAX_OUTPUT_TOKENS, ModelInfo, PriceTier
from .registry import snapshot

__all__ = ["PRICE_UNIT_TOKENS", "number", "parse_catalog", "parse_entry", "words"]

PRICE_UNIT_TOKENS = 1_000_000
"""The catalog's prices are per this many tokens."""
_TOOL_FEATURES = frozenset({"tools", "function_calling"})
_THINKING_FEATURES = frozenset({"thinking", "reasoning"})


def number(value: Any) -> float | None:
    """A number from a number or a numeric string (thousands separators allowed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").replace("_", "").strip())
        except ValueError:
            return None
    return None


def words(value: Any) -> tuple[str, ...]:
    """Lower-case words from a comma-separated string or a list; ``()`` for anything else."""
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return ()
    return tuple(dict.fromkeys(w for w in (str(i).strip().lower() for i in items) if w))


def _count(value: Any) -> int | None:
    parsed = number(value)
    return int(parsed) if parsed is not None and parsed > 0 else None


def _prices(pricing: Mapping[str, Any], base: ModelInfo) -> dict[str, Any]:
    stated = {key: number(pricing.get(key)) for key in ("input", "output", "cache_read")}
    stated["cache_write"] = number(pricing.get("cache_write"))
    if all(value is None for value in stated.values()):
        return {
            "input_price": base.input_price,
            "output_price": base.output_price,
            "cache_read_price": base.cache_read_price,
            "cache_write_price": base.cache_write_price,
            "price_tiers": base.price_tiers,
        }
    same_base = stated["input"] == base.input_price and stated["output"] == base.output_price
    tiers: tuple[PriceTier, ...] = base.price_tiers if same_base else ()
    return {
        "input_price": stated["input"],
        "output_price": stated["output"],
        "cache_read_price": stated["cache_read"],
        "cache_write_price": stated["cache_write"],
        "price_tiers": tiers,
    }


def parse_entry(raw: Mapping[str, Any], base: ModelInfo | None = None) -> ModelInfo | None:
    """One catalog entry; ``base`` (the snapshot's entry, if any) fills what it leaves out.
    ``None`` for an entry without an id."""
    model_id = raw.get("model_id") or raw.get("id")
    if not isinstance(model_id, str) or not model_id.strip():
        return None
    model_id = model_id.strip()
    known = base is not None
    base = base or ModelInfo(id=model_id, tools=False)
    features = words(raw.get("features"))
    modalities = words(raw.get("input_modalities")) or base.input_modalities
    types = words(raw.get("types") or raw.get("type")) or base.types
    raw_pricing = raw.get("pricing")
    pricing: Mapping[str, Any] = raw_pricing if isinstance(raw_pricing, Mapping) else {}
    window = _count(raw.get("context_length"))
    output = _count(raw.get("max_output"))
    max_input = base.max_input_tokens
    return ModelInfo(
        id=model_id,
        context_window=window or base.context_window or DEFAULT_CONTEXT_WINDOW,
        max_output_tokens=output or base.max_output_tokens or DEFAULT_MAX_OUTPUT_TOKENS,
        tools=bool(set(features) & _TOOL_FEATURES) or (known and base.tools),
        reasoning=bool(set(features) & _THINKING_FEATURES) or base.reasoning,
        structured_output="structured_outputs" in features or base.structured_output,
        image_input="image" in modalities or base.image_input,
        embedding_dimensions=base.embedding_dimensions,
        known=True,
        types=types,
        input_modalities=modalities,
        output_modalities=base.output_modalities,
        max_input_tokens=max_input if window is None or (max_input or 0) <= window else None,
        reasoning_efforts=base.reasoning_efforts,
        features=features,
        name=base.name,
        release_date=base.release_date,
        open_weights=base.open_weights,
        temperature=base.temperature,
        source="catalog",
        **_prices(pricing, base),
    )


def parse_catalog(
    body: Any, *, base: Callable[[str], ModelInfo | None] | None = None
) -> dict[str, ModelInfo]:
    """The public catalog's JSON (``{"data": [...]}`` or a bare list) as ``{id: ModelInfo}``.

    ``base(id)`` gives what is already known about an id (default: the shipped snapshot).
    Entries that are not objects or have no id are skipped.
    """
    known = base if base is not None else snapshot().get
    items = body.get("data") if isinstance(body, Mapping) else body
    catalog: dict[str, ModelInfo] = {}
    if isinstance(items, list):
        for raw in items:
            if not isinstance(raw, Mapping):
                continue
            model_id = raw.get("model_id") or raw.get("id")
            info = parse_entry(raw, known(model_id.strip()) if isinstance(model_id, str) else None)
            if info is not None:
                catalog[info.id] = info
    return catalog
