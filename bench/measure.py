"""Timing the workloads, interleaved so that the shared machine's moods cancel out.

Each round runs every subject once per workload, in an order shuffled afresh each round.
Within a round, a subject's share is cut into turns (slices of the sequential calls, of
the async calls, stretches of one streamed reply) and the subjects take their turns in
rotation, so a subject and its floor are never timed more than a moment apart. A
subject's figure is the median over rounds of its time divided by its floor's time *in
the same round*; the spread beside it is the interquartile range of those per-round
ratios. Whatever slows the machine for a while slows the subject and its floor alike and
drops out of the ratio.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .replies import REPLY
from .subjects import Driver, Subject, by_key, open_connections

__all__ = [
    "SMOKE",
    "WORKLOADS",
    "BenchError",
    "Figure",
    "Results",
    "Sizes",
    "measure_fresh_processes",
    "time_workloads",
]


@dataclass(frozen=True)
class Sizes:
    invoke_calls: int = 300
    stream_chunks: int = 2000
    async_calls: int = 300
    async_in_flight: int = 20
    embed_texts: int = 2000
    memory_chunks: tuple[int, int] = (25_000, 100_000)
    rounds: int = 11
    """Rounds of the invoke, stream and async workloads (the ones read against a floor)."""
    embed_rounds: int = 7
    turns: int = 10
    """Each subject's share of a round of invoke or stream, in this many turns: 30 calls,
    or 200 chunks of its streamed reply, before the next subject's turn."""
    async_turns: int = 5
    """The same for the async calls: 60 at a time, at most ``async_in_flight`` in flight."""
    import_rounds: int = 3
    parallel_probes: bool = False
    """Run the fresh-process probes two at a time: quicker, but their import times compete."""
    seed: int = 20_240_611
    """Seeds the per-round order of the subjects, so a run can be repeated as it was."""


SMOKE = Sizes(
    invoke_calls=3,
    stream_chunks=40,
    async_calls=6,
    async_in_flight=2,
    embed_texts=12,
    memory_chunks=(200, 800),
    rounds=1,
    embed_rounds=1,
    turns=3,
    async_turns=2,
    import_rounds=1,
    parallel_probes=True,
)

WORKLOADS = ("invoke", "stream", "async", "embeddings")


@dataclass(frozen=True)
class Figure:
    """A subject's median multiple of its floor over rounds, with the interquartile range."""

    median: float
    low: float
    high: float

    @property
    def spread(self) -> float:
        return self.high - self.low

    @property
    def unresolved(self) -> bool:
        """The rounds spread wider than the distance between the subject and its floor:
        the figure cannot tell which of the two costs more."""
        return self.spread > abs(self.median - 1.0)


def _figure(values: Sequence[float]) -> Figure:
    if len(values) < 2:
        return Figure(values[0], values[0], values[0])
    low, median, high = statistics.quantiles(values, n=4, method="inclusive")
    return Figure(median, low, high)


@dataclass
class Results:
    sizes: Sizes
    seconds: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """workload -> subject key -> wall-clock seconds per round (same index, same round)."""
    cpu_seconds: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """The same, counting only this process's CPU time: the server's pace cannot move it."""
    imports: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """``package`` / ``class`` -> subject key -> seconds per fresh process."""
    memory: dict[str, dict[str, float]] = field(default_factory=dict)
    """subject key -> chunks -> MiB of peak growth."""

    def ratios(
        self, workload: str, key: str, against: str | None = None, *, cpu: bool = True
    ) -> list[float]:
        """Per round: the subject's time / ``against``'s time in that round (by default
        the subject's own floor)."""
        timings = self.cpu_seconds if cpu else self.seconds
        floor = timings[workload][against or by_key(key).floor]
        return [a / b for a, b in zip(timings[workload][key], floor, strict=True)]

    def figure(
        self, workload: str, key: str, against: str | None = None, *, cpu: bool = True
    ) -> Figure:
        return _figure(self.ratios(workload, key, against, cpu=cpu))

    def ratio(
        self, workload: str, key: str, against: str | None = None, *, cpu: bool = True
    ) -> float:
        """Median over rounds of subject time / floor time in the same round."""
        return self.figure(workload, key, against, cpu=cpu).median

    def per_unit(self, workload: str, key: str, *, cpu: bool = True) -> float:
        """Median seconds per call, per chunk, or per whole embeddings run."""
        timings = self.cpu_seconds if cpu else self.seconds
        return statistics.median(timings[workload][key]) / units(self.sizes, workload)

    @classmethod
    def from_json(cls, text: str) -> Results:
        raw = json.loads(text)
        sizes = dict(raw["sizes"])
        sizes["memory_chunks"] = tuple(sizes["memory_chunks"])
        return cls(
            Sizes(**sizes), raw["seconds"], raw["cpu_seconds"], raw["imports"], raw["memory"]
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "sizes": self.sizes.__dict__,
                "seconds": self.seconds,
                "cpu_seconds": self.cpu_seconds,
                "imports": self.imports,
                "memory": self.memory,
            },
            indent=1,
        )


def units(sizes: Sizes, workload: str) -> int:
    """What one round of a workload is made of: calls, chunks, or one embeddings run."""
    return {
        "invoke": sizes.invoke_calls,
        "stream": sizes.stream_chunks,
        "async": sizes.async_calls,
        "embeddings": 1,
    }[workload]


def rounds_of(sizes: Sizes, workload: str) -> int:
    return sizes.embed_rounds if workload == "embeddings" else sizes.rounds


class BenchError(RuntimeError):
    """A client returned something other than the reply the server sent."""


def _texts(count: int) -> list[str]:
    return [
        f"Document {i}: the quick brown fox {i % 97} jumps over the lazy dog." for i in range(count)
    ]


def _check(subject: Subject, what: str, ok: bool) -> None:
    if not ok:
        raise BenchError(f"{subject.label} returned a wrong {what}; its figures would mean nothing")


async def _in_flight(call: Callable[[], Any], count: int, limit: int) -> list[Any]:
    """``count`` calls with at most ``limit`` of them waiting on the server at once."""
    gate = asyncio.Semaphore(limit)

    async def one() -> Any:
        async with gate:
            return await call()

    return await asyncio.gather(*(one() for _ in range(count)))


def _warm_up(
    subject: Subject, driver: Driver, loop: asyncio.AbstractEventLoop, sizes: Sizes
) -> None:
    """One of each call, checked, so that connections are open and lazy set-up is done."""
    model = f"bench-{sizes.stream_chunks}"
    _check(subject, "reply", driver.call() == REPLY)
    _check(subject, "stream", sum(driver.stream(model)) == sizes.stream_chunks)
    _check(subject, "async reply", loop.run_until_complete(driver.acall()) == REPLY)
    streamed = loop.run_until_complete(driver.astream(model))
    _check(subject, "async stream", streamed == sizes.stream_chunks)
    # Twice as many calls as may be in flight: every async path taken with the pool full.
    # (``open_connections`` then makes every pool hold the same connections.)
    calls = 2 * sizes.async_in_flight
    replies = loop.run_until_complete(_in_flight(driver.acall, calls, sizes.async_in_flight))
    _check(subject, "async reply", replies == [REPLY] * calls)
    texts = _texts(sizes.embed_texts)
    vectors = driver.embed(texts)
    _check(subject, "embeddings", len(vectors) == len(texts) and len(vectors[-1]) == 1536)


def _split(total: int, parts: int) -> list[int]:
    parts = max(1, min(parts, total))
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


class _Stream:
    """One streamed reply consumed in turns; the last turn drains it (finish, usage)."""

    def __init__(self, subject: Subject, driver: Driver, sizes: Sizes) -> None:
        self._subject = subject
        self._expected = sizes.stream_chunks
        self._chunks: Iterator[bool] = driver.stream(f"bench-{sizes.stream_chunks}")
        self._content = 0

    def take(self, count: int | None) -> None:
        self._content += sum(itertools.islice(self._chunks, count))

    def check(self) -> None:
        _check(self._subject, "stream", self._content == self._expected)


def _turns(
    name: str,
    subject: Subject,
    driver: Driver,
    loop: asyncio.AbstractEventLoop,
    sizes: Sizes,
    texts: list[str],
) -> tuple[list[Callable[[], Any]], Callable[[], None]]:
    """One round of a workload for one subject, as its turns, and a check to run after."""
    if name == "invoke":

        def calls(count: int) -> Callable[[], Any]:
            return lambda: [driver.call() for _ in range(count)]

        return [calls(n) for n in _split(sizes.invoke_calls, sizes.turns)], lambda: None
    if name == "stream":
        stream = _Stream(subject, driver, sizes)
        steps: list[int | None] = [*_split(sizes.stream_chunks, sizes.turns)[:-1], None]

        def stretch(step: int | None) -> Callable[[], Any]:
            return lambda: stream.take(step)

        return [stretch(step) for step in steps], stream.check

    if name == "async":

        def acalls(count: int) -> Callable[[], Any]:
            return lambda: loop.run_until_complete(
                _in_flight(driver.acall, count, sizes.async_in_flight)
            )

        return [acalls(n) for n in _split(sizes.async_calls, sizes.async_turns)], lambda: None
    return [lambda: driver.embed(texts)], lambda: None


def time_workloads(
    subjects: Sequence[Subject],
    drivers: dict[str, Driver],
    loop: asyncio.AbstractEventLoop,
    results: Results,
    progress: Callable[[str], None],
    base_url: str,
) -> None:
    sizes = results.sizes
    for subject in subjects:
        _warm_up(subject, drivers[subject.key], loop, sizes)
    loop.run_until_complete(open_connections(base_url, sizes.async_in_flight))
    progress("every client checked and warmed up")
    texts = _texts(sizes.embed_texts)
    # Everything built so far (eight clients' frameworks) lives for the whole run; frozen,
    # the collector stops rescanning it, and no subject pays for the others' imports.
    gc.collect()
    gc.freeze()
    shuffler = random.Random(sizes.seed)
    try:
        for name in WORKLOADS:
            wall = results.seconds.setdefault(name, {})
            cpu = results.cpu_seconds.setdefault(name, {})
            rounds = rounds_of(sizes, name)
            for round_index in range(rounds):
                order = list(subjects)
                shuffler.shuffle(order)
                rounds_turns = {
                    s.key: _turns(name, s, drivers[s.key], loop, sizes, texts) for s in order
                }
                spent = dict.fromkeys(rounds_turns, 0.0)
                spent_cpu = dict.fromkeys(rounds_turns, 0.0)
                turn_count = len(rounds_turns[order[0].key][0])
                for turn in range(turn_count):
                    shift = turn % len(order)
                    for subject in [*order[shift:], *order[:shift]]:
                        run = rounds_turns[subject.key][0][turn]
                        gc.collect()
                        started, started_cpu = time.perf_counter(), time.process_time()
                        run()
                        spent_cpu[subject.key] += time.process_time() - started_cpu
                        spent[subject.key] += time.perf_counter() - started
                for subject in order:
                    rounds_turns[subject.key][1]()
                    cpu.setdefault(subject.key, []).append(spent_cpu[subject.key])
                    wall.setdefault(subject.key, []).append(spent[subject.key])
                progress(f"{name}: round {round_index + 1} of {rounds}")
    finally:
        gc.unfreeze()


def _probe(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.probe", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"probe {args[:2]} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure_fresh_processes(
    subjects: Sequence[Subject], base_url: str, results: Results, progress: Callable[[str], None]
) -> None:
    """Import times from ``import_rounds`` fresh interpreters per subject, the first of
    which also streams the two memory sizes after its imports are timed."""
    sizes = [str(n) for n in results.sizes.memory_chunks]
    jobs: list[tuple[Subject, list[str]]] = []
    for round_index in range(results.sizes.import_rounds):
        for subject in subjects:
            args = [subject.import_package, subject.import_class]
            if round_index == 0:
                args += [subject.key, base_url, *sizes]
            jobs.append((subject, args))
    with ThreadPoolExecutor(max_workers=2 if results.sizes.parallel_probes else 1) as pool:
        outcomes = list(pool.map(_probe, [args for _, args in jobs]))
    for (subject, _), outcome in zip(jobs, outcomes, strict=True):
        for kind in ("package", "class"):
            results.imports.setdefault(kind, {}).setdefault(subject.key, []).append(outcome[kind])
        if "memory_mib" in outcome:
            results.memory[subject.key] = outcome["memory_mib"]
    progress(f"imports and memory: {len(jobs)} fresh processes")
