"""A fake AIHubMix for the media tests of the core and both adapters: answers by method and
``host/path`` from a table, records every request, and replaces the executors' sleeps."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from aihubmix_core._http.executor import AsyncExecutor, SyncExecutor

API = "aihubmix.com/v1"


class Gateway:
    """Answers by (method, "host/path") from a table; a list answers its items in turn (the
    last one for ever); a dict is sent as JSON."""

    def __init__(self, routes: dict[tuple[str, str], Any]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.routes[(request.method, f"{request.url.host}{request.url.path}")]
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        if isinstance(answer, httpx.Response):  # a fresh copy: sync and async read it apart
            return httpx.Response(answer.status_code, headers=answer.headers, content=answer.read())
        return httpx.Response(200, json=answer)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        return self(request)

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)

    def clients(self) -> dict[str, Any]:
        """``http_client`` and ``http_async_client`` keyword arguments answering from here."""
        return {
            "http_client": httpx.Client(transport=httpx.MockTransport(self)),
            "http_async_client": httpx.AsyncClient(
                transport=httpx.MockTransport(self.handle_async)
            ),
        }


def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the executors' waits (retries, polls) instead of sleeping; returns the list."""
    waits: list[float] = []

    async def async_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(SyncExecutor, "sleep", staticmethod(waits.append))
    monkeypatch.setattr(AsyncExecutor, "sleep", staticmethod(async_sleep))
    return waits
