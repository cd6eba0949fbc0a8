"""The results as a table, a list of targets met or missed, a chart, and docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .measure import WORKLOADS, Results
from .subjects import Subject

__all__ = ["Target", "chart", "markdown", "table", "targets", "wall_table"]

_ROW_NAMES = {
    "invoke": "invoke ({invoke_calls} sequential calls)",
    "stream": "stream, per chunk ({stream_chunks:,}-chunk reply)",
    "concurrent": "{concurrent_calls} concurrent async calls",
    "embeddings": "embeddings ({embed_texts:,} texts, 1,536 dims)",
}
_VERSIONS = (
    "httpx",
    "langchain-core",
    "langchain-openai",
    "llama-index-core",
    "llama-index-llms-openai-like",
    "llama-index-embeddings-openai-like",
    "openai",
)


def _seconds(value: float) -> str:
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.1f} µs"


def _linear(results: Results, key: str) -> tuple[float, float, bool]:
    """Growth at the small and large stream, and whether it is at most linear."""
    small_n, large_n = results.sizes.memory_chunks
    small = results.memory[key][str(small_n)]
    large = results.memory[key][str(large_n)]
    # Flat (a few MiB, allocator noise) or growing no faster than the reply, with slack.
    linear = large < 8 or large <= small * (large_n / small_n) * 1.5
    return small, large, linear


def _timed_rows(results: Results, subjects: Sequence[Subject], *, cpu: bool) -> list[list[str]]:
    sizes = results.sizes.__dict__
    table: list[list[str]] = []
    for workload in WORKLOADS:
        row = [_ROW_NAMES[workload].format(**sizes)]
        for subject in subjects:
            cell = f"{results.ratio(workload, subject.key, cpu=cpu):.2f}x"
            if subject.key == "raw":
                cell += f" ({_seconds(results.per_unit(workload, 'raw', cpu=cpu))})"
            row.append(cell)
        table.append(row)
    return table


def rows(results: Results, subjects: Sequence[Subject]) -> list[list[str]]:
    """The headline: client CPU time multiples, then import times and streaming memory."""
    table = _timed_rows(results, subjects, cpu=True)
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


def _markdown_table(header: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in body)
    return "\n".join(lines)


def table(results: Results, subjects: Sequence[Subject]) -> str:
    """A Markdown table (readable as plain text too)."""
    header = ["workload (multiple of raw httpx)", *(s.label for s in subjects)]
    return _markdown_table(header, rows(results, subjects))


def wall_table(results: Results, subjects: Sequence[Subject]) -> str:
    """The timed workloads again, in wall-clock time (server and machine noise included)."""
    header = ["workload (wall clock, multiple of raw httpx)", *(s.label for s in subjects)]
    return _markdown_table(header, _timed_rows(results, subjects, cpu=False))


@dataclass(frozen=True)
class Target:
    what: str
    figure: str
    met: bool


def targets(results: Results) -> list[Target]:
    found: list[Target] = []
    limits = {
        "invoke": {"lc_ours": 1.3, "li_ours": 1.3},
        "stream": {"lc_ours": 3.0, "li_ours": 4.0},
        "concurrent": {"lc_ours": 1.3, "li_ours": 1.3},
        "embeddings": {"lc_ours": 1.3, "li_ours": 1.3},
    }
    names = {"lc_ours": "langchain_aihubmix", "li_ours": "llama_index_aihubmix"}
    floors = {"lc_ours": ("lc_floor", "LangChain"), "li_ours": ("li_floor", "LlamaIndex")}
    for workload, per_subject in limits.items():
        for key, limit in per_subject.items():
            ratio = results.ratio(workload, key)
            floor_key, framework_name = floors[key]
            floor = results.ratio(workload, floor_key)
            found.append(
                Target(
                    f"{names[key]} {workload} ≤ {limit}x",
                    f"{ratio:.2f}x ({framework_name}'s own floor: {floor:.2f}x)",
                    ratio <= limit,
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
    for key in ("lc_ours", "li_ours"):
        small, large, linear = _linear(results, key)
        found.append(
            Target(
                f"{names[key]} streaming memory grows at most linearly",
                f"{small:.1f} → {large:.1f} MiB",
                linear,
            )
        )
    return found


def chart(results: Results, subjects: Sequence[Subject], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [s for s in subjects if s.key != "raw"]
    width = 0.8 / len(shown)
    figure, axes = plt.subplots(figsize=(11, 5.5))
    for position, subject in enumerate(shown):
        values = [results.ratio(w, subject.key) for w in WORKLOADS]
        offsets = [i + (position - (len(shown) - 1) / 2) * width for i in range(len(WORKLOADS))]
        bars = axes.bar(offsets, values, width, label=subject.label)
        axes.bar_label(bars, labels=[f"{v:.1f}" for v in values], fontsize=7, padding=1)
    axes.axhline(1.0, color="black", linewidth=0.8, linestyle="--", label="raw httpx floor")
    axes.set_yscale("log")
    axes.set_xticks(range(len(WORKLOADS)), ["invoke", "stream / chunk", "concurrent", "embeddings"])
    axes.set_ylabel("multiple of the raw httpx floor (log scale; lower is better)")
    axes.set_title(
        "Client CPU time per workload, over the same requests made with httpx + json.loads"
    )
    axes.legend(fontsize=8, ncols=2)
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


def markdown(results: Results, subjects: Sequence[Subject], command: str, chart_name: str) -> str:
    sizes = results.sizes
    floors = {w: _seconds(results.per_unit(w, "raw")) for w in WORKLOADS}
    met = targets(results)
    target_lines = [f"- {'met' if t.met else '**not met**'}: {t.what}: {t.figure}" for t in met]
    return f"""# Benchmarks

What each client costs on top of the network, measured in one run against a loopback
server, as a multiple of the same requests made with plain httpx and `json.loads` (the
floor). The headline counts the client process's CPU time: the server runs in another
process, so waiting for the network costs nothing and what remains is what the client
itself spends. Each figure is the median over {sizes.rounds} rounds of (client time / floor
time in the same round), so noise on a shared machine cancels. Lower is better.

Machine: {_machine()}.

Command: `{command}`.

{table(results, subjects)}

The floor in absolute terms (CPU): {floors["invoke"]} per call, {floors["stream"]} per
streamed chunk, {floors["concurrent"]} per call within {sizes.concurrent_calls} concurrent
calls, {floors["embeddings"]} for the whole embeddings run.

![multiples of the raw httpx floor per workload]({chart_name})

The same rounds in wall-clock time, which adds the server's pace and whatever else the
machine was doing (a client that waited needlessly would show here and not above):

{wall_table(results, subjects)}

## Targets for our adapters

{chr(10).join(target_lines)}

## How it is measured

- The server (`bench/server.py`) is an asyncio protocol in its own process, answering
  with pre-built replies shaped like real OpenAI traffic through the gateway: HTTP/1.1
  keep-alive, one HTTP chunk per SSE event, a usage chunk when asked for, embeddings as
  float lists or base64 as the request asks.
- Every client is used through its public API with retries off: `invoke` / `stream` /
  `ainvoke` / `embed_documents` for LangChain, `chat` / `stream_chat` / `achat` /
  `get_text_embedding_batch` for LlamaIndex, each with its defaults otherwise (so
  `OpenAILikeEmbedding` sends its default 10 texts per request, `OpenAIEmbeddings`
  1,000 and the OpenAI SDK asks for base64, ours 256 texts as base64). The floor asks
  for all texts at once as JSON floats, the API's default. Every reply is checked before
  anything is timed.
- All async clients get the same httpx client (httpx's default pool of 100 connections,
  20 kept alive), warmed by two untimed rounds of concurrent calls. httpx's pool rescans
  its connections for every waiting request on every state change: with the larger
  pools the clients default to, that scan costs about ten times more than any client
  (profiled: `httpcore.AsyncConnectionPool._assign_requests_to_connections`), and the
  round would time the pool instead of the client.
- The framework floors are a minimal chat model / LLM and embedding class written on
  the raw httpx floor inside LangChain and LlamaIndex: what the framework itself costs,
  which no adapter can go below.
- Import times are the median over {sizes.import_rounds} fresh interpreters of the
  statement alone (nothing but the standard library loaded before it).
- Memory is the growth of the peak resident set while streaming, after a warm-up, in a
  fresh process per client; at most linear means the {sizes.memory_chunks[1]:,}-chunk
  growth is within 1.5 times the {sizes.memory_chunks[0]:,}-chunk growth scaled by
  the chunk count, or under 8 MiB.
"""
