"""Shared fixtures: the cassette set-up (see aihubmix_testing.cassettes) and the AIHubMix endpoint.

Tests that talk to the API use ``@pytest.mark.vcr`` and the ``aihubmix_env`` fixture (the
adapter suites turn it on for every test); in replay the network stays blocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import testkit

from aihubmix_testing import cassettes


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    cassettes.register(vcr)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    # From the environment, not the command line: pytest-recording lets this fixture win.
    return cassettes.vcr_config()


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return testkit.cassette_dir(Path(str(request.path)))


@pytest.fixture(scope="session")
def aihubmix_endpoint() -> Iterator[tuple[str, str]]:
    """(base_url, api_key) for the current cassette source; starts the emulator when recording from it."""
    with ExitStack() as stack:
        try:
            endpoint = stack.enter_context(cassettes.endpoint())
        except LookupError as error:  # live without a key
            pytest.exit(str(error), returncode=2)
        yield endpoint


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


@pytest.fixture
def mock_http() -> Iterator[testkit.MockHTTP]:
    """httpx clients answering through ``httpx.MockTransport(handler)``, closed after the test."""
    made = testkit.MockHTTP()
    yield made
    made.close()
