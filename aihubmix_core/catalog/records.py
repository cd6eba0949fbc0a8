"""``ModelInfo`` to and from the plain records of the shipped snapshot (JSON objects).

A record holds only what differs from ``ModelInfo``'s defaults; unknown keys (such as a
record's ``provenance``) are ignored, so older and newer snapshots both load.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from .info import ModelInfo, PriceTier

__all__ = ["from_record", "to_record"]

_DEFAULTS = ModelInfo(id="")
_FIELDS = tuple(f.name for f in fields(ModelInfo) if f.name not in ("known", "source"))
_TUPLES = frozenset(
    ("types", "input_modalities", "output_modalities", "reasoning_efforts", "features")
)


def to_record(info: ModelInfo) -> dict[str, Any]:
    """The record of ``info``: its id and every value that is not the default."""
    record: dict[str, Any] = {"id": info.id}
    for name in _FIELDS[1:]:
        value = getattr(info, name)
        if value == getattr(_DEFAULTS, name):
            continue
        if name == "price_tiers":
            value = [
                {k: v for k, v in zip(_TIER_KEYS, _tier_values(t), strict=True) if v is not None}
                for t in value
            ]
        elif name in _TUPLES:
            value = list(value)
        record[name] = value
    return record


_TIER_KEYS = ("above", "input", "output", "cache_read", "cache_write")


def _tier_values(tier: PriceTier) -> tuple[Any, ...]:
    return (tier.above, tier.input, tier.output, tier.cache_read, tier.cache_write)


def _tier(raw: Mapping[str, Any]) -> PriceTier:
    return PriceTier(
        above=int(raw["above"]),
        input=raw.get("input"),
        output=raw.get("output"),
        cache_read=raw.get("cache_read"),
        cache_write=raw.get("cache_write"),
    )


def from_record(record: Mapping[str, Any], *, source: str = "snapshot") -> ModelInfo:
    """A ``ModelInfo`` (``known``) from a record."""
    values: dict[str, Any] = {}
    for name in _FIELDS:
        if name not in record:
            continue
        value = record[name]
        if name == "price_tiers":
            value = tuple(sorted((_tier(t) for t in value), key=lambda t: t.above))
        elif name in _TUPLES:
            value = tuple(value)
        values[name] = value
    if "image_input" not in values and "input_modalities" in values:
        values["image_input"] = "image" in values["input_modalities"]
    return ModelInfo(**values, known=True, source=source)
