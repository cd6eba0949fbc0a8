"""When to retry and how long to wait. Pure; the executor's sync and async loops share it.

Kept here rather than on tenacity: the decision needs the mapped error (status,
``Retry-After``) and the stream rule "only before the first event", and the whole
policy is a dozen lines.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from time import monotonic, time
from typing import TYPE_CHECKING

from ..errors import AIHubMixError, APIConnectionError, APIStatusError, StreamError

if TYPE_CHECKING:
    import httpx

__all__ = ["Attempts", "RetryPolicy", "parse_retry_after"]

logger = logging.getLogger("aihubmix_core")

RETRYABLE_STATUS = frozenset({408, 409, 429})


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` (or ``retry-after-ms``) value: delta seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time() if now is None else now)
    if seconds != seconds:  # "nan" parses as a float; sleeping NaN seconds raises
        return None
    return seconds


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    jitter: float = 0.25

    @staticmethod
    def is_retryable(error: AIHubMixError) -> bool:
        if isinstance(error, StreamError):
            return False  # the caller already holds part of the reply
        if isinstance(error, APIStatusError):
            return error.status_code in RETRYABLE_STATUS or error.status_code >= 500
        return isinstance(error, APIConnectionError)

    def delay(
        self, attempt: int, error: AIHubMixError, *, retryable: bool | None = None
    ) -> float | None:
        """Seconds to wait before retry number ``attempt + 1``, or ``None`` to give up.

        ``retryable`` overrides the decision by error class (a stream that failed before
        its first event is retried whatever the failure)."""
        if retryable is None:
            retryable = self.is_retryable(error)
        if attempt >= self.max_retries or not retryable:
            return None
        retry_after: float | None = getattr(error, "retry_after", None)
        if retry_after is not None and retry_after > self.max_retry_after:
            return None  # the server asks for longer than we would wait: say so now
        if retry_after is not None and retry_after > 0:
            return retry_after
        backoff = min(self.initial_delay * (2**attempt), self.max_delay)
        return float(backoff * (1 - self.jitter * random.random()))

    def attempts(self, request: httpx.Request, *, budget: float | None = None) -> Attempts:
        """Bookkeeping for one call; ``budget`` bounds the seconds its stream retries may take."""
        return Attempts(self, request, budget)


class Attempts:
    """The attempts of one call: each failure either raises or says how long to wait."""

    __slots__ = ("count", "deadline", "policy", "request")

    def __init__(
        self, policy: RetryPolicy, request: httpx.Request, budget: float | None = None
    ) -> None:
        self.policy = policy
        self.request = request
        self.count = 0
        self.deadline = None if budget is None else monotonic() + budget

    def wait_after(self, error: AIHubMixError, *, retryable: bool | None = None) -> float:
        """Seconds to wait before the next attempt; raises ``error`` when it is not retried."""
        delay = self.policy.delay(self.count, error, retryable=retryable)
        if delay is None:
            asked = getattr(error, "retry_after", None)
            if asked is not None and asked > self.policy.max_retry_after:
                error.message += (
                    f" The gateway asked to wait {asked:g} s before retrying, longer than the "
                    f"{self.policy.max_retry_after:g} s this client waits, so it stopped here."
                )
                error.args = (error.message, *error.args[1:])
            raise error.with_attempts(self.count + 1)
        self.count += 1
        logger.warning(
            "AIHubMix %s %s failed (%s); retry %d of %d in %.2f s",
            self.request.method,
            self.request.url.path,
            getattr(error, "status_code", type(error).__name__),
            self.count,
            self.policy.max_retries,
            delay,
        )
        return delay

    def wait_after_stream(self, error: AIHubMixError, started: bool) -> float:
        """As ``wait_after``, for a stream that failed while being read: once an event
        reached the caller, the failure is final, and retries of a silent stream stop
        where the next one would run past the time the user allowed for the call."""
        out_of_time = self.deadline is not None and monotonic() >= self.deadline
        return self.wait_after(error, retryable=not started and not out_of_time)
