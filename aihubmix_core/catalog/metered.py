"""Chat streams that count their usage in the open meters once they end.

The client hands these out instead of the plain streams; nothing else differs. A stream
left before its end counts nothing: its usage never arrived.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..chat.stream import AsyncChatStream, ChatStream
from ..types import ChatResult
from .cost import cost_of
from .info import ModelInfo
from .meter import record_usage

__all__ = ["MeteredAsyncChatStream", "MeteredChatStream", "price_result", "record_result"]

Pricer = Callable[[str], ModelInfo]


def price_result(model: str, result: ChatResult, pricer: Pricer) -> None:
    """Set ``result.cost`` from its usage. The id asked for is priced first, then the id
    the reply names (a dated variant the gateway routed to); with neither price known,
    or no usage, the cost stays ``None``."""
    usage = result.usage
    if usage is None:
        return
    cost = cost_of(usage, pricer(model))
    if cost is None and result.model and result.model != model:
        cost = cost_of(usage, pricer(result.model))
    result.cost = cost


def record_result(model: str, result: ChatResult | None, pricer: Pricer) -> None:
    """Price a finished reply and count its usage in every open meter."""
    if result is None or result.usage is None:
        return
    price_result(model, result, pricer)
    record_usage(model, result.usage, result.cost)


class _Metering:
    """Mixed into both stream twins: ``finish`` runs once, at the stream's natural end."""

    result: ChatResult | None

    def __init__(self, *args: Any, model: str, pricer: Pricer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._model, self._pricer = model, pricer

    def priced(self, result: ChatResult) -> ChatResult:
        price_result(self._model, result, self._pricer)
        return result

    def finish(self) -> None:
        super().finish()  # type: ignore[misc]
        record_result(self._model, self.result, self._pricer)


class MeteredChatStream(_Metering, ChatStream):
    """``ChatStream`` that counts its usage in the open meters."""


class MeteredAsyncChatStream(_Metering, AsyncChatStream):
    """``AsyncChatStream`` that counts its usage in the open meters."""
