"""Many concurrent async streams and embedding batches through each adapter.

100 of each in ``make test``; 1,000 with ``AIHUBMIX_LOAD_FULL=1`` (``make load``). Every
stream must finish with the whole answer and every batch with the right vectors; after
the run, sockets, file descriptors and memory must be back where they started. The
figures are printed to the terminal for the record.

The fault gateway serves from a thread of this very process, so the process's file
descriptors include the gateway's ends of every connection. It closes them a moment
after the client has (its own event loop, its own schedule), so counts are taken only
once the operating system shows none of its accepted sockets left open; what the client
holds is measured directly: its sockets to the gateway, and its live objects.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import psutil
import pytest
from reliability.drivers import EMBEDDING_MODEL, EXPECTED_TEXT, KEY, MODEL, PROMPT

from aihubmix_testing.emulator.vectors import embed
from aihubmix_testing.faults import FaultGateway, serve_faults

FULL = os.environ.get("AIHUBMIX_LOAD_FULL") == "1"
SIZE = 1000 if FULL else 100
FD_SLACK = 8
"""File descriptors that may legitimately stay open (a kept-alive connection or two, caches)."""
RSS_SLACK = (40 if FULL else 20) * 2**20
"""Growth allowed over the second round: allocator arenas are not handed back at once."""
SETTLE_SECONDS = 60.0
"""The longest the gateway may take to close its ends once the client has closed its own."""
HELD_MODULES = (
    "aihubmix_core",
    "langchain_aihubmix",
    "llama_index_aihubmix",
    "httpx",
    "httpcore",
    "anyio",
    "langchain_core",
    "llama_index",
)
"""Whose objects a request creates on the client side; the gateway creates none of them."""


@dataclass
class Figures:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peak_connections: int = 0
    peak_fds: int = 0

    def line(self, label: str) -> str:
        return (
            f"{label}: {self.requests} requests in {self.seconds:.2f} s, "
            f"{len(self.errors)} errors, peak {self.peak_connections} connections, "
            f"peak {self.peak_fds} fds"
        )


class Adapter:
    """One framework's chat model and embedder, as a user of its async API would hold them."""

    def __init__(self, family: str, base_url: str) -> None:
        self.family = family
        if family == "langchain":
            from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix

            self.chat = ChatAIHubMix(model=MODEL, api_key=KEY, base_url=base_url)
            self.embedder = AIHubMixEmbeddings(
                model=EMBEDDING_MODEL, api_key=KEY, base_url=base_url
            )
        else:
            from llama_index.core.base.llms.types import ChatMessage

            from llama_index_aihubmix import AIHubMix, AIHubMixEmbedding

            self.chat = AIHubMix(model=MODEL, api_key=KEY, api_base=base_url)
            self.embedder = AIHubMixEmbedding(EMBEDDING_MODEL, api_key=KEY, api_base=base_url)
            self.messages = [ChatMessage(role="user", content=PROMPT)]

    async def stream(self) -> str:
        pieces: list[str] = []
        if self.family == "langchain":
            async for chunk in self.chat.astream(PROMPT):
                pieces.append(chunk.text)
        else:
            async for response in await self.chat.astream_chat(self.messages):
                pieces.append(response.delta or "")
        return "".join(pieces)

    async def embed(self, texts: list[str]) -> list[list[float]]:
        if self.family == "langchain":
            vectors: list[list[float]] = await self.embedder.aembed_documents(texts)
        else:
            vectors = await self.embedder.aget_text_embedding_batch(texts)
        return vectors


async def _stream_ok(adapter: Adapter, _: int) -> str | None:
    text = await adapter.stream()
    return None if text == EXPECTED_TEXT else f"stream ended with {text!r}"


async def _embed_ok(adapter: Adapter, i: int) -> str | None:
    texts = [f"batch {i} about foxes", f"batch {i} about dogs and cats"]
    vectors = await adapter.embed(texts)
    expected = [embed(t, 1536) for t in texts]
    if len(vectors) == len(expected) and all(
        len(got) == len(want) and all(abs(g - w) < 1e-6 for g, w in zip(got, want, strict=True))
        for got, want in zip(vectors, expected, strict=True)
    ):
        return None
    return f"batch {i}: wrong vectors"


async def _concurrently(
    count: int,
    one: Callable[[int], Awaitable[str | None]],
    gateway: FaultGateway,
) -> Figures:
    figures = Figures(requests=count)
    process = psutil.Process()
    done = asyncio.Event()

    async def sample() -> None:
        while not done.is_set():
            figures.peak_fds = max(figures.peak_fds, process.num_fds())
            await asyncio.sleep(0.02)

    async def guarded(i: int) -> str | None:
        try:
            return await one(i)
        except Exception as error:  # every failure counts, whatever its type
            return f"{type(error).__name__}: {error}"

    sampler = asyncio.create_task(sample())
    started = time.perf_counter()
    results = await asyncio.gather(*(guarded(i) for i in range(count)))
    figures.seconds = time.perf_counter() - started
    done.set()
    await sampler
    figures.errors = [r for r in results if r is not None]
    figures.peak_connections = gateway.peak_connections
    return figures


def _client_sockets(gateway: FaultGateway) -> int:
    """Sockets of this process connected to the gateway: the client's ends."""
    return sum(
        1
        for c in psutil.Process().net_connections(kind="tcp")
        if c.raddr and c.raddr.port == gateway.port and c.status != psutil.CONN_TIME_WAIT
    )


def _gateway_sockets(gateway: FaultGateway) -> int:
    """Connections the gateway has accepted and not yet closed (its listening socket aside)."""
    return sum(
        1
        for c in psutil.Process().net_connections(kind="tcp")
        if c.laddr and c.laddr.port == gateway.port and c.raddr
    )


def _settle(gateway: FaultGateway) -> bool:
    """Wait until the gateway has closed every connection it accepted (as the operating
    system sees it, not its own counter, which drops before the socket is closed).

    Bounded: a connection the client never closes keeps the gateway's end open too, and
    then this gives up after ``SETTLE_SECONDS`` and returns False.
    """
    deadline = time.monotonic() + SETTLE_SECONDS
    while _gateway_sockets(gateway) or gateway.open_connections:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _held_objects() -> Counter[str]:
    """Live objects, by type, of the client's side of a request: the package, its HTTP
    stack and the frameworks, and every event loop (the gateway's one is always there).
    Garbage is collected first: reference cycles are not leaks."""
    gc.collect()
    held: Counter[str] = Counter()
    for obj in gc.get_objects():
        cls = type(obj)  # never obj.__class__: a lazy proxy (openai's module client) builds on it
        module = cls.__dict__.get("__module__")
        if issubclass(cls, asyncio.AbstractEventLoop):
            held["event loops"] += 1
        elif isinstance(module, str) and module.startswith(HELD_MODULES):
            held[f"{module}.{cls.__qualname__}"] += 1
    return held


def _growth(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    return {name: after[name] - before[name] for name in after if after[name] > before[name]}


@pytest.mark.load
@pytest.mark.timeout(600)
@pytest.mark.parametrize("family", ["langchain", "llama_index"])
def test_concurrent_streams_and_embeddings_complete_and_leak_nothing(
    family: str, capsys: pytest.CaptureFixture[str]
) -> None:
    process = psutil.Process()
    with serve_faults() as gateway:
        adapter = Adapter(family, gateway.base_url)

        async def run(count: int) -> tuple[Figures, Figures]:
            streams = await _concurrently(count, lambda i: _stream_ok(adapter, i), gateway)
            gateway.reset()
            batches = await _concurrently(count, lambda i: _embed_ok(adapter, i), gateway)
            return streams, batches

        rss_start = process.memory_info().rss
        # A first round of the same size: imports, caches and the allocator's high-water
        # mark are not leaks. A leak shows as growth over the second round.
        asyncio.run(run(SIZE))
        assert _client_sockets(gateway) == 0, "the client kept connections after its loop ended"
        assert _settle(gateway), "the gateway's ends of the first round stayed open"
        fds_before, rss_before = process.num_fds(), process.memory_info().rss
        held_before = _held_objects()
        gateway.reset()

        streams, batches = asyncio.run(run(SIZE))
        # The pool closes with its event loop, inside asyncio.run: nothing to wait for.
        client_after = _client_sockets(gateway)
        settled = _settle(gateway)
        fds_after, rss_after = process.num_fds(), process.memory_info().rss
        held_after = _held_objects()
        open_after = gateway.open_connections

    lines = [
        streams.line(f"{family} astream"),
        batches.line(f"{family} aembed"),
        f"{family}: fds {fds_before} -> {fds_after}, RSS {rss_start / 2**20:.1f} MiB at start, "
        f"{rss_before / 2**20:.1f} MiB after the first round, {rss_after / 2**20:.1f} MiB after "
        f"the second, {sum(held_after.values())} client objects alive "
        f"({sum(held_before.values())} after the first round), client sockets still open "
        f"{client_after}",
    ]
    with capsys.disabled():
        print()
        for line in lines:
            print(f"[load, size {SIZE}] {line}")

    assert streams.errors == [] and batches.errors == [], (streams.errors + batches.errors)[:5]
    assert streams.peak_connections >= SIZE // 2  # they really ran side by side
    assert client_after == 0, "the client kept connections open after its event loop ended"
    assert settled and open_after == 0, "the gateway still holds connections the client left"
    assert fds_after <= fds_before + FD_SLACK
    assert _growth(held_before, held_after) == {}, "objects left behind by the second round"
    assert rss_after - rss_before <= RSS_SLACK, lines[-1]
