"""What users get when the gateway or the network misbehaves, through every client.

Each fault is played by the loopback fault gateway; each test runs through the core
client and both adapters, sync and async, streaming and not. The gateway counts the
attempts, so "retried exactly ``max_retries`` times" is measured on the wire.
"""

from __future__ import annotations

import time

import pytest
from reliability.drivers import (
    CHAT_DRIVERS,
    EMBED_DRIVERS,
    EXPECTED_TEXT,
    STREAM_DRIVERS,
    TEXTS,
    Driver,
    Settings,
)

from aihubmix_core import (
    AIHubMixError,
    APIConnectionError,
    APIResponseError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    InsufficientQuotaError,
    ModelNotAvailableError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    StreamError,
    StreamIdleTimeoutError,
    StreamIncompleteError,
    StreamInterruptedError,
    StreamPayloadError,
    UpstreamStreamError,
)
from aihubmix_testing import faults
from aihubmix_testing.faults import TRACE_ID, FaultGateway

NON_NUMBERED = [d for d in CHAT_DRIVERS if not d.stream]


def run_failing(driver: Driver, settings: Settings) -> tuple[AIHubMixError, list[str]]:
    """Run the driver, expecting one of our errors; returns it with what the user saw."""
    received: list[str] = []
    with pytest.raises(AIHubMixError) as caught:
        driver.run(settings, received)
    error = caught.value
    if driver.family == "langchain":
        from langchain_core.exceptions import ModelError

        # LangChain users catch langchain_core's classes; ours must be both.
        assert isinstance(error, ModelError), type(error).__mro__
    return error, received


@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=repr)
def test_a_healthy_gateway_answers_in_one_attempt(driver: Driver, gateway: FaultGateway) -> None:
    received: list[str] = []
    assert driver.run(Settings(gateway.base_url), received) == EXPECTED_TEXT
    assert "".join(received) == EXPECTED_TEXT
    assert gateway.count() == 1


# ---------------------------------------------------------------- transient statuses

TRANSIENT = [
    pytest.param(faults.rate_limited(), RateLimitError, 429, "rate_limit", id="429"),
    pytest.param(faults.rate_limited("3"), RateLimitError, 429, "rate_limit", id="429-retry-after"),
    pytest.param(
        faults.no_channel(), ModelNotAvailableError, 503, "model_not_found", id="503-no-channel"
    ),
    pytest.param(faults.server_error(), ServerError, 500, "do_request_failed", id="500"),
    pytest.param(faults.html_bad_gateway(), ServerError, 502, None, id="502-html"),
]


@pytest.mark.parametrize(("fault", "cls", "status", "code"), TRANSIENT)
@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=repr)
def test_transient_status_is_retried_max_retries_times_then_raised(
    driver: Driver,
    fault: faults.Status,
    cls: type[APIStatusError],
    status: int,
    code: str | None,
    gateway: FaultGateway,
    retry_sleeps: list[float],
) -> None:
    # Three failures queued, then a healthy reply: a fourth attempt would succeed.
    gateway.script(fault, fault, fault)
    error, received = run_failing(driver, Settings(gateway.base_url, max_retries=2))

    assert isinstance(error, cls)
    assert isinstance(error, APIStatusError)
    assert error.status_code == status
    assert error.code == code
    assert gateway.count() == 3
    assert len(retry_sleeps) == 2
    text = str(error)
    assert f"status {status}" in text
    if code:
        assert f"code {code}" in text
    assert TRACE_ID in text  # in the message (tid) or as the proxy's request id
    assert error.request_id and error.request_id in text
    assert "".join(received) == ""
    if dict(fault.headers).get("Retry-After"):
        assert retry_sleeps == [3.0, 3.0]  # Retry-After wins over backoff
    else:
        policy = RetryPolicy()
        for attempt, delay in enumerate(retry_sleeps):
            ceiling = policy.initial_delay * 2**attempt
            assert ceiling * (1 - policy.jitter) <= delay <= ceiling


@pytest.mark.parametrize("max_retries", [0, 1, 4])
@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=repr)
def test_attempts_are_exactly_one_plus_max_retries(
    driver: Driver, max_retries: int, gateway: FaultGateway
) -> None:
    gateway.script(*[faults.server_error()] * (max_retries + 1))
    error, _ = run_failing(driver, Settings(gateway.base_url, max_retries=max_retries))
    assert isinstance(error, ServerError)
    assert gateway.count() == 1 + max_retries


@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=repr)
def test_a_transient_failure_then_success_returns_the_whole_answer(
    driver: Driver, gateway: FaultGateway
) -> None:
    gateway.script(faults.rate_limited(), faults.html_bad_gateway())
    received: list[str] = []
    assert driver.run(Settings(gateway.base_url, max_retries=2), received) == EXPECTED_TEXT
    assert "".join(received) == EXPECTED_TEXT  # nothing from the failed attempts leaks in
    assert gateway.count() == 3


# ---------------------------------------------------------------- permanent statuses

PERMANENT = [
    pytest.param(faults.bad_request(), BadRequestError, 400, "fix the parameters", id="400"),
    pytest.param(faults.unauthorized(), AuthenticationError, 401, "AIHUBMIX_API_KEY", id="401"),
    pytest.param(faults.payment_required(), InsufficientQuotaError, 402, "top up", id="402"),
    pytest.param(faults.quota_exhausted(), InsufficientQuotaError, 403, "top up", id="403-quota"),
    pytest.param(
        faults.permission_denied(), PermissionDeniedError, 403, "not enabled for the key", id="403"
    ),
    pytest.param(faults.not_found(), NotFoundError, 404, "AIHUBMIX_BASE_URL", id="404"),
    pytest.param(
        faults.incorrect_model(),
        ModelNotAvailableError,
        400,
        "https://aihubmix.com/models",
        id="incorrect-model-id",
    ),
]


@pytest.mark.parametrize(("fault", "cls", "status", "advice"), PERMANENT)
@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=repr)
def test_permanent_status_is_raised_at_once_with_advice(
    driver: Driver,
    fault: faults.Status,
    cls: type[APIStatusError],
    status: int,
    advice: str,
    gateway: FaultGateway,
    retry_sleeps: list[float],
) -> None:
    gateway.script(fault)
    error, _ = run_failing(driver, Settings(gateway.base_url, max_retries=2))
    assert isinstance(error, cls)
    assert error.status_code == status
    assert gateway.count() == 1
    assert retry_sleeps == []
    assert advice in str(error)
    assert TRACE_ID in str(error)


@pytest.mark.parametrize(
    ("fault", "cls", "attempts"),
    [
        pytest.param(faults.rate_limited(), RateLimitError, 3, id="429"),
        pytest.param(faults.html_bad_gateway(), ServerError, 3, id="502-html"),
        pytest.param(faults.unauthorized(), AuthenticationError, 1, id="401"),
        pytest.param(faults.quota_exhausted(), InsufficientQuotaError, 1, id="403-quota"),
        pytest.param(faults.NonJsonBody(), APIResponseError, 1, id="200-not-json"),
        pytest.param(faults.ResetBeforeResponse(), APIConnectionError, 3, id="reset"),
    ],
)
@pytest.mark.parametrize("driver", EMBED_DRIVERS, ids=repr)
def test_embedding_faults(
    driver: Driver,
    fault: faults.Fault,
    cls: type[AIHubMixError],
    attempts: int,
    gateway: FaultGateway,
) -> None:
    gateway.script(*[fault] * attempts)
    error, _ = run_failing(driver, Settings(gateway.base_url, max_retries=2))
    assert isinstance(error, cls)
    assert gateway.count("/embeddings") == attempts


@pytest.mark.parametrize("driver", EMBED_DRIVERS, ids=repr)
def test_embeddings_survive_a_transient_failure(driver: Driver, gateway: FaultGateway) -> None:
    gateway.script(faults.server_error())
    vectors = driver.run(Settings(gateway.base_url, max_retries=1), [])
    assert len(vectors) == len(TEXTS)
    assert all(len(vector) == 1536 for vector in vectors)
    assert gateway.count("/embeddings") == 2


# ---------------------------------------------------------------- the network


@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=repr)
def test_connection_refused_is_retried_then_a_connection_error(
    driver: Driver, retry_sleeps: list[float]
) -> None:
    error, _ = run_failing(driver, Settings(faults.refused_url(), max_retries=2))
    assert isinstance(error, APIConnectionError)
    assert not isinstance(error, StreamError)
    assert len(retry_sleeps) == 2  # three attempts
    assert "Could not reach AIHubMix" in str(error)
    assert "AIHUBMIX_BASE_URL" in str(error)


@pytest.mark.parametrize(
    "fault", [faults.ResetBeforeResponse(), faults.CloseBeforeResponse()], ids=lambda f: f.name
)
@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=repr)
def test_a_connection_dropped_before_the_response_is_retried(
    driver: Driver, fault: faults.Fault, gateway: FaultGateway
) -> None:
    gateway.script(fault, fault, fault)
    error, _ = run_failing(driver, Settings(gateway.base_url, max_retries=2))
    assert isinstance(error, APIConnectionError)
    assert not isinstance(error, StreamError)
    assert gateway.count() == 3

    gateway.reset()
    gateway.script(fault)
    assert driver.run(Settings(gateway.base_url, max_retries=2), []) == EXPECTED_TEXT
    assert gateway.count() == 2


# ---------------------------------------------------------------- broken streams

MID_STREAM = [
    pytest.param(faults.ResetMidStream(), StreamInterruptedError, id="reset-mid-stream"),
    pytest.param(faults.TruncatedStream(), StreamIncompleteError, id="no-finish-no-done"),
    pytest.param(faults.ErrorInStream(), UpstreamStreamError, id="error-in-200-stream"),
    pytest.param(faults.MalformedEvent(), StreamPayloadError, id="malformed-event"),
]


@pytest.mark.parametrize(("fault", "cls"), MID_STREAM)
@pytest.mark.parametrize("driver", STREAM_DRIVERS, ids=repr)
def test_a_stream_broken_midway_raises_with_the_partial_text(
    driver: Driver,
    fault: faults.Fault,
    cls: type[StreamError],
    gateway: FaultGateway,
    retry_sleeps: list[float],
) -> None:
    gateway.script(fault)
    error, received = run_failing(driver, Settings(gateway.base_url, max_retries=2))
    assert isinstance(error, cls)
    sent = gateway.attempts[0].text
    assert sent and EXPECTED_TEXT.startswith(sent) and sent != EXPECTED_TEXT
    assert error.partial_text == sent  # what arrived is on the error...
    assert "".join(received) == sent  # ...and is exactly what the user was shown
    assert gateway.count() == 1  # never retried once the user has text
    assert retry_sleeps == []
    assert "partial reply is on .partial" in str(error)
    if isinstance(error, UpstreamStreamError):
        assert error.code == "overloaded"
        assert TRACE_ID in str(error)


@pytest.mark.parametrize(
    ("fault", "cls", "attempts"),
    [
        pytest.param(faults.ResetMidStream(), APIConnectionError, 3, id="reset-mid-body"),
        pytest.param(faults.TruncatedStream(), APIResponseError, 1, id="truncated-body"),
        pytest.param(faults.ErrorInStream(), APIStatusError, 1, id="error-object-in-200"),
        pytest.param(faults.MalformedEvent(), APIResponseError, 1, id="malformed-json"),
        pytest.param(faults.NonJsonBody(), APIResponseError, 1, id="html-200"),
    ],
)
@pytest.mark.parametrize("driver", NON_NUMBERED, ids=repr)
def test_a_broken_body_is_a_typed_error_not_a_short_answer(
    driver: Driver,
    fault: faults.Fault,
    cls: type[AIHubMixError],
    attempts: int,
    gateway: FaultGateway,
) -> None:
    gateway.script(*[fault] * attempts)
    error, received = run_failing(driver, Settings(gateway.base_url, max_retries=2))
    assert isinstance(error, cls)
    assert received == []
    assert gateway.count() == attempts


@pytest.mark.parametrize("driver", STREAM_DRIVERS, ids=repr)
def test_a_non_sse_200_to_a_stream_request_is_an_error(
    driver: Driver, gateway: FaultGateway
) -> None:
    gateway.script(faults.NonJsonBody())
    error, received = run_failing(driver, Settings(gateway.base_url, max_retries=2))
    assert isinstance(error, APIResponseError)
    assert "text/html" in str(error) and "Welcome to the proxy" in str(error)
    assert "".join(received) == ""
    assert gateway.count() == 1


IDLE = 1.0
"""The idle limit under test. It also bounds the wait for the response headers (a read
timeout), so it leaves a loaded machine ample time to answer: the gateway does at once."""
KEEP_ALIVES_FOR = 30.0
"""How long the gateway sends keep-alives before it ends the stream without [DONE]."""


@pytest.mark.parametrize("driver", STREAM_DRIVERS, ids=repr)
def test_a_stream_of_keep_alives_times_out_within_the_idle_timeout(
    driver: Driver, gateway: FaultGateway
) -> None:
    """Keep-alives do not count as activity: the idle timeout fires while they still come.

    Had they reset the idle clock, the stream would have run until the gateway gave up
    after ``KEEP_ALIVES_FOR`` and ended it unfinished, an incomplete-stream error instead.
    """
    gateway.script(faults.KeepAliveOnly(interval=0.05, limit=KEEP_ALIVES_FOR))
    started = time.monotonic()
    error, received = run_failing(
        driver, Settings(gateway.base_url, max_retries=2, stream_idle_timeout=IDLE)
    )
    assert isinstance(error, StreamIdleTimeoutError)
    assert time.monotonic() - started >= IDLE  # never sooner than the limit
    sent = gateway.attempts[0].text
    assert sent and error.partial_text == sent == "".join(received)
    assert gateway.count() == 1
    assert "stream_idle_timeout" in str(error)


@pytest.mark.parametrize("driver", STREAM_DRIVERS, ids=repr)
def test_timeout_alone_bounds_a_stream_of_keep_alives(
    driver: Driver, gateway: FaultGateway
) -> None:
    """A user who set only ``timeout`` is obeyed: the idle limit is the smaller of the two,
    and the error names the setting that fired."""
    gateway.script(faults.KeepAliveOnly(interval=0.05, limit=KEEP_ALIVES_FOR))
    error, received = run_failing(driver, Settings(gateway.base_url, max_retries=0, timeout=IDLE))
    assert isinstance(error, StreamIdleTimeoutError)
    assert f"for {IDLE:g} s (timeout)" in str(error)
    assert "stream_idle_timeout" not in str(error)
    assert error.partial_text == gateway.attempts[0].text == "".join(received)
