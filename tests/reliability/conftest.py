"""Fixtures for the reliability suite: one fault gateway per module, a clean environment,
and retry delays recorded instead of slept, so retried faults cost no wall time."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from aihubmix_core._http.executor import AsyncExecutor, SyncExecutor
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

    monkeypatch.setattr(SyncExecutor, "sleep", staticmethod(sleep))
    monkeypatch.setattr(AsyncExecutor, "sleep", staticmethod(async_sleep))
    return recorded
