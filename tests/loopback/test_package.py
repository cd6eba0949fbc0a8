"""aihubmix_testing ships to users' test suites: it must not need this repository's extras."""

from __future__ import annotations

import subprocess
import sys

import testkit


def test_emulator_faults_and_cassette_rules_import_with_the_standard_library_only() -> None:
    """``python -S`` leaves site-packages off the path: only the standard library is there."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import aihubmix_testing.emulator, aihubmix_testing.emulator.__main__, "
        "aihubmix_testing.faults, aihubmix_testing.cassettes"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", code, str(testkit.ROOT)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
