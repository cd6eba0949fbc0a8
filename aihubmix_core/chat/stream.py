"""Chat streams: SSE events in, ``ChatDelta`` out, ``result`` at the end.

The event handling is pure (``handle_event``, ``deltas_from_result``); ``ChatStream`` and
``AsyncChatStream`` only drive it over what the executor yields, so sync and async
streams cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from .._http.sse import ServerSentEvent
from .._http.stream_body import JSONReply, StreamInfo
from ..errors import StreamError, StreamIncompleteError, StreamPayloadError
from ..types import ChatDelta, ChatResult, ToolCallDelta
from .accumulator import StreamAccumulator
from .reply import parse_chat_completion

__all__ = ["AsyncChatStream", "ChatStream", "deltas_from_result", "handle_event"]


def deltas_from_result(result: ChatResult) -> list[ChatDelta]:
    """A whole reply as the deltas a stream of it would have given, for servers that
    answer a stream request in one piece."""
    deltas = [
        ChatDelta(
            content=choice.message.text,
            reasoning=choice.message.reasoning_content or "",
            tool_calls=[
                ToolCallDelta(index=i, id=call.id, name=call.name, arguments=call.arguments)
                for i, call in enumerate(choice.message.tool_calls)
            ],
            reasoning_details=choice.message.reasoning_details,
            finish_reason=choice.finish_reason,
            logprobs=choice.logprobs,
            index=choice.index,
            id=result.id,
            model=result.model,
            system_fingerprint=result.system_fingerprint,
        )
        for choice in result.choices
    ]
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


class _Reader:
    """The state both stream twins share: the accumulator, or a whole reply."""

    def __init__(self) -> None:
        self.info = StreamInfo()
        self.result: ChatResult | None = None
        self.accumulator: StreamAccumulator | None = None

    def take(self, item: ServerSentEvent | JSONReply) -> list[ChatDelta]:
        if isinstance(item, JSONReply):
            # parse_chat_completion raises the typed error for an error body.
            self.result = parse_chat_completion(item.body, request_id=item.request_id)
            return deltas_from_result(self.result)
        accumulator = self.accumulator
        if accumulator is None:
            accumulator = self.accumulator = StreamAccumulator(self.info.request_id)
        elif accumulator.done:
            return []  # anything after [DONE] is not part of the answer
        return handle_event(accumulator, item)

    def finish(self) -> None:
        if self.result is not None:
            return
        if self.accumulator is None:
            raise StreamIncompleteError(
                "The AIHubMix stream ended before any event arrived; retry the request."
            )
        self.result = self.accumulator.result()

    def attach(self, error: StreamError) -> None:
        if error.partial is None and self.accumulator is not None:
            error.partial = self.accumulator.snapshot()


class ChatStream(_Reader):
    """Iterate for deltas; after the loop, ``result`` holds the whole reply."""

    def __init__(
        self, open_events: Callable[[StreamInfo], Iterator[ServerSentEvent | JSONReply]]
    ) -> None:
        super().__init__()
        self._events = open_events(self.info)

    def __iter__(self) -> Iterator[ChatDelta]:
        try:
            for item in self._events:
                yield from self.take(item)
            self.finish()
        except StreamError as error:
            self.attach(error)
            raise
        finally:
            close = getattr(self._events, "close", None)
            if close is not None:
                close()


class AsyncChatStream(_Reader):
    """Async twin of ``ChatStream``."""

    def __init__(
        self, open_events: Callable[[StreamInfo], AsyncIterator[ServerSentEvent | JSONReply]]
    ) -> None:
        super().__init__()
        self._events = open_events(self.info)

    async def __aiter__(self) -> AsyncIterator[ChatDelta]:
        try:
            async for item in self._events:
                for delta in self.take(item):
                    yield delta
            self.finish()
        except StreamError as error:
            self.attach(error)
            raise
        finally:
            # At loop shutdown asyncio closes every open generator at once: the inner one
            # may already be closing itself, and closing it again would raise.
            aclose = getattr(self._events, "aclose", None)
            if aclose is not None and not getattr(self._events, "ag_running", False):
                await aclose()
