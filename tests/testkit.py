"""The shared test kit: what more than one suite under tests/ needs.

Import it as ``testkit`` (tests/ is on pytest's ``pythonpath``). The record-and-replay
rules themselves live in :mod:`aihubmix_testing.cassettes`, shared with the demo.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository root."""
CASSETTES = ROOT / "cassettes"


def cassette_dir(test_file: Path) -> str:
    """cassettes/<folder under tests>/<module name without test_>/ (naming only)."""
    relative = test_file.resolve().relative_to(ROOT / "tests")
    stem = relative.stem.removeprefix("test_")
    return str(CASSETTES / relative.parent / stem)
