"""``python -m bench``: run every workload for every client and write docs/benchmarks.md.

The stream path of each route (chat, Responses, Messages) is measured too and written
to docs/benchmarks-routes.md (see ``bench.routes``).

``--smoke`` runs tiny sizes (seconds, used by the test suite); ``--out DIR`` writes the
Markdown and chart somewhere other than docs/; ``--render`` rewrites them from the raw
results of the last full run (bench/results/benchmarks.json) without measuring again.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import report, routes
from .measure import SMOKE, Results, Sizes, measure_fresh_processes, time_workloads
from .server import server_process
from .subjects import SUBJECTS

ROOT = Path(__file__).resolve().parent.parent


def run(sizes: Sizes, out: Path, command: str, log: bool = True) -> Results:
    started = time.perf_counter()

    def progress(message: str) -> None:
        if log:
            print(
                f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True
            )

    results = Results(sizes)
    subjects = SUBJECTS
    with server_process() as base_url:
        loop = asyncio.new_event_loop()
        try:
            drivers = {subject.key: subject.build(base_url) for subject in subjects}
            progress("clients built; timing")
            time_workloads(subjects, drivers, loop, results, progress)
        finally:
            loop.close()
        measure_fresh_processes(subjects, base_url, results, progress)
    raw = ROOT / "bench" / "results" if out == ROOT / "docs" else out
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "benchmarks.json").write_text(results.to_json())
    write(results, out, command)
    progress(f"wrote {out / 'benchmarks.md'}")
    route_results = routes.run(sizes.stream_chunks, sizes.rounds, out, command)
    progress(f"wrote {out / 'benchmarks-routes.md'}")
    if log:
        print("\n".join(routes.lines(route_results)), file=sys.stderr)
    return results


def write(results: Results, out: Path, command: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    report.chart(results, SUBJECTS, out / "benchmarks.png")
    (out / "benchmarks.md").write_text(
        report.markdown(results, SUBJECTS, command, "benchmarks.png")
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round")
    parser.add_argument("--rounds", type=int, help="rounds per workload (default 5)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where to write")
    parser.add_argument("--render", action="store_true", help="rewrite the report, no runs")
    args = parser.parse_args(argv)
    sizes = SMOKE if args.smoke else Sizes()
    if args.rounds:
        sizes = Sizes(**{**sizes.__dict__, "rounds": args.rounds})
    given = list(sys.argv[1:] if argv is None else argv)
    command = "python -m bench " + " ".join(given) if given else "make bench"
    if args.render:
        results = Results.from_json((ROOT / "bench" / "results" / "benchmarks.json").read_text())
        write(results, args.out, "make bench")
    else:
        results = run(sizes, args.out, command)
    print(report.table(results, SUBJECTS))
    print()
    for target in report.targets(results):
        print(f"{'met    ' if target.met else 'NOT MET'}  {target.what}: {target.figure}")


if __name__ == "__main__":
    main()
