"""Cassettes replay in any clone: nothing in them depends on where this one lives."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_cassette_holds_this_checkouts_path() -> None:
    cassettes = sorted((ROOT / "cassettes").rglob("*.yaml"))
    assert cassettes
    holding = [str(p.relative_to(ROOT)) for p in cassettes if str(ROOT) in p.read_text()]
    assert holding == []
