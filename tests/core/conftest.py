"""Shared fixtures for the aihubmix_core tests: a clean environment, mock-transport clients,
recorded retry delays instead of real sleeps, and the wire captures as SSE bodies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from testkit import KEY, MockHTTP

from aihubmix_core import AIHubMixClient
from aihubmix_core._http.executor import AsyncExecutor, SyncExecutor


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the executors' retry delays (sync and async) instead of sleeping."""
    recorded: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(SyncExecutor, "sleep", staticmethod(recorded.append))
    monkeypatch.setattr(AsyncExecutor, "sleep", staticmethod(fake_async_sleep))
    return recorded


Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def make_client(mock_http: MockHTTP) -> Callable[..., AIHubMixClient]:
    """``make_client(handler, **client_kwargs)``: a client whose sync and async HTTP clients
    answer through ``httpx.MockTransport(handler)``."""

    def factory(
        handler: Handler | None = None, *, async_handler: Any = None, **kwargs: Any
    ) -> AIHubMixClient:
        kwargs.setdefault("api_key", KEY)
        if handler is not None:
            kwargs["http_client"] = mock_http.client(handler)
        if async_handler is not None:
            kwargs["async_http_client"] = mock_http.async_client(async_handler)
        return AIHubMixClient(**kwargs)

    return factory
