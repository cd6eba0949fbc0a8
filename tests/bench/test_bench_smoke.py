"""``python -m bench`` at tiny sizes, so the benchmark cannot rot between full runs.

No timing is asserted (the machine is shared); what is asserted is that every client
answered correctly through its public API and that every cell of the report is filled.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import __main__ as bench_main
from bench.measure import SMOKE, WORKLOADS, BenchError, Results, _check
from bench.report import targets
from bench.subjects import SUBJECTS

_ROWS = (
    "invoke (",
    "stream, per chunk (",
    "concurrent async calls",
    "embeddings (",
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
        assert results.ratio(workload, "raw") == pytest.approx(1.0)
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


def test_report_has_every_row_and_column(smoke_run: tuple[Path, Results]) -> None:
    out, _ = smoke_run
    text = (out / "benchmarks.md").read_text()
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| "))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    header, separator, *body = lines[start:end]
    assert set(separator.replace("|", "").split()) == {"---"}
    assert [cell.strip() for cell in header.strip("|").split("|")][1:] == [
        s.label for s in SUBJECTS
    ]
    assert len(body) == len(_ROWS)
    for prefix, row in zip(_ROWS, body, strict=True):
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert prefix in cells[0], cells[0]
        assert len(cells) == len(SUBJECTS) + 1
        for cell in cells[1:]:
            number = re.match(r"[\d.]+", cell)
            assert number is not None or cell.startswith("flat"), (cells[0], cell)
            if number is not None:
                assert float(number.group()) >= 0
    assert "Machine: " in text and "Command: `python -m bench --smoke`" in text
    assert "| workload (wall clock, multiple of raw httpx) |" in text
    assert (out / "benchmarks.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_target_is_judged(smoke_run: tuple[Path, Results]) -> None:
    _, results = smoke_run
    judged = targets(results)
    assert len(judged) == 12
    text = (smoke_run[0] / "benchmarks.md").read_text()
    for target in judged:
        assert target.what in text


def test_a_client_with_a_wrong_reply_is_refused_rather_than_timed() -> None:
    with pytest.raises(BenchError, match="ChatAIHubMix returned a wrong reply"):
        _check(SUBJECTS[3], "reply", False)
