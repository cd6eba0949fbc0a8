"""Property tests over the real wire captures (tests/data/wire-captures, see PROVENANCE.md).

However the bytes of a capture are split into reads, and whatever line endings frame them,
the decoder yields the same events and the accumulator the same final reply.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import capture_json, capture_lines, capture_names, capture_sse

from aihubmix_core import (
    ChatRequest,
    ChatResult,
    Message,
    ServerSentEvent,
    SSEDecoder,
    StreamAccumulator,
    parse_chat_completion,
)
from aihubmix_core.chat.stream import handle_event

NAMES = capture_names()
SMALL = [name for name in NAMES if len(capture_sse(name)) <= 4_000]
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_all_captures_are_found() -> None:
    assert set(NAMES) >= {
        "deepseek-reasoning",
        "deepseek-text",
        "deepseek-tool-call",
        "groq-tool-call",
        "mistral-tool-call",
        "openai-text",
        "xai-tool-call",
    }
    assert SMALL  # the groq, mistral and xai captures are small enough for byte-at-a-time


def decode(chunks: list[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    events.extend(decoder.flush())
    return events


def accumulate(events: list[ServerSentEvent]) -> ChatResult:
    accumulator = StreamAccumulator()
    for event in events:
        handle_event(accumulator, event)
        if accumulator.done:
            break
    return accumulator.result()


def summary(result: ChatResult) -> dict[str, Any]:
    """What a user reads from a reply: text, reasoning, tool calls, usage, finish reason."""
    usage = result.usage
    return {
        "text": result.text,
        "reasoning": result.message.reasoning_content,
        "tool_calls": [(c.id, c.name, c.arguments) for c in result.message.tool_calls],
        "usage": None
        if usage is None
        else (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens,
            usage.cached_tokens,
            usage.reasoning_tokens,
        ),
        "finish_reason": result.finish_reason,
        "id": result.id,
        "model": result.model,
    }


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(body) + 1) for c in cuts})
    edges = [0, *points, len(body)]
    return [body[a:b] for a, b in itertools.pairwise(edges)]


REFERENCE = {name: decode([capture_sse(name)]) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_reference_decoding_matches_the_capture(name: str) -> None:
    """Unsplit, every line of the capture is one event, then [DONE]; the result is sane."""
    events = REFERENCE[name]
    assert [e.data for e in events] == [*capture_lines(name), "[DONE]"]
    result = accumulate(events)
    assert result.finish_reason in ("stop", "length", "tool_calls")
    assert result.usage is not None and result.usage.total_tokens > 0
    if "tool-call" in name:
        assert result.message.tool_calls
        assert all(call.name == "weather" for call in result.message.tool_calls)
        assert all(isinstance(call.parsed_arguments(), dict) for call in result.message.tool_calls)
    else:
        assert result.text


@pytest.mark.parametrize("name", NAMES)
@PROPERTY
@given(cuts=st.lists(st.integers(min_value=0, max_value=10**9), max_size=80))
def test_any_split_gives_the_same_events_and_result(name: str, cuts: list[int]) -> None:
    body = capture_sse(name)
    chunks = split(body, cuts)
    assert b"".join(chunks) == body
    events = decode(chunks)
    assert events == REFERENCE[name]
    assert summary(accumulate(events)) == summary(accumulate(REFERENCE[name]))


@pytest.mark.parametrize("name", NAMES)
@PROPERTY
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=50),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_small_reads_and_any_line_ending(name: str, sizes: list[int], newline: str) -> None:
    """Reads of a few bytes (cycling through hypothesis-chosen sizes), CRLF or CR framing."""
    body = capture_sse(name, newline=newline)
    chunks: list[bytes] = []
    position, turn = 0, 0
    while position < len(body):
        size = sizes[turn % len(sizes)]
        chunks.append(body[position : position + size])
        position += size
        turn += 1
    events = decode(chunks)
    assert [e.data for e in events] == [e.data for e in REFERENCE[name]]
    assert summary(accumulate(events)) == summary(accumulate(REFERENCE[name]))


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
@pytest.mark.parametrize("name", NAMES)
def test_other_line_endings_give_the_same_result(name: str, newline: str) -> None:
    events = decode([capture_sse(name, newline=newline)])
    assert events == REFERENCE[name]
    assert summary(accumulate(events)) == summary(accumulate(REFERENCE[name]))


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("name", SMALL)
def test_byte_at_a_time_for_small_captures(name: str, newline: str) -> None:
    body = capture_sse(name, newline=newline)
    events = decode([body[i : i + 1] for i in range(len(body))])
    assert events == REFERENCE[name]
    assert summary(accumulate(events)) == summary(accumulate(REFERENCE[name]))


@pytest.mark.parametrize("name", NAMES)
def test_through_the_client_with_odd_reads(name: str, make_client) -> None:
    """The same result through the whole client: transport, decoder, ChatStream."""
    body = capture_sse(name)
    sizes = [1, 7, 300, 2, 4096, 13]

    def reads():
        position, turn = 0, 0
        while position < len(body):
            size = sizes[turn % len(sizes)]
            yield body[position : position + size]
            position += size
            turn += 1

    client = make_client(
        lambda r: httpx.Response(
            200, headers={"content-type": "text/event-stream"}, content=reads()
        )
    )
    request = ChatRequest(model="m", messages=[Message(role="user", content="x")])
    stream = client.stream_chat(request)
    deltas = list(stream)
    assert stream.result is not None
    assert summary(stream.result) == summary(accumulate(REFERENCE[name]))
    assert "".join(d.content for d in deltas) == stream.result.text


def usage_fields(result: ChatResult) -> dict[str, bool]:
    usage = result.usage
    assert usage is not None
    return {
        "prompt_tokens": usage.prompt_tokens > 0,
        "completion_tokens": usage.completion_tokens > 0,
        "total_tokens": usage.total_tokens > 0,
        "cached_tokens": usage.cached_tokens is not None,
        "reasoning_tokens": usage.reasoning_tokens is not None,
    }


@pytest.mark.parametrize("name", NAMES)
def test_streamed_and_non_streamed_twins_agree(name: str) -> None:
    # The .json twin of each capture is a separate generation, not the same reply sent
    # twice: its text, reasoning, ids and token counts differ. What is truly common is the
    # shape: the finish reason, which tool was called with which arguments, whether there
    # is reasoning, and which usage fields the upstream reports.
    streamed = accumulate(REFERENCE[name])
    whole = parse_chat_completion(capture_json(name))
    assert streamed.model == whole.model
    assert streamed.finish_reason == whole.finish_reason
    assert [(c.name, c.parsed_arguments()) for c in streamed.message.tool_calls] == [
        (c.name, c.parsed_arguments()) for c in whole.message.tool_calls
    ]
    assert bool(streamed.message.reasoning_content) == bool(whole.message.reasoning_content)
    assert bool(streamed.text) == bool(whole.text)
    assert usage_fields(streamed) == usage_fields(whole)


def test_deepseek_usage_details() -> None:
    result = accumulate(REFERENCE["deepseek-tool-call"])
    assert result.usage is not None
    assert (result.usage.cached_tokens, result.usage.reasoning_tokens) == (320, 39)
    assert result.usage.raw["prompt_cache_hit_tokens"] == 320


def test_xai_total_beyond_prompt_plus_completion() -> None:
    result = accumulate(REFERENCE["xai-tool-call"])
    assert result.usage is not None
    assert result.usage.total_tokens == 513 > 291 + 26
    assert result.usage.reasoning_tokens == 196


def test_groq_usage_with_extra_keys() -> None:
    result = accumulate(REFERENCE["groq-tool-call"])
    assert result.usage is not None and result.usage.total_tokens == 225
    assert [(c.id, c.arguments) for c in result.message.tool_calls] == [("tk85n1k4m", "{}")]


def test_mistral_call_without_index() -> None:
    result = accumulate(REFERENCE["mistral-tool-call"])
    (call,) = result.message.tool_calls
    assert call.id == "gSIMJiOkT"
    assert json.loads(call.arguments) == {"location": "San Francisco"}
