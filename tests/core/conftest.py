"""Shared fixtures for the aihubmix_core tests: a clean environment, mock-transport clients,
recorded retry delays instead of real sleeps, and the wire captures as SSE bodies."""

from __future__ import annotations

import time as real_time
import types
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from testkit import KEY, MockHTTP

from aihubmix_core import AIHubMixClient
from aihubmix_core import transport as transport_module


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the transport's retry delays (sync and async) instead of sleeping."""
    recorded: list[float] = []

    def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    import asyncio as real_asyncio

    fake_time = types.SimpleNamespace(sleep=fake_sleep, monotonic=real_time.monotonic)
    fake_asyncio = types.SimpleNamespace(
        sleep=fake_async_sleep,
        get_running_loop=real_asyncio.get_running_loop,
        AbstractEventLoop=real_asyncio.AbstractEventLoop,
    )
    monkeypatch.setattr(transport_module, "time", fake_time)
    monkeypatch.setattr(transport_module, "asyncio", fake_asyncio)
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
