"""Markers, not file names, decide which AIHUBMIX_* settings a test sees (tests/conftest.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import testkit


@pytest.fixture(scope="module", autouse=True)
def _machine_settings() -> Iterator[None]:
    """As if the machine running the tests had AIHubMix settings of its own (module scope,
    so they are in place before the per-test rule runs)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in testkit.AIHUBMIX_SETTINGS:
            patch.setenv(name, f"from-the-machine-{name.lower()}")
        yield


def test_an_unmarked_test_sees_none_of_the_machines_settings() -> None:
    assert [name for name in testkit.AIHUBMIX_SETTINGS if name in os.environ] == []


@pytest.mark.aihubmix_env
def test_aihubmix_env_points_at_the_cassette_source(aihubmix_endpoint: tuple[str, str]) -> None:
    assert (os.environ["AIHUBMIX_BASE_URL"], os.environ["AIHUBMIX_API_KEY"]) == aihubmix_endpoint
    assert "AIHUBMIX_APP_CODE" not in os.environ


@pytest.mark.vcr
def test_vcr_implies_aihubmix_env(aihubmix_endpoint: tuple[str, str]) -> None:
    assert (os.environ["AIHUBMIX_BASE_URL"], os.environ["AIHUBMIX_API_KEY"]) == aihubmix_endpoint
