"""An async stream cancelled by its caller gives its connection back.

Each client gets a pool of only ``POOL`` connections: if a cancelled stream kept its
connection, the pool would run dry after ``POOL`` cancellations and the next request
would fail with a pool timeout (it would otherwise wait for a connection forever). A
connection that was given back is taken at once, so no clock decides the outcome. The
gateway and the operating system then confirm the sockets closed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import psutil
import pytest
from reliability.drivers import EXPECTED_TEXT, KEY, MODEL, PROMPT

from aihubmix_core import AIHubMixClient, APITimeoutError, ChatRequest, Message
from aihubmix_testing import faults
from aihubmix_testing.faults import FaultGateway

POOL = 3
CANCELLATIONS = 30
SETTLE_SECONDS = 30.0
"""The longest the gateway may take to see connections the client has closed."""
POOL_WAIT = 10.0
"""The clients' ``timeout``, which bounds the wait for a pooled connection: a leak fails
after it; a healthy run never waits (a connection given back is taken at once)."""

StreamFactory = Callable[..., Callable[[], AsyncIterator[str]]]


def core_stream(
    base_url: str, http: httpx.AsyncClient, timeout: float = POOL_WAIT
) -> Callable[[], AsyncIterator[str]]:
    client = AIHubMixClient(api_key=KEY, base_url=base_url, async_http_client=http, timeout=timeout)
    request = ChatRequest(model=MODEL, messages=[Message(role="user", content=PROMPT)])

    async def pieces() -> AsyncIterator[str]:
        async for delta in client.astream_chat(request):
            yield delta.content

    return pieces


def langchain_stream(
    base_url: str, http: httpx.AsyncClient, timeout: float = POOL_WAIT
) -> Callable[[], AsyncIterator[str]]:
    from langchain_aihubmix import ChatAIHubMix

    model = ChatAIHubMix(
        model=MODEL, api_key=KEY, base_url=base_url, http_async_client=http, timeout=timeout
    )

    async def pieces() -> AsyncIterator[str]:
        async for chunk in model.astream(PROMPT):
            yield chunk.text

    return pieces


def llama_index_stream(
    base_url: str, http: httpx.AsyncClient, timeout: float = POOL_WAIT
) -> Callable[[], AsyncIterator[str]]:
    from llama_index.core.base.llms.types import ChatMessage

    from llama_index_aihubmix import AIHubMix

    llm = AIHubMix(
        model=MODEL, api_key=KEY, api_base=base_url, async_http_client=http, timeout=timeout
    )

    async def pieces() -> AsyncIterator[str]:
        async for response in await llm.astream_chat([ChatMessage(role="user", content=PROMPT)]):
            yield response.delta or ""

    return pieces


def client_sockets(port: int) -> int:
    """Open TCP sockets of this process connected to the gateway (the client ends)."""
    return sum(
        1
        for c in psutil.Process().net_connections(kind="tcp")
        if c.raddr and c.raddr.port == port and c.status != psutil.CONN_TIME_WAIT
    )


async def cancel_after_first_piece(stream: Callable[[], AsyncIterator[str]]) -> None:
    """Start a stream, cancel it once a piece has arrived. A stream that ends first (a
    pool run dry ends with a pool timeout) raises its error here."""
    first = asyncio.Event()

    async def consume() -> None:
        async for piece in stream():
            if piece:
                first.set()

    task = asyncio.create_task(consume())
    first_piece = asyncio.create_task(first.wait())
    await asyncio.wait({task, first_piece}, return_when=asyncio.FIRST_COMPLETED)
    first_piece.cancel()
    if task.done():
        task.result()  # the stream's own error, if it failed
        raise AssertionError("the stream ended before it could be cancelled")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def wait_until(condition: Callable[[], bool], seconds: float = SETTLE_SECONDS) -> bool:
    """Poll until ``condition`` holds (bounded: False if it never does)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.mark.parametrize(
    "factory",
    [core_stream, langchain_stream, llama_index_stream],
    ids=["core", "langchain", "llama_index"],
)
def test_cancelled_async_streams_release_their_connections(
    factory: StreamFactory, gateway: FaultGateway
) -> None:
    # A stream that has started and cannot end by itself: a few events, then keep-alives for
    # a minute. (A paced but finite stream could arrive whole, and end, before the cancel.)
    gateway.reset(default=faults.KeepAliveOnly(interval=0.05, limit=60.0))

    async def scenario() -> list[str]:
        limits = httpx.Limits(max_connections=POOL, max_keepalive_connections=POOL)
        async with httpx.AsyncClient(limits=limits, timeout=10) as http:
            stream = factory(gateway.base_url, http)
            for _ in range(CANCELLATIONS):
                await cancel_after_first_piece(stream)
            # The pool still has room: a whole stream completes (a dry pool times out).
            gateway.default = faults.Normal()
            return await _collect(stream)

    assert "".join(asyncio.run(scenario())) == EXPECTED_TEXT
    assert gateway.count() == CANCELLATIONS + 1
    assert wait_until(lambda: gateway.open_connections == 0)
    assert wait_until(lambda: client_sockets(gateway.port) == 0)


async def _collect(stream: Callable[[], AsyncIterator[str]]) -> list[str]:
    return [piece async for piece in stream()]


def test_the_pool_guard_would_catch_a_leak(gateway: FaultGateway) -> None:
    """The check above can fail: streams left open exhaust a pool of ``POOL``, and the
    next stream ends with a pool timeout instead of a first piece."""
    gateway.reset(default=faults.KeepAliveOnly(interval=0.05, limit=60.0))

    async def scenario() -> None:
        limits = httpx.Limits(max_connections=POOL, max_keepalive_connections=POOL)
        async with httpx.AsyncClient(limits=limits) as http:
            stream = core_stream(gateway.base_url, http)
            held: list[Any] = []
            for _ in range(POOL):  # started, never cancelled nor finished
                iterator = stream()
                await iterator.__anext__()
                held.append(iterator)
            # The same pool, with a short wait for a connection: only the wait is shortened.
            with pytest.raises(APITimeoutError, match="PoolTimeout"):
                await cancel_after_first_piece(core_stream(gateway.base_url, http, timeout=0.2))
            for iterator in held:
                await iterator.aclose()

    asyncio.run(scenario())


@pytest.mark.parametrize("name", ["core-achat", "core-aembed"])
def test_pooled_connections_close_with_their_event_loop(name: str, gateway: FaultGateway) -> None:
    """One client used from several ``asyncio.run`` calls: each loop's connections end with it.

    Kept-alive connections hold their loop; without closing them at loop shutdown every
    ``asyncio.run`` left its connections (and loop) open for the life of the client.
    """
    client = AIHubMixClient(api_key=KEY, base_url=gateway.base_url)
    calls = {
        "core-achat": lambda: client.achat(
            ChatRequest(model=MODEL, messages=[Message(role="user", content=PROMPT)])
        ),
        "core-aembed": lambda: client.aembed(["some text"], model="text-embedding-3-small"),
    }

    async def burst() -> None:
        await asyncio.gather(*(calls[name]() for _ in range(10)))

    for _ in range(3):
        asyncio.run(burst())
        assert wait_until(lambda: gateway.open_connections == 0)
    assert gateway.count() == 30
    assert client_sockets(gateway.port) == 0
