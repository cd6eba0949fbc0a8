"""Waiting for asynchronous jobs (videos, polled image predictions). Pure but for the clock.

The job's status words differ by upstream; ``job_state`` folds them into running,
succeeded or failed. ``PollSchedule`` decides how long to wait before the next poll and
when to give up; time counts as the larger of the clock and the waits asked for, so a
test that replaces the executor's ``sleep`` still reaches the timeout, without waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic
from typing import Generic, TypeVar

from ..errors import ConfigurationError, JobFailedError, JobTimeoutError
from .flow import Fetch, Flow, Wait
from .types import JobState

__all__ = ["PollSchedule", "Polled", "job_state", "poll_until_done"]

_SUCCEEDED = frozenset({"completed", "succeeded", "success", "done", "ready", "finished"})
_FAILED = frozenset(
    {
        "failed",
        "failure",
        "error",
        "cancelled",
        "canceled",
        "rejected",
        "expired",
        "content moderated",
        "request moderated",
    }
)

J = TypeVar("J")
_LAST_WAIT = 1.0
"""Less time than this left before the timeout is not worth another poll: it also keeps the
number of polls from hanging on how long the requests took."""


def job_state(status: object) -> JobState:
    """running, succeeded or failed, from any of the status words upstreams use."""
    word = str(status or "").strip().lower().replace("_", " ")
    if word in _SUCCEEDED:
        return "succeeded"
    if word in _FAILED:
        return "failed"
    return "running"


@dataclass(slots=True)
class PollSchedule:
    """Polls every ``interval`` seconds until ``timeout`` seconds have passed (``None``: no limit)."""

    interval: float = 15.0
    timeout: float | None = 600.0
    started: float = field(default_factory=monotonic)
    waited: float = 0.0

    def __post_init__(self) -> None:
        if not self.interval > 0:
            raise ConfigurationError(
                f"poll_interval must be a positive number of seconds, got {self.interval!r}"
            )
        if self.timeout is not None and not self.timeout > 0:
            raise ConfigurationError(
                f"timeout must be a positive number of seconds or None, got {self.timeout!r}"
            )

    def elapsed(self) -> float:
        return max(self.waited, monotonic() - self.started)

    def next_wait(self) -> float | None:
        """Seconds to wait before the next poll, or ``None`` when the time is up."""
        left = None if self.timeout is None else self.timeout - self.elapsed()
        if left is not None and left < _LAST_WAIT:
            return None
        wait = self.interval if left is None else min(self.interval, left)
        self.waited += wait
        return wait


@dataclass(frozen=True, slots=True)
class Polled(Generic[J]):
    """One poll's answer: the job as the caller sees it, and what the poll needs to decide."""

    job: J
    job_id: str
    status: str
    state: JobState
    progress: float | None = None
    reason: str | None = None


def poll_until_done(
    fetch: Fetch,
    parse: Callable[[object], Polled[J]],
    schedule: PollSchedule,
    *,
    what: str,
    resume: str,
    progress: Callable[[J], object] | None = None,
) -> Flow[J]:
    """Poll with ``fetch`` until the job succeeds (its job returned), fails (``JobFailedError``)
    or the schedule runs out (``JobTimeoutError``, whose message says how to ``resume``)."""
    while True:
        polled = parse((yield fetch))
        if progress is not None:
            progress(polled.job)
        if polled.state == "succeeded":
            return polled.job
        if polled.state == "failed":
            raise JobFailedError(
                f"The {what} {polled.job_id} ended {polled.status}: "
                f"{polled.reason or 'AIHubMix gave no reason'}. Change the prompt or settings "
                "and submit it again.",
                job_id=polled.job_id,
                status=polled.status,
                reason=polled.reason,
            )
        wait = schedule.next_wait()
        if wait is None:
            done = "" if polled.progress is None else f", {polled.progress:g}% done"
            raise JobTimeoutError(
                f"The {what} {polled.job_id} was still {polled.status}{done} after "
                f"{schedule.elapsed():.0f} s. It goes on at AIHubMix: {resume}, or raise timeout=.",
                job_id=polled.job_id,
                status=polled.status,
                progress=polled.progress,
            )
        yield Wait(wait)
