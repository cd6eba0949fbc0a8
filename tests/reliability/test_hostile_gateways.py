"""Gateways that misbehave in ways a client must not follow or wait on, through every chat
call path (core, LangChain, LlamaIndex; sync and async): a redirect, a finished stream whose
connection is then held open, silence after a timeout, and a base URL with credentials."""

from __future__ import annotations

import pytest
from reliability.drivers import CHAT_DRIVERS, EXPECTED_TEXT, STREAM_DRIVERS, Driver, Settings

from aihubmix_core import AIHubMixError, APIStatusError, StreamIdleTimeoutError
from aihubmix_testing import faults
from aihubmix_testing.faults import FaultGateway


@pytest.mark.parametrize("status", [302, 307, 308])
@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=repr)
def test_a_redirect_is_an_error_naming_its_location_and_is_not_followed(
    driver: Driver, status: int, gateway: FaultGateway
) -> None:
    location = f"{gateway.base_url}/elsewhere/chat/completions"
    gateway.script(faults.Redirect(status, location))
    with pytest.raises(AIHubMixError) as caught:
        driver.run(Settings(gateway.base_url, max_retries=2), [])
    assert isinstance(caught.value, APIStatusError)
    assert caught.value.status_code == status
    assert location in str(caught.value)
    assert gateway.count() == 1  # neither followed nor retried


@pytest.mark.parametrize("driver", STREAM_DRIVERS, ids=repr)
def test_a_finished_stream_is_not_failed_by_a_connection_held_open(
    driver: Driver, gateway: FaultGateway
) -> None:
    """After [DONE] the answer is complete: the client reads the tail only briefly (a
    second per read), then leaves, instead of waiting for the idle timeout and raising."""
    gateway.script(faults.DoneThenHold(hold=30))
    received: list[str] = []
    assert driver.run(Settings(gateway.base_url, stream_idle_timeout=60), received) == EXPECTED_TEXT
    assert "".join(received) == EXPECTED_TEXT


@pytest.mark.parametrize("driver", STREAM_DRIVERS, ids=repr)
def test_a_silent_stream_is_not_retried_past_the_time_the_user_set(
    driver: Driver, gateway: FaultGateway
) -> None:
    gateway.script(faults.KeepAliveOnly(after=0, interval=0.05, limit=5), faults.Normal())
    with pytest.raises(StreamIdleTimeoutError):
        driver.run(Settings(gateway.base_url, max_retries=2, timeout=0.3), [])
    assert gateway.count() == 1


@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=repr)
def test_a_base_url_with_credentials_is_refused_without_printing_them(
    driver: Driver, gateway: FaultGateway
) -> None:
    base = gateway.base_url.replace("http://", "http://alice:s3cret-pass@")
    with pytest.raises(ValueError) as caught:
        driver.run(Settings(base), [])
    assert "user:password@" in str(caught.value)
    assert "s3cret-pass" not in str(caught.value)
    assert gateway.count() == 0
