"""Stream deltas to LlamaIndex's cumulative ``ChatResponse``s. Pure; sync and async share it.

LlamaIndex wants every streamed response to carry the whole message so far. Text and
reasoning are kept as running strings; tool calls come from the core's accumulator
only on chunks that touch them; the chunk that finishes the reply (finish reason or
usage) carries the core's final message, so the last response is complete.
Ordinary chunks skip pydantic validation (see ``_unvalidated``): the values are built here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)

from aihubmix_core import (
    AIHubMixError,
    AsyncChatStream,
    ChatDelta,
    ChatStream,
    tool_calls_field,
)

from ._messages import chat_response
from ._unvalidated import build

__all__ = ["StreamTranslator", "astream_responses", "stream_responses"]

_Stream = ChatStream | AsyncChatStream


class StreamTranslator:
    """One per stream: ``response(delta, stream)`` gives the response to yield, if any."""

    __slots__ = ("_calls", "_kwargs", "_text", "_thinking")

    def __init__(self) -> None:
        self._text = ""
        self._thinking = ""
        self._calls: list[ToolCallBlock] = []
        self._kwargs: dict[str, Any] = {}

    def response(self, delta: ChatDelta, stream: _Stream) -> ChatResponse | None:
        if delta.index != 0 and delta.usage is None:
            return None  # LlamaIndex has one choice; others stay on the core result
        if delta.finish_reason is not None or delta.usage is not None:
            return self._final(delta, stream)
        accumulator = stream.accumulator
        self._text += delta.content
        extra: dict[str, Any] = {}
        if delta.reasoning:
            self._thinking += delta.reasoning
            extra["thinking_delta"] = delta.reasoning
        if delta.tool_calls and accumulator is not None:
            calls = accumulator.tool_calls(0)
            self._calls = [
                build(
                    ToolCallBlock,
                    {
                        "block_type": "tool_call",
                        "tool_call_id": call.id,
                        "tool_name": call.name,
                        "tool_kwargs": call.arguments,
                    },
                )
                for call in calls
            ]
            self._kwargs = tool_calls_field(calls)
        blocks: list[Any] = []
        if self._thinking:
            blocks.append(
                build(
                    ThinkingBlock,
                    {
                        "block_type": "thinking",
                        "content": self._thinking,
                        "num_tokens": None,
                        "additional_information": {},
                    },
                )
            )
        blocks.append(build(TextBlock, {"block_type": "text", "text": self._text}))
        blocks.extend(self._calls)
        message = build(
            ChatMessage,
            {
                "role": MessageRole.ASSISTANT,
                "additional_kwargs": dict(self._kwargs),
                "blocks": blocks,
            },
        )
        return build(
            ChatResponse,
            {
                "message": message,
                "raw": {"id": delta.id, "model": delta.model},
                "delta": delta.content,
                "logprobs": None,
                "additional_kwargs": extra,
            },
        )

    def _final(self, delta: ChatDelta, stream: _Stream) -> ChatResponse:
        # A reply sent whole is the stream's result already; a streamed one is summed so far.
        if stream.result is not None:
            so_far = stream.result
        elif stream.accumulator is not None:
            so_far = stream.accumulator.snapshot()
        else:  # pragma: no cover - deltas come from a result or an accumulator
            raise RuntimeError("stream delta without a result or an accumulator")
        final = chat_response(stream.priced(so_far))
        self._text = final.message.content or ""
        final.delta = delta.content if delta.index == 0 else ""
        if delta.reasoning and delta.index == 0:
            final.additional_kwargs["thinking_delta"] = delta.reasoning
        return final


@contextmanager
def _partial_responses() -> Iterator[None]:
    """A stream error leaves with what arrived before it as a LlamaIndex ``ChatResponse``
    too, on ``partial_response`` (``partial`` stays the core's result)."""
    try:
        yield
    except AIHubMixError as error:
        partial = getattr(error, "partial", None)
        if partial is not None:
            error.__dict__["partial_response"] = chat_response(partial)
        raise


def stream_responses(stream: ChatStream) -> ChatResponseGen:
    translator = StreamTranslator()
    with _partial_responses():
        for delta in stream:
            if (response := translator.response(delta, stream)) is not None:
                yield response


async def astream_responses(stream: AsyncChatStream) -> ChatResponseAsyncGen:
    translator = StreamTranslator()
    with _partial_responses():
        async for delta in stream:
            if (response := translator.response(delta, stream)) is not None:
                yield response
