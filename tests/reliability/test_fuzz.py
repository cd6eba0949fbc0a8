"""Hostile input to the pure stream and reply parsers: only our typed errors come out.

Whatever bytes a gateway sends, whatever JSON a chunk holds, the decoder, the stream
handling, the accumulator and the reply parsers either work or raise an
``AIHubMixError``: never a ``KeyError`` or ``AttributeError`` from deep inside, never a
hang (pytest-timeout would end one). The examples are the same on every run (see
tests/conftest.py); ``AIHUBMIX_HYPOTHESIS_PROFILE=explore`` draws new ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aihubmix_core import (
    AIHubMixError,
    ChatStream,
    SSEDecoder,
    StreamAccumulator,
    parse_chat_completion,
)
from aihubmix_core._http.executor import JSONReply
from aihubmix_core._http.sse import ServerSentEvent
from aihubmix_core.chat.stream import handle_event
from aihubmix_core.embeddings import parse_embeddings

FUZZ = settings(max_examples=int(os.environ.get("AIHUBMIX_FUZZ_EXAMPLES", "150")))
"""150 examples per property in ``make test``; set AIHUBMIX_FUZZ_EXAMPLES for a deeper run."""

# The words chunks are made of, so generated JSON often has a chunk's shape.
VOCABULARY = [
    "id", "object", "created", "model", "choices", "index", "delta", "message", "role",
    "content", "reasoning_content", "reasoning", "reasoning_details", "tool_calls", "type",
    "function", "name", "arguments", "finish_reason", "usage", "prompt_tokens",
    "completion_tokens", "total_tokens", "prompt_tokens_details", "cached_tokens",
    "completion_tokens_details", "reasoning_tokens", "error", "code", "logprobs", "refusal",
    "annotations", "audio", "text", "signature", "data", "embedding", "service_tier",
    "system_fingerprint",
]  # fmt: skip
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-2, max_value=3)
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=6)
    | st.sampled_from(["stop", "tool_calls", "length", "assistant", "function", "text", ""])
    | st.sampled_from(["AACAPw==", "AACAPwAAAEA=", "AAA=", "abc", "!!!!"])  # base64, or not
)
keys = st.sampled_from(VOCABULARY) | st.text(max_size=4)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=6),
    max_leaves=40,
)
chunks = st.dictionaries(keys, json_values, max_size=8) | json_values


def sse_body(values: list[Any]) -> bytes:
    return b"".join(b"data: " + json.dumps(v).encode() + b"\n\n" for v in values)


def split(data: bytes, cuts: list[int]) -> Iterator[bytes]:
    last = 0
    for cut in sorted({c % (len(data) + 1) for c in cuts}):
        yield data[last:cut]
        last = cut
    yield data[last:]


def decode(pieces: Iterator[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for piece in pieces:
        events.extend(decoder.feed(piece))
    events.extend(decoder.flush())
    return events


def run_stream(events: list[ServerSentEvent | JSONReply]) -> None:
    """Drive a ``ChatStream`` over the events as the executor would; read its result."""
    stream = ChatStream(lambda info: iter(events))
    try:
        for _ in stream:
            pass
    except AIHubMixError:
        return
    assert stream.result is not None
    _ = stream.result.text, stream.result.message.tool_calls, stream.result.usage


@FUZZ
@given(data=st.binary(max_size=2000), cuts=st.lists(st.integers(min_value=0), max_size=8))
def test_the_decoder_takes_any_bytes_split_anywhere(data: bytes, cuts: list[int]) -> None:
    whole = decode(iter([data]))
    assert decode(split(data, cuts)) == whole
    for event in whole:
        assert isinstance(event.data, str) and isinstance(event.event, str)


@FUZZ
@given(data=st.binary(max_size=2000), cuts=st.lists(st.integers(min_value=0), max_size=8))
def test_arbitrary_bytes_through_the_stream_give_a_result_or_a_typed_error(
    data: bytes, cuts: list[int]
) -> None:
    run_stream(decode(split(data, cuts)))


@FUZZ
@given(
    values=st.lists(chunks, max_size=8),
    done=st.booleans(),
    cuts=st.lists(st.integers(min_value=0), max_size=6),
)
def test_arbitrary_chunk_json_through_the_stream_gives_a_result_or_a_typed_error(
    values: list[Any], done: bool, cuts: list[int]
) -> None:
    body = sse_body(values) + (b"data: [DONE]\n\n" if done else b"")
    run_stream(decode(split(body, cuts)))


@FUZZ
@given(values=st.lists(chunks, min_size=1, max_size=8))
@example(values=[{"usage": {"prompt_tokens": float("inf")}}])  # once an OverflowError
def test_the_accumulator_takes_any_chunks(values: list[Any]) -> None:
    accumulator = StreamAccumulator()
    try:
        for value in values:
            handle_event(accumulator, ServerSentEvent(json.dumps(value)))
        accumulator.tool_calls(0)
        accumulator.snapshot()
        accumulator.result()
    except AIHubMixError:
        pass


@FUZZ
@given(body=json_values | st.dictionaries(keys, json_values, max_size=8))
def test_a_whole_reply_of_any_json_parses_or_raises_typed(body: Any) -> None:
    try:
        result = parse_chat_completion(body)
    except AIHubMixError:
        return
    _ = result.text, result.message.tool_calls, result.usage
    # The same body served to a stream request as plain JSON.
    run_stream([JSONReply(body, "fuzz")])


@FUZZ
@given(
    body=json_values | st.dictionaries(keys, json_values, max_size=8), expected=st.integers(0, 4)
)
def test_an_embeddings_reply_of_any_json_parses_or_raises_typed(body: Any, expected: int) -> None:
    try:
        result = parse_embeddings(body, expected)
    except AIHubMixError:
        return
    assert len(result.vectors) == expected
