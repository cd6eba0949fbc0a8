"""Chat streams: SSE events in, ``ChatDelta`` out, ``result`` at the end.

The event handling is pure (``handle_event``, ``deltas_from_result``); ``ChatStream`` and
``AsyncChatStream`` only drive it over what the executor yields, so sync and async
streams cannot drift apart. Every route streams through them: a ``StreamProtocol`` names
the route's accumulator and its parser of a reply that came whole (``CHAT`` by default).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, NamedTuple, TypeVar

from .._http.sse import ServerSentEvent
from .._http.stream_body import JSONReply, StreamInfo
from ..error_mapping import scrub
from ..errors import (
    AIHubMixError,
    APIStatusError,
    StreamError,
    StreamIncompleteError,
    StreamPayloadError,
)
from ..types import ChatDelta, ChatResult, ToolCallDelta
from .accumulator import StreamAccumulator
from .reply import parse_chat_completion

StreamItem = ServerSentEvent | JSONReply

__all__ = [
    "CHAT",
    "AsyncChatStream",
    "ChatStream",
    "StreamProtocol",
    "deltas_from_result",
    "handle_event",
]


class StreamProtocol(NamedTuple):
    """What differs between the routes' streams."""

    accumulator: Callable[[str | None], StreamAccumulator]
    """A fresh accumulator, given the request id."""
    parse: Callable[..., ChatResult]
    """A whole reply (``body, request_id=...``) as a result: for servers that did not stream."""


CHAT = StreamProtocol(StreamAccumulator, parse_chat_completion)


def deltas_from_result(result: ChatResult) -> list[ChatDelta]:
    """A whole reply as the deltas a stream of it would have given, for servers that
    answer a stream request in one piece."""
    deltas = []
    for choice in result.choices:
        message = choice.message
        calls = [
            ToolCallDelta(i, call.id, call.name, call.arguments, call.extra or None)
            for i, call in enumerate(message.tool_calls)
        ]
        delta = ChatDelta(message.text, message.reasoning_content or "", calls)
        delta.reasoning_details, delta.finish_reason = (
            message.reasoning_details,
            choice.finish_reason,
        )
        delta.logprobs, delta.index = choice.logprobs, choice.index
        delta.id, delta.model, delta.system_fingerprint = (
            result.id,
            result.model,
            result.system_fingerprint,
        )
        deltas.append(delta)
    if deltas and result.usage is not None:
        deltas[-1].usage = result.usage
    return deltas


def handle_event(accumulator: StreamAccumulator, event: ServerSentEvent) -> list[ChatDelta]:
    """Apply one event; returns its deltas. ``[DONE]`` marks the accumulator done."""
    data = event.data
    if data == "[DONE]":
        accumulator.done = True
        return []
    if not data:
        return []
    try:
        chunk: Any = json.loads(data)
    except ValueError:
        raise StreamPayloadError(
            f"AIHubMix sent a stream event that is not JSON: {data[:120]!r}. "
            "The partial reply is on .partial; retry the request."
        ) from None
    if not isinstance(chunk, dict):
        raise StreamPayloadError(
            f"AIHubMix sent a stream event that is not a JSON object: {data[:120]!r}"
        )
    if event.event == "error" and "error" not in chunk:
        chunk = {"error": chunk}
    return accumulator.add(chunk)


_Events = TypeVar("_Events")


class _Reader(Generic[_Events]):
    """The state both stream twins share: the accumulator, or a whole reply."""

    def __init__(
        self,
        open_events: Callable[[StreamInfo], _Events],
        *,
        secret: str | None = None,
        protocol: StreamProtocol = CHAT,
    ) -> None:
        self._secret = secret
        self._protocol = protocol
        self.info = StreamInfo()
        self.result: ChatResult | None = None
        self.accumulator: StreamAccumulator | None = None
        self._events = open_events(self.info)

    def take(self, item: ServerSentEvent | JSONReply) -> list[ChatDelta]:
        if isinstance(item, JSONReply):
            # The parsers raise the typed error for an error body.
            self.result = self._protocol.parse(item.body, request_id=item.request_id)
            return deltas_from_result(self.result)
        accumulator = self.accumulator
        if accumulator is None:
            accumulator = self.accumulator = self._protocol.accumulator(self.info.request_id)
        elif accumulator.done:
            return []  # anything after [DONE] is not part of the answer
        return handle_event(accumulator, item)

    def priced(self, result: ChatResult) -> ChatResult:
        """``result`` (a snapshot of this stream) with its ``cost`` set where the stream
        knows the prices; a plain stream does not, the client's metered ones do."""
        return result

    def finish(self) -> None:
        if self.result is not None:
            return
        if self.accumulator is None:
            raise StreamIncompleteError(
                "The AIHubMix stream ended before any event arrived; retry the request."
            )
        self.result = self.accumulator.result()

    @contextmanager
    def finished_errors(self) -> Iterator[None]:
        """Errors leave without the key, and a stream error with what arrived before it."""
        try:
            yield
        except AIHubMixError as error:
            scrub(error, self._secret)
            if (
                isinstance(error, StreamError | APIStatusError)
                and error.partial is None
                and self.accumulator
            ):
                error.partial = self.accumulator.snapshot()
            raise


class ChatStream(_Reader[Iterator[StreamItem]]):
    """Iterate for deltas; after the loop, ``result`` holds the whole reply."""

    def __iter__(self) -> Iterator[ChatDelta]:
        try:
            with self.finished_errors():
                for item in self._events:
                    acc = self.accumulator
                    if type(item) is ServerSentEvent and acc is not None and not acc.done:
                        yield from handle_event(acc, item)  # the usual event, directly
                    else:
                        yield from self.take(item)
                self.finish()
        finally:
            close = getattr(self._events, "close", None)
            if close is not None:
                close()


class AsyncChatStream(_Reader[AsyncIterator[StreamItem]]):
    """Async twin of ``ChatStream``."""

    async def __aiter__(self) -> AsyncIterator[ChatDelta]:
        try:
            with self.finished_errors():
                async for item in self._events:
                    acc = self.accumulator
                    if type(item) is ServerSentEvent and acc is not None and not acc.done:
                        deltas = handle_event(acc, item)  # the usual event, directly
                    else:
                        deltas = self.take(item)
                    for delta in deltas:
                        yield delta
                self.finish()
        finally:
            # At loop shutdown asyncio closes every open generator at once: the inner one
            # may already be closing itself, and closing it again would raise.
            aclose = getattr(self._events, "aclose", None)
            if aclose is not None and not getattr(self._events, "ag_running", False):
                await aclose()
