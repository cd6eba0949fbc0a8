"""The results as tables, a list of targets met or missed, a chart, and docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .measure import WORKLOADS, Figure, Results, rounds_of
from .subjects import Subject, by_key

__all__ = [
    "Target",
    "chart",
    "floor_table",
    "markdown",
    "run_to_run",
    "table",
    "targets",
    "wall_table",
    "warnings",
]

_ROW_NAMES = {
    "invoke": "invoke, per call ({invoke_calls} sequential calls)",
    "stream": "stream, per chunk ({stream_chunks:,}-chunk reply)",
    "async": "async, per call ({async_calls} calls, {async_in_flight} in flight)",
    "embeddings": "embeddings ({embed_texts:,} texts, 1,536 dims)",
}
_SHORT = {"invoke": "per call", "stream": "per stream chunk", "async": "per async call"}
_VERSIONS = (
    "httpx",
    "langchain-core",
    "langchain-openai",
    "llama-index-core",
    "llama-index-llms-openai-like",
    "llama-index-embeddings-openai-like",
    "openai",
)
_FLOORS = ("lc_floor", "li_floor")
_ADAPTERS = {"lc_ours": "langchain_aihubmix", "li_ours": "llama_index_aihubmix"}
# Limits on each adapter's multiple of its own framework's floor, same rounds.
LIMITS = {"invoke": 1.10, "stream": 1.5, "async": 1.15}
_EMBEDDINGS_LIMIT = 1.3  # against raw httpx
_UNRESOLVED = "†"


def _seconds(value: float) -> str:
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.1f} µs"


def _figure(figure: Figure) -> str:
    """``1.04x [0.99, 1.08]``: the median multiple and the interquartile range of rounds,
    marked when that range is wider than the distance from 1.00x."""
    mark = _UNRESOLVED if figure.unresolved else ""
    return f"{figure.median:.2f}x [{figure.low:.2f}, {figure.high:.2f}]{mark}"


def _linear(results: Results, key: str) -> tuple[float, float, bool]:
    """Growth at the small and large stream, and whether it is at most linear."""
    small_n, large_n = results.sizes.memory_chunks
    small = results.memory[key][str(small_n)]
    large = results.memory[key][str(large_n)]
    # Flat (a few MiB, allocator noise) or growing no faster than the reply, with slack.
    linear = large < 8 or large <= small * (large_n / small_n) * 1.5
    return small, large, linear


def _row_name(results: Results, workload: str) -> str:
    return _ROW_NAMES[workload].format(**results.sizes.__dict__)


def _markdown_table(header: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in body)
    return "\n".join(lines)


def _floor_name(key: str) -> str:
    return "raw httpx" if key == "raw" else by_key(key).label


def _framework_subjects(subjects: Sequence[Subject]) -> list[Subject]:
    return [s for s in subjects if s.family != "raw"]


def floor_rows(results: Results, subjects: Sequence[Subject]) -> list[list[str]]:
    """The headline: every framework client against its framework's floor, same rounds.
    The floors' own cells give their multiple of raw httpx and their time per unit."""
    table: list[list[str]] = []
    for workload in WORKLOADS:
        row = [_row_name(results, workload)]
        for subject in _framework_subjects(subjects):
            cell = _figure(results.figure(workload, subject.key))
            if subject.key in _FLOORS:
                cell += f", {_seconds(results.per_unit(workload, subject.key))}"
            row.append(cell)
        table.append(row)
    return table


def floor_table(results: Results, subjects: Sequence[Subject]) -> str:
    header = ["workload (CPU, multiple of the framework's floor)"]
    for subject in _framework_subjects(subjects):
        header.append(f"{subject.label} (÷ {_floor_name(subject.floor)})")
    return _markdown_table(header, floor_rows(results, subjects))


def _raw_rows(results: Results, subjects: Sequence[Subject], *, cpu: bool) -> list[list[str]]:
    table: list[list[str]] = []
    for workload in WORKLOADS:
        row = [_row_name(results, workload)]
        for subject in subjects:
            if subject.key == "raw":
                row.append(f"1.00x ({_seconds(results.per_unit(workload, 'raw', cpu=cpu))})")
            else:
                row.append(_figure(results.figure(workload, subject.key, "raw", cpu=cpu)))
        table.append(row)
    return table


def rows(results: Results, subjects: Sequence[Subject]) -> list[list[str]]:
    """Every client against raw httpx in CPU time, then import times and streaming memory."""
    table = _raw_rows(results, subjects, cpu=True)
    for kind, label in (
        ("package", "import, `import X`"),
        ("class", "import, `from X import Class`"),
    ):
        row = [label]
        for subject in subjects:
            row.append(_seconds(statistics.median(results.imports[kind][subject.key])))
        table.append(row)
    small_n, large_n = results.sizes.memory_chunks
    row = [f"peak memory growth, {large_n:,}-chunk stream"]
    shape = [f"growth {small_n:,} → {large_n:,} chunks"]
    for subject in subjects:
        small, large, linear = _linear(results, subject.key)
        row.append(f"{large:.1f} MiB")
        shape.append(
            ("flat" if large < 8 else f"{large / max(small, 0.1):.1f}x")
            + ("" if linear else " (!)")
        )
    table.extend([row, shape])
    return table


def table(results: Results, subjects: Sequence[Subject]) -> str:
    """Every client against raw httpx (readable as plain text too)."""
    header = ["workload (CPU, multiple of raw httpx)", *(s.label for s in subjects)]
    return _markdown_table(header, rows(results, subjects))


def wall_table(results: Results, subjects: Sequence[Subject]) -> str:
    """The timed workloads again, in wall-clock time (server and machine noise included)."""
    header = ["workload (wall clock, multiple of raw httpx)", *(s.label for s in subjects)]
    return _markdown_table(header, _raw_rows(results, subjects, cpu=False))


def warnings(results: Results, subjects: Sequence[Subject]) -> list[str]:
    """One line per CPU figure whose rounds spread wider than the distance it reports."""
    found: list[str] = []
    for workload in WORKLOADS:
        for subject in subjects:
            if subject.key == "raw":
                continue
            against = [subject.floor] if subject.floor == "raw" else [subject.floor, "raw"]
            for floor in against:
                figure = results.figure(workload, subject.key, floor)
                if figure.unresolved:
                    distance = abs(figure.median - 1.0)
                    found.append(
                        f"{subject.label}, {workload}: {figure.median:.2f}x "
                        f"{_floor_name(floor)}, but its rounds spread over "
                        f"[{figure.low:.2f}, {figure.high:.2f}] ({figure.spread:.2f} wide, more "
                        f"than the {distance:.2f} it differs by): not told apart from it"
                    )
    return found


@dataclass(frozen=True)
class Target:
    what: str
    figure: str
    met: bool


def _against_limit(figure: Figure, limit: float) -> str:
    if figure.low <= limit < figure.high:
        return "; the spread straddles the limit"
    return ""


def targets(results: Results) -> list[Target]:
    found: list[Target] = []
    for workload, limit in LIMITS.items():
        for key, name in _ADAPTERS.items():
            floor = by_key(by_key(key).floor)
            figure = results.figure(workload, key)
            found.append(
                Target(
                    f"{name} {_SHORT[workload]} ≤ {limit:.2f}x {floor.label}",
                    f"{figure.median:.2f}x (interquartile range [{figure.low:.2f}, {figure.high:.2f}] "
                    f"over {rounds_of(results.sizes, workload)} rounds"
                    f"{_against_limit(figure, limit)})",
                    figure.median <= limit,
                )
            )
    for key, name in _ADAPTERS.items():
        figure = results.figure("embeddings", key, "raw")
        found.append(
            Target(
                f"{name} embeddings ≤ {_EMBEDDINGS_LIMIT}x raw httpx",
                f"{figure.median:.2f}x (interquartile range [{figure.low:.2f}, {figure.high:.2f}]; "
                f"{by_key(by_key(key).floor).label}: "
                f"{results.ratio('embeddings', by_key(key).floor):.2f}x)",
                figure.median <= _EMBEDDINGS_LIMIT,
            )
        )
    for kind in ("package", "class"):
        ours = statistics.median(results.imports[kind]["lc_ours"])
        anchor = statistics.median(results.imports[kind]["lc_openai"])
        framework = statistics.median(results.imports[kind]["lc_floor"])
        statement = (
            "import langchain_aihubmix"
            if kind == "package"
            else "from langchain_aihubmix import ChatAIHubMix"
        )
        found.append(
            Target(
                f"`{statement}` ≤ 35% of the langchain_openai equivalent",
                f"{ours / anchor:.0%} ({_seconds(ours)} vs {_seconds(anchor)}; "
                f"the langchain_core equivalent alone: {framework / anchor:.0%})",
                ours <= 0.35 * anchor,
            )
        )
    for key, name in _ADAPTERS.items():
        small, large, linear = _linear(results, key)
        found.append(
            Target(
                f"{name} streaming memory grows at most linearly",
                f"{small:.1f} → {large:.1f} MiB",
                linear,
            )
        )
    return found


def run_to_run(results: Results, earlier: Sequence[tuple[str, Results]]) -> str:
    """The floor targets of this run beside those of earlier runs, to see them hold."""
    header = ["target", "this run", *(name for name, _ in earlier)]
    body: list[list[str]] = []
    for workload, limit in LIMITS.items():
        for key, name in _ADAPTERS.items():
            row = [f"{name} {_SHORT[workload]} ≤ {limit:.2f}x its floor"]
            medians = []
            for run in (results, *(other for _, other in earlier)):
                figure = run.figure(workload, key)
                medians.append(figure.median)
                verdict = "" if figure.median <= limit else " (not met)"
                row.append(f"{figure.median:.2f}x [{figure.low:.2f}, {figure.high:.2f}]{verdict}")
            row[0] += f" (medians {max(medians) - min(medians):.2f} apart)"
            body.append(row)
    return _markdown_table(header, body)


def chart(results: Results, subjects: Sequence[Subject], path: Path) -> None:
    """Left: each framework client over its framework's floor, with the limits; right:
    every client over raw httpx. Whiskers span the interquartile range of the rounds."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(
        1, 2, figsize=(14, 5.5), gridspec_kw={"width_ratios": [1, 1.4]}
    )
    panels = (
        (left, [s for s in subjects if s.family != "raw" and s.key not in _FLOORS], None),
        (right, [s for s in subjects if s.key != "raw"], "raw"),
    )
    names = {"invoke": "per call", "stream": "per chunk", "async": "async call"}
    names["embeddings"] = "embeddings"
    for axes, shown, against in panels:
        width = 0.8 / len(shown)
        peak = 1.0
        for position, subject in enumerate(shown):
            figures = [results.figure(w, subject.key, against) for w in WORKLOADS]
            values = [f.median for f in figures]
            peak = max(peak, *(f.high for f in figures))
            errors = [
                [f.median - f.low for f in figures],
                [f.high - f.median for f in figures],
            ]
            offsets = [i + (position - (len(shown) - 1) / 2) * width for i in range(len(WORKLOADS))]
            label = subject.label if against else f"{subject.label} ÷ its floor"
            bars = axes.bar(offsets, values, width, label=label, yerr=errors, capsize=2)
            axes.bar_label(bars, labels=[f"{v:.2f}" for v in values], fontsize=7, padding=2)
        axes.axhline(1.0, color="black", linewidth=0.8, linestyle="--")
        axes.set_xticks(range(len(WORKLOADS)), [names[w] for w in WORKLOADS])
        axes.set_yscale("log")
        axes.set_ylim(top=peak * 6)  # room for the legend above the tallest bar
        axes.legend(fontsize=8, ncols=2, loc="upper left")
    for index, workload in enumerate(WORKLOADS):
        if workload in LIMITS:
            left.hlines(LIMITS[workload], index - 0.45, index + 0.45, colors="red", linewidth=1)
    left.set_ylabel("multiple of its framework's floor (log scale; red: limit)")
    left.set_title("Against each framework's floor, same rounds")
    right.set_ylabel("multiple of raw httpx (log scale)")
    right.set_title("Against raw httpx + json.loads")
    figure.suptitle("Client CPU time; lower is better; whiskers: interquartile range of rounds")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = []
    for name in _VERSIONS:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; " + ", ".join(versions)
    )


def markdown(
    results: Results,
    subjects: Sequence[Subject],
    command: str,
    chart_name: str,
    earlier: Sequence[tuple[str, Results]] = (),
) -> str:
    sizes = results.sizes
    repeated = (
        f"""
## Run to run

The same targets in earlier runs of the same harness on the same machine (median
[interquartile range] over each run's rounds):

{run_to_run(results, earlier)}
"""
        if earlier
        else ""
    )
    met = targets(results)
    target_lines = [f"- {'met' if t.met else '**not met**'}: {t.what}: {t.figure}" for t in met]
    warned = warnings(results, subjects)
    warning_lines = (
        "\n".join(f"- {line}" for line in warned)
        if warned
        else "None: every figure's spread is narrower than its distance from its floor."
    )
    floors = ", ".join(
        f"{_seconds(results.per_unit(w, 'raw'))} {_SHORT.get(w, 'per embeddings run')}"
        for w in WORKLOADS
    )
    return f"""# Benchmarks

What each client costs on top of the network, measured in one run against a loopback
server, in the client process's CPU time: the server runs in another process, so waiting
for the network costs nothing and what remains is what the client itself spends. Every
figure is a multiple of a floor measured *in the same round*: for the LangChain and
LlamaIndex clients, their framework's floor (a minimal chat model on raw httpx inside that
framework); for those floors and the core, plain httpx and `json.loads`. Each figure is
the median over rounds of (client time / floor time in that round); beside it, in
square brackets, the interquartile range of those per-round ratios. A figure marked {_UNRESOLVED}
spread wider than its distance from its floor: the run cannot tell the two apart. Lower
is better.

Machine: {_machine()}.

Command: `{command}`.

## Against each framework's floor

{floor_table(results, subjects)}

## Targets for our adapters

{chr(10).join(target_lines)}

## Warnings

{warning_lines}
{repeated}
## Against raw httpx

{table(results, subjects)}

Raw httpx in absolute terms (CPU): {floors}.

![multiples of the framework floors and of raw httpx per workload]({chart_name})

The same rounds in wall-clock time, which adds the server's pace and whatever else the
machine was doing (a client that waited needlessly would show here and not above):

{wall_table(results, subjects)}

## How it is measured

- Rounds: {sizes.rounds} of the invoke, stream and async workloads, {sizes.embed_rounds}
  of embeddings. Each round runs every client once, in an order shuffled afresh each
  round (seeded, so a run can be repeated as it was), and cuts each client's share into
  turns taken in rotation: {sizes.turns} turns of sequential calls, {sizes.turns}
  stretches of the one streamed reply (opened for every client at the round's start and
  drained in turns), {sizes.async_turns} turns of async calls. A client and its floor are
  so never timed more than a moment apart, and a client's figure for a round is its time
  over its floor's time in that round: whatever the shared machine does for a while
  falls on both and drops out. On this machine, under load from other work, that cut
  the interquartile range of the adapters' async ratios from about 0.20 (each client's
  300 calls in one go) to between 0.04 and 0.11.
- The async workload is {sizes.async_calls} `ainvoke` / `achat` calls per client and
  round with at most {sizes.async_in_flight} in flight (an `asyncio.Semaphore`), on one
  event loop, {sizes.async_calls // sizes.async_turns} calls a turn.
- The framework floors (`bench/floor_langchain.py`, `bench/floor_llamaindex.py`) are
  chat models on raw httpx that parse each reply's text and usage and, when streaming,
  build one message chunk per SSE chunk with the framework's per-chunk callback: for
  LangChain an `AIMessageChunk` in a `ChatGenerationChunk`, with `on_llm_new_token`
  (fired by `stream` / `astream` themselves in langchain-core 1.x); for LlamaIndex a
  `ChatResponse` carrying the running text, under `llm_chat_callback`, which fires an
  `LLMChatInProgressEvent` per chunk. Sync and async twins alike. An adapter can come
  out below its floor only by doing some of that more cheaply (ours build LlamaIndex's
  streamed responses without pydantic validation, for one).
- Before timing, every client's replies (sync, streamed, async, async streamed,
  embeddings) are checked, its connections opened, and then the process's objects are
  frozen out of the garbage collector's reach (`gc.freeze`), so that no client pays for
  collecting the other frameworks' imports. Each timed piece starts after a
  `gc.collect()`.
- The server (`bench/server.py`) is an asyncio protocol in its own process, answering
  with pre-built replies shaped like real OpenAI traffic through the gateway: HTTP/1.1
  keep-alive, one HTTP chunk per SSE event, a usage chunk when asked for, embeddings as
  float lists or base64 as the request asks.
- Every client is used through its public API with retries off: `invoke` / `stream` /
  `ainvoke` / `embed_documents` for LangChain, `chat` / `stream_chat` / `achat` /
  `get_text_embedding_batch` for LlamaIndex, each with its defaults otherwise (so
  `OpenAILikeEmbedding` sends its default 10 texts per request, `OpenAIEmbeddings`
  1,000 and the OpenAI SDK asks for base64, ours 256 texts as base64). The floors ask
  for all texts at once as JSON floats, the API's default.
- All async clients get the same kind of httpx client (httpx's default pool of 100
  connections, 20 kept alive, never expiring during a run), and before timing every
  pool is made to hold {sizes.async_in_flight} open connections. httpcore's pool scans
  every connection against every other on each state change, so its cost grows with
  the square of the connections it holds, and it dwarfs any client's own async cost
  (profiled: `httpcore.AsyncConnectionPool._assign_requests_to_connections`). Left
  alone, how many connections a pool opens depends on the client's pace (a client that
  spends longer between awaits opens fewer, 14 instead of 20 here), and such a client
  came out cheaper than its floor for the pool's sake alone.
- So the adapters' async calls go through an httpx client they were given, while their
  sync calls go through the one `aihubmix_core` makes itself. The core builds requests
  for a given client through `httpx.AsyncClient.build_request` (so the caller's
  defaults apply) and for its own from a prepared URL, headers and timeout, about 80 µs
  cheaper per request here: most of the difference between the adapters' per call and
  per async call figures.
- Import times are the median over {sizes.import_rounds} fresh interpreters of the
  statement alone (nothing but the standard library loaded before it).
- Memory is the growth of the peak resident set while streaming, after a warm-up, in a
  fresh process per client; at most linear means the {sizes.memory_chunks[1]:,}-chunk
  growth is within 1.5 times the {sizes.memory_chunks[0]:,}-chunk growth scaled by
  the chunk count, or under 8 MiB.
"""
