"""Where the demo's calls go: the live service when a key is set, else the recorded cassette.

``AIHUBMIX_RECORD_MODE=all python -m demo`` re-records the cassette from the loopback
emulator in ``aihubmix_testing/emulator`` (or from the live service with
``AIHUBMIX_CASSETTE_SOURCE=live``), by the rules in ``aihubmix_testing.cassettes`` that the
tests use too.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from aihubmix_testing import cassettes

ROOT = Path(__file__).resolve().parent.parent
CASSETTE = ROOT / "cassettes" / "demo" / "demo.yaml"


@dataclass
class Mode:
    name: str  # "live", "replay" or "record"
    banner: str


def _mode() -> Mode:
    if cassettes.record_mode() != "none":
        return Mode(
            "record",
            f"RECORDING the demo cassette from the {cassettes.source()} source into {CASSETTE.relative_to(ROOT)}.",
        )
    if os.environ.get("AIHUBMIX_API_KEY"):
        return Mode(
            "live",
            "LIVE: calling the AIHubMix service with your AIHUBMIX_API_KEY (this spends tokens).",
        )
    return Mode(
        "replay",
        "REPLAYING recorded responses from cassettes/demo/demo.yaml: no AIHUBMIX_API_KEY is set, so no call leaves\n"
        "this machine. The cassette was recorded from the loopback AIHubMix emulator in aihubmix_testing; set\n"
        "AIHUBMIX_API_KEY to run exactly the same code against the live service.",
    )


@contextmanager
def session() -> Iterator[Mode]:
    mode = _mode()
    with ExitStack() as stack:
        if mode.name in ("replay", "record"):
            base_url, key = stack.enter_context(cassettes.endpoint())
            os.environ["AIHUBMIX_BASE_URL"] = base_url
            os.environ["AIHUBMIX_API_KEY"] = key
            recorder = cassettes.recorder()
            stack.enter_context(recorder.use_cassette(str(CASSETTE), **cassettes.vcr_config()))
        yield mode


class Step:
    """Prints a numbered step with its title, then its time when the block ends."""

    count = 0
    total = 11

    def __init__(self, title: str, what: str) -> None:
        Step.count += 1
        self.title = title
        self.what = what

    def __enter__(self) -> Step:
        print(f"\n[{Step.count}/{Step.total}] {self.title}")
        print(f"      {self.what}")
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        print(f"      ({time.perf_counter() - self.started:.2f} s)")


def show(label: str, text: str, indent: int = 6) -> None:
    pad = " " * indent
    lines = str(text).strip().splitlines() or [""]
    print(f"{pad}{label}{lines[0]}")
    for line in lines[1:]:
        print(f"{pad}{' ' * len(label)}{line}")
