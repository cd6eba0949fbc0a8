"""Shared fixtures: the cassette set-up (see cassette_support) and the AIHubMix endpoint.

Tests that talk to the API use ``@pytest.mark.vcr`` and the ``aihubmix_env`` fixture (the
adapter suites turn it on for every test); in replay the network stays blocked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cassette_support
import pytest


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    vcr.register_matcher("json_body", cassette_support.json_body_matcher)
    vcr.register_persister(cassette_support.TaggedPersister)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    # From the environment, not the command line: pytest-recording lets this fixture win.
    return cassette_support.vcr_config()


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return cassette_support.cassette_dir(Path(str(request.path)))


@pytest.fixture(scope="session")
def aihubmix_endpoint() -> Iterator[tuple[str, str]]:
    """(base_url, api_key) for the current cassette source; starts the emulator when recording from it."""
    source = cassette_support.source()
    if source == "replay":
        yield cassette_support.REPLAY_BASE_URL, cassette_support.REPLAY_API_KEY
    elif source == "live":
        key = os.environ.get("AIHUBMIX_API_KEY")
        if not key:
            pytest.exit("recording from the live service needs AIHUBMIX_API_KEY", returncode=2)
        yield os.environ.get("AIHUBMIX_BASE_URL", cassette_support.REPLAY_BASE_URL), key
    else:
        from aihubmix_testing.emulator import serve_in_thread

        with serve_in_thread() as base_url:
            yield base_url, cassette_support.REPLAY_API_KEY


@pytest.fixture
def aihubmix_env(
    aihubmix_endpoint: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str]:
    """Point AIHUBMIX_BASE_URL / AIHUBMIX_API_KEY at the current source for one test."""
    base_url, key = aihubmix_endpoint
    monkeypatch.setenv("AIHUBMIX_BASE_URL", base_url)
    monkeypatch.setenv("AIHUBMIX_API_KEY", key)
    monkeypatch.delenv("AIHUBMIX_APP_CODE", raising=False)
    return base_url, key
