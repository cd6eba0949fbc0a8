"""Shared fixtures: the cassette set-up (see aihubmix_testing.cassettes), the AIHubMix
endpoint, and which AIHUBMIX_* settings a test sees.

Markers, not file names, decide the environment: a test marked ``vcr`` (it replays or
records cassettes) or ``aihubmix_env``, or one that asks for the ``aihubmix_env``
fixture, sees AIHUBMIX_BASE_URL and AIHUBMIX_API_KEY pointing at the current cassette
source; every other test sees none of the machine's AIHUBMIX_* settings. In replay the
network stays blocked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import testkit
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from aihubmix_core.catalog import use_catalog
from aihubmix_testing import cassettes

# Property tests draw the same examples on every run and put no clock on them, so whether
# they pass depends on the code alone, not on the draw nor on how busy the machine is (a
# random draw finds a latent bug in one run and not the next; a slow example trips a
# deadline or the too_slow health check). AIHUBMIX_HYPOTHESIS_PROFILE=explore draws new
# examples every run and replays past failures from .hypothesis/: for hunting bugs, with
# AIHUBMIX_FUZZ_EXAMPLES for more examples per property.
_NO_CLOCK: dict[str, Any] = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None, **_NO_CLOCK)
hypothesis_settings.register_profile("explore", **_NO_CLOCK)
hypothesis_settings.load_profile(os.environ.get("AIHUBMIX_HYPOTHESIS_PROFILE", "repeatable"))


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
    testkit.clean_env(monkeypatch)
    monkeypatch.setenv("AIHUBMIX_BASE_URL", base_url)
    monkeypatch.setenv("AIHUBMIX_API_KEY", key)
    return base_url, key


def _wants_the_endpoint(request: pytest.FixtureRequest) -> bool:
    node = request.node
    return (
        node.get_closest_marker("vcr") is not None
        or node.get_closest_marker("aihubmix_env") is not None
        or "aihubmix_env" in request.fixturenames
    )


@pytest.fixture(autouse=True)
def _aihubmix_settings(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The endpoint for tests marked ``vcr`` or ``aihubmix_env``; no AIHUBMIX_* for the rest,
    so they behave the same whatever the machine or the record mode."""
    if _wants_the_endpoint(request):
        request.getfixturevalue("aihubmix_env")
    else:
        testkit.clean_env(monkeypatch)


@pytest.fixture
def mock_http() -> Iterator[testkit.MockHTTP]:
    """httpx clients answering through ``httpx.MockTransport(handler)``, closed after the test."""
    made = testkit.MockHTTP()
    yield made
    made.close()


@pytest.fixture(autouse=True)
def _shipped_catalog_only() -> Iterator[None]:
    """A catalog a test fetches is installed process-wide; the next test starts without it."""
    yield
    use_catalog(None)
