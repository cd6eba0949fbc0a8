"""The docs examples poll video jobs and image predictions: their waits are recorded, not
slept, as an app's own tests would do by passing ``sleep=`` (see docs/video.md)."""

from __future__ import annotations

import pytest
from media_fakes import no_waiting


@pytest.fixture(autouse=True)
def _polls_do_not_wait(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    return no_waiting(monkeypatch)
