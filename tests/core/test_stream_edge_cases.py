"""Stream shapes that used to lose or garble data: an emoji split between two deltas,
counts sent as strings, and a stream that never brings a choice."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from testkit import KEY, delta_chunk, sse

from aihubmix_core import (
    AIHubMixClient,
    APIResponseError,
    ChatRequest,
    Message,
    StreamAccumulator,
    parse_usage,
)
from aihubmix_core._http.sse import ServerSentEvent
from aihubmix_core.chat.stream import handle_event

REQUEST = ChatRequest(model="gpt-4o-mini", messages=[Message(role="user", content="Hi")])


def _events(*chunks: str) -> list[ServerSentEvent]:
    return [ServerSentEvent(chunk) for chunk in chunks]


def test_an_emoji_split_between_two_deltas_is_one_character() -> None:
    # The wire escapes U+1F600 as two \\u halves; a server may cut between them.
    first = '{"choices": [{"index": 0, "delta": {"content": "smile \\ud83d"}}]}'
    second = (
        '{"choices": [{"index": 0, "delta": {"content": "\\ude00!"}, "finish_reason": "stop"}]}'
    )
    accumulator = StreamAccumulator()
    pieces = [
        d.content for event in _events(first, second) for d in handle_event(accumulator, event)
    ]
    assert pieces == ["smile ", "\U0001f600!"]
    assert accumulator.result().text == "smile \U0001f600!"
    "".join(pieces).encode("utf-8")  # every piece handed on can be encoded


def test_a_lone_high_half_at_the_very_end_is_kept() -> None:
    accumulator = StreamAccumulator()
    handle_event(accumulator, ServerSentEvent('{"choices": [{"delta": {"content": "x\\ud83d"}}]}'))
    handle_event(accumulator, ServerSentEvent("[DONE]"))
    assert accumulator.result().text == "x\ud83d"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"prompt_tokens": "5", "completion_tokens": "7", "total_tokens": "12"}, (5, 7, 12)),
        ({"prompt_tokens": 5.0, "completion_tokens": "2"}, (5, 2, 7)),
        ({"prompt_tokens": "n/a", "completion_tokens": 3}, (0, 3, 3)),
    ],
)
def test_usage_counts_sent_as_strings_are_read(
    raw: dict[str, Any], expected: tuple[int, int, int]
) -> None:
    usage = parse_usage(raw)
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == expected


def test_a_stream_that_never_brings_a_choice_is_an_error_like_the_whole_reply(
    make_client: Any,
) -> None:
    body = sse({"id": "chatcmpl-empty", "model": "gpt-4o-mini", "choices": []})

    def handler(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content).get("stream"):
            return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, json={"id": "chatcmpl-empty", "choices": []})

    client: AIHubMixClient = make_client(handler)
    with pytest.raises(APIResponseError, match="no choices"):
        client.chat(REQUEST)
    with pytest.raises(APIResponseError, match="no choices"):
        list(client.stream_chat(REQUEST))


def test_a_usage_only_last_chunk_still_counts_as_a_reply(make_client: Any) -> None:
    body = sse(delta_chunk("Hi", finish="stop"), {"choices": [], "usage": {"prompt_tokens": "3"}})

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    stream = make_client(handler, api_key=KEY).stream_chat(REQUEST)
    assert "".join(d.content for d in stream) == "Hi"
    assert stream.result is not None and stream.result.usage is not None
    assert stream.result.usage.prompt_tokens == 3
