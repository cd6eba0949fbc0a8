"""Fixtures for the reliability suite: one fault gateway per module, a clean environment,
and retry delays recorded instead of slept, so retried faults cost no wall time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from aihubmix_core import transport as transport_module
from aihubmix_testing.faults import FaultGateway, serve_faults


@pytest.fixture(scope="module")
def _gateway_server() -> Iterator[FaultGateway]:
    with serve_faults() as gateway:
        yield gateway


@pytest.fixture
def gateway(_gateway_server: FaultGateway) -> FaultGateway:
    """The module's fault gateway, with no queued faults and no recorded attempts."""
    _gateway_server.reset()
    return _gateway_server


class _Delegate:
    """A stand-in for a module: one function replaced, every other name looked up in the original."""

    def __init__(self, original: Any, **replaced: Any) -> None:
        self._original = original
        self.__dict__.update(replaced)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._original, name)


@pytest.fixture(autouse=True)
def retry_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the transport asked to wait between attempts (sync and async), in order.

    The transport's own backoff and ``Retry-After`` arithmetic still runs; only the waiting
    is skipped (an async caller still yields to its loop once).
    """
    recorded: list[float] = []

    def sleep(seconds: float) -> None:
        recorded.append(seconds)

    async def async_sleep(seconds: float) -> None:
        recorded.append(seconds)
        await asyncio.sleep(0)

    monkeypatch.setattr(transport_module, "time", _Delegate(time, sleep=sleep))
    monkeypatch.setattr(transport_module, "asyncio", _Delegate(asyncio, sleep=async_sleep))
    return recorded
