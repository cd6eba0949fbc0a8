"""A fault-injecting AIHubMix gateway on 127.0.0.1: an asyncio server in its own thread.

Tests script it with a queue of faults (each request takes the next one; once the queue
is empty every request gets ``default``) and read back what it saw: every attempt, and
how many connections were open at once. asyncio rather than one thread per connection
so the load test can hold a thousand streams open. asyncio turns Nagle's algorithm off
(TCP_NODELAY) on every connection it accepts, so replies on a kept-alive connection are
not held back waiting for the client's delayed ACK.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from .exchange import Attempt, Exchange, read_request
from .script import Fault, Normal


class FaultGateway:
    def __init__(self, default: Fault | None = None) -> None:
        self.default: Fault = default or Normal()
        self.attempts: list[Attempt] = []
        self.open_connections = 0
        self.peak_connections = 0
        self.total_connections = 0
        self._queue: deque[Fault] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # scripting
    def script(self, *faults: Fault) -> None:
        """Queue faults for the next requests, in order."""
        self._queue.extend(faults)

    def reset(self, default: Fault | None = None) -> None:
        """Forget queued faults and recorded attempts (connection counts keep running)."""
        self._queue.clear()
        self.attempts.clear()
        self.peak_connections = self.open_connections
        self.default = default or Normal()

    def count(self, path_suffix: str = "") -> int:
        """Attempts seen, optionally only those whose path ends with ``path_suffix``."""
        return sum(1 for a in self.attempts if a.path.endswith(path_suffix))

    # serving
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        self.open_connections += 1
        self.total_connections += 1
        self.peak_connections = max(self.peak_connections, self.open_connections)
        try:
            while True:
                request = await read_request(reader)
                if request is None:
                    break
                fault = self._queue.popleft() if self._queue else self.default
                attempt = Attempt(
                    request.method,
                    request.path,
                    request.json(),
                    request.headers.get("authorization", ""),
                    fault.name,
                )
                self.attempts.append(attempt)
                if not await fault.play(Exchange(request, writer, attempt)):
                    break
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.open_connections -= 1
            if task is not None:
                self._handlers.discard(task)
            if not writer.transport.is_closing():
                writer.close()

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._server = loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=4096, limit=2**20)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()
        asyncio.get_running_loop().stop()

    def start(self) -> FaultGateway:
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="fault-gateway", daemon=True
        )
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fault gateway did not start within 10 s")
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop)
        self._thread.join(timeout=10)
        self._loop = None


@contextmanager
def serve_faults(default: Fault | None = None) -> Iterator[FaultGateway]:
    """A running gateway for the block."""
    gateway = FaultGateway(default).start()
    try:
        yield gateway
    finally:
        gateway.stop()


def refused_url() -> str:
    """A loopback /v1 URL on a port nothing listens on: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
