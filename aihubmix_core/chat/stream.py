"""Chat streams: SSE events in, ``ChatDelta`` out, ``result`` at the end.

The event handling is one pure function; ``ChatStream`` and ``AsyncChatStream`` only
drive it, so sync and async streams cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from .._http.executor import JSON_BODY_EVENT
from .._http.sse import ServerSentEvent
from ..errors import StreamError, StreamIncompleteError, StreamPayloadError
from ..types import ChatDelta, ChatResult
from .accumulator import StreamAccumulator
from .reply import parse_chat_completion
from .wire import tool_call_to_wire

__all__ = ["AsyncChatStream", "ChatStream", "handle_event"]


def _request_id(response: httpx.Response) -> str | None:
    request_id: str | None = response.headers.get("x-request-id")
    return request_id


def _as_chunk(result: ChatResult) -> dict[str, Any]:
    """A whole reply re-expressed as one stream chunk, for servers that ignore ``stream``."""
    choices = []
    for choice in result.choices:
        message = choice.message
        delta: dict[str, Any] = {"role": "assistant", "content": message.content or ""}
        if message.reasoning_content:
            delta["reasoning_content"] = message.reasoning_content
        if message.reasoning_details:
            delta["reasoning_details"] = message.reasoning_details
        if message.tool_calls:
            delta["tool_calls"] = [
                {"index": i, **tool_call_to_wire(c)} for i, c in enumerate(message.tool_calls)
            ]
        choices.append(
            {"index": choice.index, "delta": delta, "finish_reason": choice.finish_reason}
        )
    chunk: dict[str, Any] = {"id": result.id, "model": result.model, "choices": choices}
    if result.usage is not None:
        chunk["usage"] = result.usage.raw
    return chunk


def handle_event(accumulator: StreamAccumulator, event: ServerSentEvent) -> list[ChatDelta]:
    """Apply one event; returns its deltas. ``[DONE]`` marks the accumulator done."""
    data = event.data
    if data == "[DONE]":
        accumulator.done = True
        return []
    if not data:
        return []
    try:
        chunk = json.loads(data)
    except ValueError:
        raise StreamPayloadError(
            f"AIHubMix sent a stream event that is not JSON: {data[:120]!r}. "
            "The partial reply is on .partial; retry the request."
        ) from None
    if event.event == JSON_BODY_EVENT:
        # parse_chat_completion raises the typed error for an error body.
        deltas = accumulator.add(
            _as_chunk(parse_chat_completion(chunk, request_id=accumulator.request_id))
        )
        accumulator.done = True
        return deltas
    if not isinstance(chunk, dict):
        raise StreamPayloadError(
            f"AIHubMix sent a stream event that is not a JSON object: {data[:120]!r}"
        )
    if event.event == "error" and "error" not in chunk:
        chunk = {"error": chunk}
    return accumulator.add(chunk)


def _attach(error: StreamError, accumulator: StreamAccumulator | None) -> None:
    if error.partial is None and accumulator is not None:
        error.partial = accumulator.snapshot()


def _empty_stream_error() -> StreamIncompleteError:
    return StreamIncompleteError(
        "The AIHubMix stream ended before any event arrived; retry the request."
    )


class ChatStream:
    """Iterate for deltas; after the loop, ``result`` holds the whole reply."""

    def __init__(self, events: Iterator[tuple[ServerSentEvent, httpx.Response]]) -> None:
        self._events = events
        self.result: ChatResult | None = None
        self.accumulator: StreamAccumulator | None = None

    def __iter__(self) -> Iterator[ChatDelta]:
        accumulator = None
        try:
            for event, response in self._events:
                if accumulator is None:
                    accumulator = self.accumulator = StreamAccumulator(_request_id(response))
                # After [DONE], read on to the end so the connection goes back to the pool.
                if not accumulator.done:
                    yield from handle_event(accumulator, event)
            if accumulator is None:
                raise _empty_stream_error()
            self.result = accumulator.result()
        except StreamError as error:
            _attach(error, accumulator)
            raise
        finally:
            close = getattr(self._events, "close", None)
            if close is not None:
                close()


class AsyncChatStream:
    """Async twin of ``ChatStream``."""

    def __init__(self, events: AsyncIterator[tuple[ServerSentEvent, httpx.Response]]) -> None:
        self._events = events
        self.result: ChatResult | None = None
        self.accumulator: StreamAccumulator | None = None

    async def __aiter__(self) -> AsyncIterator[ChatDelta]:
        accumulator = None
        try:
            async for event, response in self._events:
                if accumulator is None:
                    accumulator = self.accumulator = StreamAccumulator(_request_id(response))
                # After [DONE], read on to the end so the connection goes back to the pool.
                if not accumulator.done:
                    for delta in handle_event(accumulator, event):
                        yield delta
            if accumulator is None:
                raise _empty_stream_error()
            self.result = accumulator.result()
        except StreamError as error:
            _attach(error, accumulator)
            raise
        finally:
            # At loop shutdown asyncio closes every open generator at once: the inner one
            # may already be closing itself, and closing it again would raise.
            aclose = getattr(self._events, "aclose", None)
            if aclose is not None and not getattr(self._events, "ag_running", False):
                await aclose()
