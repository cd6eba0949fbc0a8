"""``python -m bench`` at tiny sizes, so the benchmark cannot rot between full runs.

No timing is asserted (the machine is shared); what is asserted is that every client
answered correctly through its public API and that every cell of the report is filled.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import __main__ as bench_main
from bench.measure import SMOKE, WORKLOADS, BenchError, Figure, Results, _check, rounds_of
from bench.report import markdown, targets, warnings
from bench.subjects import SUBJECTS

_TIMED_ROWS = (
    "invoke, per call (",
    "stream, per chunk (",
    "async, per call (",
    "embeddings (",
)
_ROWS = (
    *_TIMED_ROWS,
    "import, `import X`",
    "import, `from X import Class`",
    "peak memory growth,",
    "growth ",
)


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Results]:
    out = tmp_path_factory.mktemp("bench")
    results = bench_main.run(SMOKE, out, "python -m bench --smoke", log=False)
    return out, results


def test_every_workload_has_a_positive_figure_for_every_client(
    smoke_run: tuple[Path, Results],
) -> None:
    _, results = smoke_run
    for workload in WORKLOADS:
        for subject in SUBJECTS:
            assert results.ratio(workload, subject.key) > 0, (workload, subject.key)
            assert results.ratio(workload, subject.key, "raw") > 0, (workload, subject.key)
            assert len(results.cpu_seconds[workload][subject.key]) == rounds_of(SMOKE, workload)
        assert results.ratio(workload, "raw") == pytest.approx(1.0)
        assert results.ratio(workload, "lc_floor") == results.ratio(workload, "lc_floor", "raw")
    for kind in ("package", "class"):
        for subject in SUBJECTS:
            (seconds,) = results.imports[kind][subject.key]
            assert 0 < seconds < 120
    for subject in SUBJECTS:
        # ``from X import Class`` imports X first, so it can never cost less.
        assert (
            results.imports["class"][subject.key][0] >= results.imports["package"][subject.key][0]
        )
        assert set(results.memory[subject.key]) == {str(n) for n in SMOKE.memory_chunks}
        assert all(mib >= 0 for mib in results.memory[subject.key].values())


def _tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every Markdown table in ``text``: its header cells and its rows' cells."""
    lines = text.splitlines()
    found = []
    index = 0
    while index < len(lines):
        if not lines[index].startswith("| "):
            index += 1
            continue
        end = next(
            (i for i in range(index, len(lines)) if not lines[i].startswith("|")), len(lines)
        )
        header, separator, *body = lines[index:end]
        assert set(separator.replace("|", "").split()) == {"---"}
        found.append(
            (
                [cell.strip() for cell in header.strip("|").split("|")],
                [[cell.strip() for cell in row.strip("|").split("|")] for row in body],
            )
        )
        index = end
    return found


def _assert_filled(prefixes: tuple[str, ...], header: list[str], body: list[list[str]]) -> None:
    assert len(body) == len(prefixes)
    for prefix, cells in zip(prefixes, body, strict=True):
        assert prefix in cells[0], cells[0]
        assert len(cells) == len(header)
        for cell in cells[1:]:
            number = re.match(r"[\d.]+", cell)
            assert number is not None or cell.startswith("flat"), (cells[0], cell)
            if number is not None:
                assert float(number.group()) >= 0
            if "x [" in cell:  # a median multiple with the interquartile range of its rounds
                assert re.match(r"[\d.]+x \[[\d.]+, [\d.]+\]", cell), (cells[0], cell)


def test_report_has_every_row_and_column(smoke_run: tuple[Path, Results]) -> None:
    out, _ = smoke_run
    text = (out / "benchmarks.md").read_text()
    (floor_header, floor_body), (raw_header, raw_body), (wall_header, wall_body) = _tables(text)
    framework = [s for s in SUBJECTS if s.family != "raw"]
    assert floor_header[0] == "workload (CPU, multiple of the framework's floor)"
    assert [cell.split(" (÷ ")[0] for cell in floor_header[1:]] == [s.label for s in framework]
    _assert_filled(_TIMED_ROWS, floor_header, floor_body)
    assert raw_header == ["workload (CPU, multiple of raw httpx)", *(s.label for s in SUBJECTS)]
    _assert_filled(_ROWS, raw_header, raw_body)
    assert wall_header[1:] == [s.label for s in SUBJECTS]
    _assert_filled(_TIMED_ROWS, wall_header, wall_body)
    assert "Machine: " in text and "Command: `python -m bench --smoke`" in text
    assert "## Warnings" in text
    assert (out / "benchmarks.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_target_is_judged(smoke_run: tuple[Path, Results]) -> None:
    _, results = smoke_run
    judged = targets(results)
    assert len(judged) == 12
    assert len([t for t in judged if t.what.endswith("x LangChain floor")]) == 3
    assert len([t for t in judged if t.what.endswith("x LlamaIndex floor")]) == 3
    text = (smoke_run[0] / "benchmarks.md").read_text()
    for target in judged:
        assert target.what in text


def test_a_client_with_a_wrong_reply_is_refused_rather_than_timed() -> None:
    with pytest.raises(BenchError, match="ChatAIHubMix returned a wrong reply"):
        _check(SUBJECTS[3], "reply", False)


def test_a_figure_is_unresolved_when_its_spread_is_wider_than_its_distance() -> None:
    assert Figure(1.04, 0.98, 1.10).unresolved
    assert not Figure(1.40, 1.35, 1.45).unresolved
    assert not Figure(0.80, 0.78, 0.83).unresolved


def test_a_wide_spread_is_warned_about(smoke_run: tuple[Path, Results]) -> None:
    _, results = smoke_run
    noisy = Results(results.sizes, imports=results.imports, memory=results.memory)
    for timings in (noisy.cpu_seconds, noisy.seconds):
        for workload in WORKLOADS:
            timings[workload] = {s.key: [1.0, 1.0, 1.0] for s in SUBJECTS}
            timings[workload]["lc_ours"] = [0.8, 1.05, 1.3]
    lines = [w for w in warnings(noisy, SUBJECTS) if w.startswith("ChatAIHubMix, invoke")]
    assert len(lines) == 2  # against its framework's floor, and against raw httpx
    assert "1.05x LangChain floor" in lines[0] and "not told apart" in lines[0]
    assert not [w for w in warnings(noisy, SUBJECTS) if w.startswith("LangChain floor")]


def test_earlier_runs_are_set_beside_the_targets(smoke_run: tuple[Path, Results]) -> None:
    _, results = smoke_run
    earlier = Results.from_json(results.to_json())
    assert earlier == results
    text = markdown(results, SUBJECTS, "make bench", "benchmarks.png", [("before", earlier)])
    header, body = _tables(text.split("## Run to run", 1)[1])[0]
    assert header == ["target", "this run", "before"]
    assert len(body) == 6
    for cells in body:
        assert cells[1] == cells[2] and "(medians 0.00 apart)" in cells[0]
