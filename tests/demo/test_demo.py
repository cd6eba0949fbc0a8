"""`make demo` is the main job: it must replay end to end on a machine with no key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_replays_both_frameworks_without_a_key() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIHUBMIX_")}
    done = subprocess.run(
        [sys.executable, "-m", "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "REPLAYING" in out.splitlines()[1]
    for model in ("gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-flash", "deepseek-chat"):
        assert model in out
    assert "calls:  get_weather({'city': 'Paris'})" in out
    assert "calls:  get_population({'city': 'Paris'})" in out
    assert "CityFacts(city='Paris', country='France'" in out
    assert "On Saturdays the cafe opens at 8 am" in out
    assert "source:   opening-hours.md" in out
    assert "multiply({'a': 7, 'b': 6}) -> 42" in out
    assert "wrote:  aihubmix_image_generation-" in out and "wrote:  speech-" in out
    assert "text:   Your fox picture is ready. It shows a fox in the snow." in out
    assert "li:     0.950 Red foxes eat mice, rabbits and berries." in out
    assert "wrote:  video-" in out
    assert "Done: 11 steps" in out
