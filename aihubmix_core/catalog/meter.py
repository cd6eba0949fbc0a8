"""Tokens and cost summed per model over many calls, for as long as a meter is open.

``with track_usage() as meter:`` (or ``async with``) counts every call the clients make
inside the block, in this thread or task and in the tasks and threads it starts with its
context (as ``asyncio`` and LangChain's executors do); calls elsewhere are not counted.
Meters nest: a call counts in every meter open around it.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar, Token
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

from ..types import Usage
from .cost import Cost, billable_output_tokens, total_prompt_tokens

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["ModelUsage", "UsageMeter", "record_usage", "track_usage"]


@dataclass(frozen=True, slots=True)
class ModelUsage:
    """One model's calls. ``cost`` sums the calls whose cost was known (USD); it is ``None``
    when none was, and ``unpriced_calls`` counts the calls left out of it."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0
    cost: float | None = None
    unpriced_calls: int = 0

    def plus(self, usage: Usage, cost: Cost | None) -> ModelUsage:
        prompt, output = total_prompt_tokens(usage), billable_output_tokens(usage)
        return replace(
            self,
            calls=self.calls + 1,
            input_tokens=self.input_tokens + prompt,
            output_tokens=self.output_tokens + output,
            total_tokens=self.total_tokens + max(usage.total_tokens, prompt + output),
            cache_read_tokens=self.cache_read_tokens + (usage.cached_tokens or 0),
            cache_write_tokens=self.cache_write_tokens + (usage.cache_write_tokens or 0),
            reasoning_tokens=self.reasoning_tokens + (usage.reasoning_tokens or 0),
            cost=self.cost if cost is None else (self.cost or 0.0) + cost.total,
            unpriced_calls=self.unpriced_calls + (cost is None),
        )


_ACTIVE: ContextVar[tuple[UsageMeter, ...]] = ContextVar("aihubmix_usage_meters", default=())


class UsageMeter:
    """Per-model totals of the calls made while it is open; safe across threads and tasks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._models: dict[str, ModelUsage] = {}
        self._tokens: list[Token[tuple[UsageMeter, ...]]] = []

    def __enter__(self) -> Self:
        self._tokens.append(_ACTIVE.set((*_ACTIVE.get(), self)))
        return self

    def __exit__(self, *exc: object) -> None:
        _ACTIVE.reset(self._tokens.pop())

    async def __aenter__(self) -> Self:
        return self.__enter__()

    async def __aexit__(self, *exc: object) -> None:
        self.__exit__(*exc)

    def add(self, model: str, usage: Usage, cost: Cost | None) -> None:
        """Count one call (the clients do this; call it for usage they did not see)."""
        with self._lock:
            self._models[model] = self._models.get(model, ModelUsage()).plus(usage, cost)

    @property
    def by_model(self) -> dict[str, ModelUsage]:
        """Totals per model id, as requested."""
        with self._lock:
            return dict(self._models)

    @property
    def calls(self) -> int:
        return sum(m.calls for m in self.by_model.values())

    @property
    def total_cost(self) -> float | None:
        """USD over every model whose cost was known; ``None`` if no call's was."""
        costs = [m.cost for m in self.by_model.values() if m.cost is not None]
        return sum(costs) if costs else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "total_cost": self.total_cost,
            "models": {model: asdict(usage) for model, usage in self.by_model.items()},
        }

    def __repr__(self) -> str:
        return f"UsageMeter(calls={self.calls}, total_cost={self.total_cost!r})"


def track_usage() -> UsageMeter:
    """A meter to open with ``with`` or ``async with``."""
    return UsageMeter()


def record_usage(model: str, usage: Usage | None, cost: Cost | None) -> None:
    """Count a call in every open meter (nothing happens when none is open)."""
    meters = _ACTIVE.get()
    if usage is not None:
        for meter in meters:
            meter.add(model, usage, cost)
