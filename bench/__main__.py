"""``python -m bench``: run every workload for every client and write docs/benchmarks.md.

The stream path of each route (chat, Responses, Messages) is measured too and written
to docs/benchmarks-routes.md (see ``bench.routes``).

``--smoke`` runs tiny sizes (seconds, used by the test suite); ``--out DIR`` writes the
Markdown and chart somewhere other than docs/; ``--render`` rewrites them from the raw
results of the last full run (bench/results/benchmarks.json) without measuring again;
``--compare A.json B.json`` adds earlier runs' raw results beside the targets.
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


Earlier = Sequence[tuple[str, Results]]


def run(sizes: Sizes, out: Path, command: str, log: bool = True, earlier: Earlier = ()) -> Results:
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
            time_workloads(subjects, drivers, loop, results, progress, base_url)
        finally:
            loop.close()
        measure_fresh_processes(subjects, base_url, results, progress)
    raw = ROOT / "bench" / "results" if out == ROOT / "docs" else out
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "benchmarks.json").write_text(results.to_json())
    write(results, out, command, earlier)
    progress(f"wrote {out / 'benchmarks.md'}")
    route_results = routes.run(sizes.stream_chunks, sizes.rounds, out, command)
    progress(f"wrote {out / 'benchmarks-routes.md'}")
    if log:
        print("\n".join(routes.lines(route_results)), file=sys.stderr)
    return results


def write(results: Results, out: Path, command: str, earlier: Earlier = ()) -> None:
    out.mkdir(parents=True, exist_ok=True)
    report.chart(results, SUBJECTS, out / "benchmarks.png")
    (out / "benchmarks.md").write_text(
        report.markdown(results, SUBJECTS, command, "benchmarks.png", earlier)
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round")
    parser.add_argument(
        "--rounds",
        type=int,
        help=f"rounds of the invoke, stream and async workloads (default {Sizes().rounds})",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where to write")
    parser.add_argument("--render", action="store_true", help="rewrite the report, no runs")
    parser.add_argument(
        "--compare",
        type=Path,
        nargs="+",
        default=[],
        metavar="JSON",
        help="earlier runs' raw results, shown beside this run's targets",
    )
    args = parser.parse_args(argv)
    earlier = [(path.stem, Results.from_json(path.read_text())) for path in args.compare]
    sizes = SMOKE if args.smoke else Sizes()
    if args.rounds:
        sizes = Sizes(**{**sizes.__dict__, "rounds": args.rounds})
    given = list(sys.argv[1:] if argv is None else argv)
    command = "python -m bench " + " ".join(given) if given else "make bench"
    if args.render:
        results = Results.from_json((ROOT / "bench" / "results" / "benchmarks.json").read_text())
        write(results, args.out, "make bench", earlier)
    else:
        results = run(sizes, args.out, command, earlier=earlier)
    print(report.floor_table(results, SUBJECTS))
    print()
    print(report.table(results, SUBJECTS))
    print()
    for target in report.targets(results):
        print(f"{'met    ' if target.met else 'NOT MET'}  {target.what}: {target.figure}")
    for line in report.warnings(results, SUBJECTS):
        print(f"WARNING  {line}")
    if earlier:
        print()
        print(report.run_to_run(results, earlier))


if __name__ == "__main__":
    main()
