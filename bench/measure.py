"""Timing the workloads: every subject once per round, in a rotating order, so that
whatever the shared machine does to one round hits all subjects alike. Each figure is
the median over rounds of the subject's time divided by the floor's time in that round.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .replies import REPLY
from .subjects import Driver, Subject

__all__ = [
    "SMOKE",
    "WORKLOADS",
    "BenchError",
    "Results",
    "Sizes",
    "measure_fresh_processes",
    "time_workloads",
]


@dataclass(frozen=True)
class Sizes:
    invoke_calls: int = 300
    stream_chunks: int = 2000
    concurrent_calls: int = 300
    embed_texts: int = 2000
    memory_chunks: tuple[int, int] = (25_000, 100_000)
    rounds: int = 5
    import_rounds: int = 5
    parallel_probes: bool = False
    """Run the fresh-process probes two at a time: quicker, but their import times compete."""


SMOKE = Sizes(
    invoke_calls=3,
    stream_chunks=40,
    concurrent_calls=4,
    embed_texts=12,
    memory_chunks=(200, 800),
    rounds=1,
    import_rounds=1,
    parallel_probes=True,
)

WORKLOADS = ("invoke", "stream", "concurrent", "embeddings")


@dataclass
class Results:
    sizes: Sizes
    seconds: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """workload -> subject key -> wall-clock seconds per round."""
    cpu_seconds: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """The same, counting only this process's CPU time: the server's pace cannot move it."""
    imports: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """``package`` / ``class`` -> subject key -> seconds per fresh process."""
    memory: dict[str, dict[str, float]] = field(default_factory=dict)
    """subject key -> chunks -> MiB of peak growth."""

    def ratio(self, workload: str, key: str, *, cpu: bool = True) -> float:
        """Median over rounds of subject time / floor time in the same round."""
        timings = self.cpu_seconds if cpu else self.seconds
        ours = timings[workload][key]
        floor = timings[workload]["raw"]
        return statistics.median(a / b for a, b in zip(ours, floor, strict=True))

    def per_unit(self, workload: str, key: str, *, cpu: bool = True) -> float:
        """Median seconds per call, per chunk, or per whole embeddings run."""
        units = {
            "invoke": self.sizes.invoke_calls,
            "stream": self.sizes.stream_chunks,
            "concurrent": self.sizes.concurrent_calls,
            "embeddings": 1,
        }[workload]
        timings = self.cpu_seconds if cpu else self.seconds
        return statistics.median(timings[workload][key]) / units

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


class BenchError(RuntimeError):
    """A client returned something other than the reply the server sent."""


def _texts(count: int) -> list[str]:
    return [
        f"Document {i}: the quick brown fox {i % 97} jumps over the lazy dog." for i in range(count)
    ]


def _check(subject: Subject, what: str, ok: bool) -> None:
    if not ok:
        raise BenchError(f"{subject.label} returned a wrong {what}; its figures would mean nothing")


def _warm_up(
    subject: Subject, driver: Driver, loop: asyncio.AbstractEventLoop, sizes: Sizes
) -> None:
    """One of each call, checked, so that connections are open and lazy set-up is done."""
    _check(subject, "reply", driver.call() == REPLY)
    _check(subject, "stream", driver.stream(f"bench-{sizes.stream_chunks}") == sizes.stream_chunks)
    _check(subject, "async reply", loop.run_until_complete(driver.acall()) == REPLY)

    async def fill_pool() -> None:
        await asyncio.gather(*(driver.acall() for _ in range(sizes.concurrent_calls)))

    for _ in range(2):  # httpx's pool is slow the first times it fills; then it stays full
        loop.run_until_complete(fill_pool())
    texts = _texts(sizes.embed_texts)
    vectors = driver.embed(texts)
    _check(subject, "embeddings", len(vectors) == len(texts) and len(vectors[-1]) == 1536)


def _workload(
    name: str, driver: Driver, loop: asyncio.AbstractEventLoop, sizes: Sizes, texts: list[str]
) -> Callable[[], Any]:
    if name == "invoke":
        return lambda: [driver.call() for _ in range(sizes.invoke_calls)]
    if name == "stream":
        model = f"bench-{sizes.stream_chunks}"
        return lambda: driver.stream(model)

    if name == "concurrent":

        async def many() -> list[str]:
            return await asyncio.gather(*(driver.acall() for _ in range(sizes.concurrent_calls)))

        return lambda: loop.run_until_complete(many())
    return lambda: driver.embed(texts)


def time_workloads(
    subjects: Sequence[Subject],
    drivers: dict[str, Driver],
    loop: asyncio.AbstractEventLoop,
    results: Results,
    progress: Callable[[str], None],
) -> None:
    sizes = results.sizes
    for subject in subjects:
        _warm_up(subject, drivers[subject.key], loop, sizes)
    texts = _texts(sizes.embed_texts)
    for name in WORKLOADS:
        wall = results.seconds.setdefault(name, {})
        cpu = results.cpu_seconds.setdefault(name, {})
        for round_index in range(sizes.rounds):
            shift = round_index % len(subjects)
            for subject in [*subjects[shift:], *subjects[:shift]]:
                run = _workload(name, drivers[subject.key], loop, sizes, texts)
                gc.collect()
                started, started_cpu = time.perf_counter(), time.process_time()
                run()
                cpu.setdefault(subject.key, []).append(time.process_time() - started_cpu)
                wall.setdefault(subject.key, []).append(time.perf_counter() - started)
            progress(f"{name}: round {round_index + 1} of {sizes.rounds}")


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
