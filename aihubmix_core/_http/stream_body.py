"""One streamed reply body, without I/O: bytes in; events, the idle clock and the request id out.

The sync and async executors only move bytes from the socket into ``feed``; everything
they decide (is this a stream at all, did an event arrive, is the answer finished) is
decided here, once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..error_mapping import IdleLimit, idle_timeout_error
from .sse import ServerSentEvent, SSEDecoder

__all__ = ["DONE", "FINAL_EVENTS", "JSONReply", "StreamBody", "StreamInfo"]

DONE = "[DONE]"
"""The data of the event that ends an OpenAI-style stream."""
FINAL_EVENTS = frozenset(
    {"response.completed", "response.incomplete", "response.failed", "message_stop"}
)
"""Event names that end a Responses or Anthropic Messages stream, which send no ``[DONE]``."""


@dataclass(slots=True)
class JSONReply:
    """A whole JSON reply: the answer to a plain request, or to a stream request from a
    server that ignored ``stream`` and answered in one piece."""

    body: Any
    request_id: str | None = None


def _ends(events: list[ServerSentEvent]) -> bool:
    for event in events:  # noqa: SIM110 - a loop, not any(): this runs for every chunk
        if event.data == DONE or event.event in FINAL_EVENTS:
            return True
    return False


class StreamBody:
    """Decodes one response body as it arrives.

    ``kind`` says what the headers announced: ``"sse"``, ``"json"`` (a whole reply to read
    in one piece) or ``"other"`` (a proxy's page or plain text, never a stream). ``started`` turns true
    with the first event, after which a failure may no longer be retried; ``done`` turns
    true with ``[DONE]`` (or a protocol's final event), after which the answer is complete
    whatever the connection does.
    """

    __slots__ = ("_clock", "_decoder", "_last", "done", "kind", "limit", "request_id", "started")

    def __init__(
        self,
        content_type: str,
        *,
        request_id: str | None = None,
        limit: IdleLimit | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if content_type.startswith("text/event-stream") or not content_type:
            self.kind = "sse"
        elif content_type.startswith("application/json"):
            self.kind = "json"
        else:
            self.kind = "other"
        self.request_id = request_id
        self.limit = limit
        self.started = False
        self.done = False
        self._decoder = SSEDecoder()
        self._clock = clock
        self._last = clock()

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """The events this chunk completed. Raises the idle timeout error when only
        keep-alive comments came for longer than the limit."""
        events = self._decoder.feed(chunk)
        if events:
            self.started = True
            if self.limit is not None:
                self._last = self._clock()
            if _ends(events):
                self.done = True
        elif (
            self.limit is not None
            and not self.done
            and self._clock() - self._last > self.limit.seconds
        ):
            raise idle_timeout_error(self.limit)
        return events

    def end(self) -> list[ServerSentEvent]:
        """The body ended: a last event without its blank line still counts."""
        events = self._decoder.flush()
        if events:
            self.started = True
            if _ends(events):
                self.done = True
        return events


class StreamInfo:
    """What a stream's reader may want to know about the response being read."""

    __slots__ = ("body",)

    def __init__(self) -> None:
        self.body: StreamBody | None = None

    @property
    def request_id(self) -> str | None:
        return None if self.body is None else self.body.request_id
