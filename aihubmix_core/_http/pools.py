"""Connection pools: one httpx client per process for sync calls, one per event loop for async.

A pool belongs to the process that opened it. After ``os.fork()`` the child inherits the
parent's kept-alive sockets; were both to use them, replies would cross between the two
processes. Each pool therefore remembers the fork generation it was opened in, and a
child opens its own (the inherited one is abandoned, never closed: closing would end
the parent's connections too).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import urllib.request
from collections.abc import AsyncGenerator, Callable
from typing import TypeVar

import httpx

from ..errors import ConfigurationError

__all__ = ["LIMITS", "AsyncPools", "SyncPool", "environment_proxy", "fork_generation"]

_Client = TypeVar("_Client", httpx.Client, httpx.AsyncClient)
_PROXY_VARIABLES = (
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
)

LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100, keepalive_expiry=30)

_generation = 0


def _forked() -> None:
    global _generation
    _generation += 1


if hasattr(os, "register_at_fork"):  # pragma: no branch - absent only on Windows
    os.register_at_fork(after_in_child=_forked)


def fork_generation() -> int:
    """Bumped in a child process after each fork."""
    return _generation


def _opened(factory: Callable[[], _Client]) -> _Client:
    """A new httpx client; a proxy in the environment that httpx cannot use is a clear
    configuration error rather than an ImportError at the first call."""
    try:
        return factory()
    except ImportError as exc:
        names = [name for name in _PROXY_VARIABLES if os.environ.get(name)]
        raise ConfigurationError(
            f"A proxy set in the environment ({', '.join(names) or 'a *_PROXY variable'}) "
            f"cannot be used: {exc}. Install the missing package (for a SOCKS proxy: "
            "pip install 'httpx[socks]'), or unset the variable, or pass your own http_client."
        ) from None


def environment_proxy(url: httpx.URL) -> str | None:
    """The proxy the environment sets for ``url`` (``HTTPS_PROXY``, ...), credentials removed."""
    if urllib.request.proxy_bypass(url.host):
        return None
    proxies = urllib.request.getproxies()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if not proxy:
        return None
    try:
        return str(httpx.URL(proxy).copy_with(username=None, password=None))
    except (httpx.InvalidURL, ValueError):
        return "a proxy URL that does not parse"


class _Pool:
    def __init__(self) -> None:
        self._generation = _generation
        self._lock = threading.Lock()  # one object may serve several threads

    owned = True
    """Whether the clients are ours (else the caller's, built and closed by the caller)."""


class SyncPool(_Pool):
    """The caller's ``httpx.Client``, or one of our own for this process."""

    def __init__(self, given: httpx.Client | None) -> None:
        super().__init__()
        self._given = given
        self.owned = given is None
        self._own: httpx.Client | None = None

    def client(self) -> httpx.Client:
        if self._given is not None:
            return self._given
        own = self._own
        if own is not None and self._generation == _generation:
            return own
        with self._lock:
            if self._own is None or self._generation != _generation:
                self._own = _opened(lambda: httpx.Client(limits=LIMITS, follow_redirects=False))
                self._generation = _generation
            return self._own

    def close(self) -> None:
        if self._own is not None and self._generation == _generation:
            self._own.close()
        self._own = None


class AsyncPools(_Pool):
    """The caller's ``httpx.AsyncClient``, or one of our own per event loop, so the same
    object works across consecutive ``asyncio.run`` calls.

    Pooled connections hold their loop, so a client cannot simply be forgotten with its
    loop: each one is closed when its loop shuts down (``asyncio.run`` closes every async
    generator still open, and one parked generator per client does the closing), and
    clients of loops closed some other way are dropped at the next ``client()``.
    """

    def __init__(self, given: httpx.AsyncClient | None) -> None:
        super().__init__()
        self._given = given
        self.owned = given is None
        self._clients: dict[
            asyncio.AbstractEventLoop, tuple[httpx.AsyncClient, AsyncGenerator[None, None]]
        ] = {}

    def client(self) -> httpx.AsyncClient:
        if self._given is not None:
            return self._given
        loop = asyncio.get_running_loop()
        entry = self._clients.get(loop)
        if entry is not None and not entry[0].is_closed and self._generation == _generation:
            return entry[0]
        with self._lock:
            if self._generation != _generation:  # a forked child: nothing inherited is ours
                self._clients = {}
                self._generation = _generation
            for other in [other for other in self._clients if other.is_closed()]:
                del self._clients[other]
            client = _opened(lambda: httpx.AsyncClient(limits=LIMITS, follow_redirects=False))
            self._clients[loop] = (client, self._closer(loop, client))
        return client

    def _closer(
        self, loop: asyncio.AbstractEventLoop, client: httpx.AsyncClient
    ) -> AsyncGenerator[None, None]:
        async def close_with_loop() -> AsyncGenerator[None, None]:
            try:
                yield
            finally:
                entry = self._clients.get(loop)
                if entry is not None and entry[0] is client:
                    del self._clients[loop]
                await client.aclose()

        closer = close_with_loop()
        with contextlib.suppress(StopIteration):  # run to the ``yield``: now the loop knows it
            closer.asend(None).send(None)
        return closer

    async def aclose(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - called outside a loop
            return
        entry = self._clients.pop(loop, None)
        if entry is not None:
            await entry[0].aclose()
