"""Streamed tool calls, fed as hand-built SSE through the real adapter (sync and async).

Each case is a shape some upstream really sends; the assembled calls must be exactly the
calls the model made, on every streamed response and on the last one.
"""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, ToolCallBlock

pytestmark = pytest.mark.aihubmix_env  # clients without api_key= read AIHUBMIX_API_KEY

USER = [ChatMessage(role="user", content="weather in Paris and Rome?")]


def chunk(
    *calls: dict[str, Any], finish: str | None = None, content: str | None = None
) -> dict[str, Any]:
    delta: dict[str, Any] = {"role": "assistant"}
    if calls:
        delta["tool_calls"] = list(calls)
    if content is not None:
        delta["content"] = content
    return {
        "id": "chatcmpl-s",
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def call(
    index: int | None, id: str | None = None, name: str | None = None, args: str = ""
) -> dict[str, Any]:
    item: dict[str, Any] = {"function": {"arguments": args}}
    if index is not None:
        item["index"] = index
    if id is not None:
        item["id"] = id
        item["type"] = "function"
    if name is not None:
        item["function"]["name"] = name
    return item


USAGE = {
    "id": "chatcmpl-s",
    "model": "gpt-4o-mini",
    "choices": [],
    "usage": {"prompt_tokens": 20, "completion_tokens": 9, "total_tokens": 29},
}

PARIS_ROME = [
    ("call_a", "get_weather", {"city": "Paris"}),
    ("call_b", "get_weather", {"city": "Rome"}),
]

CASES = {
    "several calls in one chunk": [
        chunk(
            call(0, "call_a", "get_weather", '{"city": "Paris"}'),
            call(1, "call_b", "get_weather", '{"city": "Rome"}'),
        ),
        chunk(finish="tool_calls"),
        USAGE,
    ],
    "interleaved fragments": [
        chunk(call(0, "call_a", "get_weather", "")),
        chunk(call(1, "call_b", "get_weather", "")),
        chunk(call(0, args='{"city": ')),
        chunk(call(1, args='{"city": ')),
        chunk(call(1, args='"Rome"}')),
        chunk(call(0, args='"Paris"}')),
        chunk(finish="tool_calls"),
        USAGE,
    ],
    "id and name repeated on every fragment": [
        chunk(call(0, "call_a", "get_weather", '{"city"')),
        chunk(call(0, "call_a", "get_weather", ': "Paris"}')),
        chunk(call(1, "call_b", "get_weather", '{"city"')),
        chunk(call(1, "call_b", "get_weather", ': "Rome"}')),
        chunk(finish="tool_calls"),
        USAGE,
    ],
    "empty id and name on later fragments": [
        chunk(call(0, "call_a", "get_weather", "")),
        chunk(call(0, "", "", '{"city": "Paris"}')),
        chunk(call(1, "call_b", "get_weather", "")),
        chunk(call(1, "", "", '{"city": "Rome"}')),
        chunk(finish="tool_calls"),
        USAGE,
    ],
    "index starting at 3": [
        chunk(call(3, "call_a", "get_weather", '{"city": "Paris"}')),
        chunk(call(4, "call_b", "get_weather", '{"city": "Rome"}')),
        chunk(finish="tool_calls"),
        USAGE,
    ],
    "every call numbered 0, told apart by id": [
        chunk(call(0, "call_a", "get_weather", '{"city": "Paris"}')),
        chunk(call(0, "call_b", "get_weather", '{"city": "Rome"}')),
        chunk(finish="tool_calls"),
        USAGE,
    ],
    "no index at all": [
        chunk(
            call(None, "call_a", "get_weather", '{"city": "Paris"}'),
            call(None, "call_b", "get_weather", '{"city": "Rome"}'),
        ),
        chunk(finish="tool_calls"),
        USAGE,
    ],
}


def calls_of(response: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return [(c.tool_id, c.tool_name, c.tool_kwargs) for c in response]


@pytest.mark.parametrize("case", list(CASES))
def test_stream_chat_assembles_tool_calls(case: str, mock_llm: Any) -> None:
    llm, _ = mock_llm(chunks=CASES[case])
    responses = list(llm.stream_chat(USER))
    last = responses[-1]
    assert calls_of(llm.get_tool_calls_from_response(last)) == PARIS_ROME
    # The finished message carries arguments as dicts, ready to be sent back.
    blocks = [b for b in last.message.blocks if isinstance(b, ToolCallBlock)]
    assert [b.tool_kwargs for b in blocks] == [{"city": "Paris"}, {"city": "Rome"}]
    # LlamaIndex's structured streaming looks for calls in additional_kwargs.
    assert [c["id"] for c in last.message.additional_kwargs["tool_calls"]] == ["call_a", "call_b"]
    # Calls never shrink or change name while streaming.
    seen = [
        len(llm.get_tool_calls_from_response(r, error_on_no_tool_call=False)) for r in responses
    ]
    assert seen == sorted(seen)
    for response in responses:
        for selection in llm.get_tool_calls_from_response(response, error_on_no_tool_call=False):
            assert selection.tool_name == "get_weather"


@pytest.mark.parametrize("case", list(CASES))
async def test_astream_chat_assembles_tool_calls(case: str, mock_llm: Any) -> None:
    llm, _ = mock_llm(chunks=CASES[case])
    responses = [response async for response in await llm.astream_chat(USER)]
    last = responses[-1]
    assert calls_of(llm.get_tool_calls_from_response(last)) == PARIS_ROME


def test_partial_arguments_are_readable_mid_stream(mock_llm: Any) -> None:
    llm, _ = mock_llm(chunks=CASES["interleaved fragments"])
    responses = list(llm.stream_chat(USER))
    # After the third chunk, call 0 holds '{"city": ' — partial JSON reads as no value yet.
    third = llm.get_tool_calls_from_response(responses[2])
    assert [c.tool_id for c in third] == ["call_a", "call_b"]
    assert third[1].tool_kwargs == {}


def test_text_before_tool_calls_is_kept(mock_llm: Any) -> None:
    llm, _ = mock_llm(
        chunks=[
            chunk(content="Let me check. "),
            chunk(call(0, "call_a", "get_weather", '{"city": "Paris"}')),
            chunk(finish="tool_calls"),
            USAGE,
        ]
    )
    responses = list(llm.stream_chat(USER))
    assert [r.delta for r in responses[:1]] == ["Let me check. "]
    last = responses[-1]
    assert last.message.content == "Let me check. "
    assert calls_of(llm.get_tool_calls_from_response(last)) == [PARIS_ROME[0]]


def test_assembled_calls_go_back_on_the_next_turn(mock_llm: Any) -> None:
    llm, recorder = mock_llm(chunks=CASES["interleaved fragments"])
    last = list(llm.stream_chat(USER))[-1]
    history = [
        *USER,
        last.message,
        ChatMessage(role="tool", content="sunny", additional_kwargs={"tool_call_id": "call_a"}),
        ChatMessage(role="tool", content="rainy", additional_kwargs={"tool_call_id": "call_b"}),
    ]
    list(llm.stream_chat(history))
    sent = recorder.requests[-1]["messages"]
    assert sent[1]["tool_calls"] == [
        {
            "id": "call_a",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
        },
        {
            "id": "call_b",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city": "Rome"}'},
        },
    ]
    assert sent[1]["content"] is None
    assert [m["tool_call_id"] for m in sent[2:]] == ["call_a", "call_b"]
