"""Where model facts are looked up: the live catalog once fetched, else the shipped snapshot.

The snapshot (``snapshot.json`` beside this module) is read at the first lookup, not at
import. A fetched catalog is installed process-wide with ``use_catalog`` (the client's
``fetch_catalog`` does it), and every later lookup sees it: objects that ask on each use,
such as a LlamaIndex ``AIHubMix``'s ``metadata``, reflect it even if they asked before.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from .info import ModelInfo
from .records import from_record

__all__ = [
    "catalog_generation",
    "live_catalog",
    "lookup_model",
    "snapshot",
    "snapshot_provenance",
    "use_catalog",
]

_SUFFIXES = ("-nothink", "-think", "-search")
_DATED = re.compile(r"^(?P<alias>.+?)-(?:\d{4}-\d{2}-\d{2}|20\d{6})$")
_BOUNDARY = "-.:@_"
_MEMO_SIZE = 4096


class _State:
    """Process-wide: the snapshot once loaded, the live catalog, and memoised lookups."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.snapshot: Mapping[str, ModelInfo] | None = None
        self.lowered: dict[str, ModelInfo] = {}
        self.provenance: dict[str, Any] = {}
        self.live: Mapping[str, ModelInfo] | None = None
        self.generation = 0
        self.memo: dict[str, ModelInfo] = {}
        self.families: list[ModelInfo] | None = None


_STATE = _State()


def _load() -> Mapping[str, ModelInfo]:
    with _STATE.lock:
        if _STATE.snapshot is None:
            from importlib import resources  # only now: the import costs a few milliseconds

            text = resources.files(__package__).joinpath("snapshot.json").read_text("utf-8")
            data = json.loads(text)
            models = {r["id"]: from_record(r) for r in data.get("models", [])}
            _STATE.lowered = {key.lower(): info for key, info in models.items()}
            _STATE.provenance = dict(data.get("provenance") or {})
            _STATE.snapshot = MappingProxyType(models)
        return _STATE.snapshot


def snapshot() -> Mapping[str, ModelInfo]:
    """Every model of the shipped snapshot, by id (read-only)."""
    return _STATE.snapshot if _STATE.snapshot is not None else _load()


def snapshot_provenance() -> dict[str, Any]:
    """Where the shipped snapshot's figures came from (repository, revision, date)."""
    snapshot()
    return dict(_STATE.provenance)


def live_catalog() -> Mapping[str, ModelInfo] | None:
    """The catalog installed by ``use_catalog`` (or a client's ``fetch_catalog``), if any."""
    return _STATE.live


def catalog_generation() -> int:
    """A number that changes whenever the installed catalog does."""
    return _STATE.generation


def use_catalog(catalog: Mapping[str, ModelInfo] | None) -> None:
    """Install a fetched catalog for every lookup in this process (``None`` goes back to the
    snapshot alone)."""
    with _STATE.lock:
        _STATE.live = MappingProxyType(dict(catalog)) if catalog is not None else None
        _STATE.generation += 1
        _STATE.memo = {}
        _STATE.families = None


def _bare(model: str) -> str:
    name = model.strip().lower()
    if "/" in name:
        name = name.rsplit("/", 1)[1]
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _exact(model: str) -> ModelInfo | None:
    live = _STATE.live
    if live is not None and model in live:
        return live[model]
    snap = snapshot()
    return snap.get(model) or _STATE.lowered.get(model.strip().lower())


def _family(name: str) -> ModelInfo | None:
    """The listed model whose id ``name`` extends (``claude-sonnet-4-5`` for
    ``claude-sonnet-4-5-20250929``); the longest such id wins."""
    families = _STATE.families
    if families is None:
        pool = {**snapshot(), **(_STATE.live or {})}
        families = sorted(
            (info for info in pool.values() if info.is_chat),
            key=lambda info: len(info.id),
            reverse=True,
        )
        _STATE.families = families
    for info in families:
        prefix = info.id.lower()
        if name.startswith(prefix) and len(name) > len(prefix) and name[len(prefix)] in _BOUNDARY:
            return info
    return None


def _unpriced(info: ModelInfo, model: str, source: str) -> ModelInfo:
    return replace(
        info,
        id=model,
        input_price=None,
        output_price=None,
        cache_read_price=None,
        cache_write_price=None,
        price_tiers=(),
        source=source,
    )


def _resolve(model: str) -> ModelInfo:
    info = _exact(model)
    if info is not None:
        return info if info.id == model else replace(info, id=model)
    dated = _DATED.match(model.strip())
    if dated and (info := _exact(dated["alias"])) is not None:
        return replace(info, id=model)  # a dated snapshot of an alias is priced as the alias
    name = _bare(model)
    if name != model.strip().lower() and (info := _exact(name)) is not None:
        return _unpriced(info, model, f"family:{info.id}")
    info = _family(name) if name else None
    if info is not None:
        return _unpriced(info, model, f"family:{info.id}")
    return ModelInfo(id=model)


def lookup_model(model: str, catalog: Mapping[str, ModelInfo] | None = None) -> ModelInfo:
    """The best knowledge about ``model``, with no request: ``catalog`` if given and it lists
    the id, then the installed live catalog, then the shipped snapshot; an unlisted variant
    (a dated id, a ``-think``/``-nothink``/``-search`` suffix, a vendor prefix) gets its
    family's limits and capabilities; anything else gets conservative defaults
    (``known=False``). Never raises, never refuses an id."""
    if catalog and model in catalog:
        return catalog[model]
    memo = _STATE.memo
    info = memo.get(model)
    if info is None:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()  # ids come from callers: keep the memo bounded
        info = memo[model] = _resolve(model)
    return info
