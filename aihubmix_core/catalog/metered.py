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

__all__ = ["MeteredAsyncChatStream", "MeteredChatStream", "record_result"]

Pricer = Callable[[str], ModelInfo]


def record_result(model: str, result: ChatResult | None, pricer: Pricer) -> None:
    """Count a finished reply's usage, priced by ``pricer(model)``, in every open meter."""
    usage = result.usage if result is not None else None
    if usage is not None:
        record_usage(model, usage, cost_of(usage, pricer(model)))


class _Metering:
    """Mixed into both stream twins: ``finish`` runs once, at the stream's natural end."""

    result: ChatResult | None

    def __init__(self, *args: Any, model: str, pricer: Pricer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._model, self._pricer = model, pricer

    def finish(self) -> None:
        super().finish()  # type: ignore[misc]
        record_result(self._model, self.result, self._pricer)


class MeteredChatStream(_Metering, ChatStream):
    """``ChatStream`` that counts its usage in the open meters."""


class MeteredAsyncChatStream(_Metering, AsyncChatStream):
    """``AsyncChatStream`` that counts its usage in the open meters."""
