"""aihubmix_core.chat.wire: every wire shape read and written in one place, and the
provider fields a tool call carries (Gemini 3's thought signature) kept both ways."""

from __future__ import annotations

from typing import Any

import pytest

from aihubmix_core import (
    AudioPart,
    ChatRequest,
    FilePart,
    ImagePart,
    Message,
    RawPart,
    StreamAccumulator,
    TextPart,
    Tool,
    ToolCall,
    is_builtin_tool,
    json_schema_format,
    named_tool_choice,
    parse_chat_completion,
    part_from_wire,
    part_to_wire,
    split_options,
    tool_call_from_wire,
    tool_call_to_wire,
    tool_calls_from_wire,
    tool_choice_name,
    tool_from_wire,
    tool_name,
    with_cache_control,
)

GOOGLE = {"google": {"thought_signature": "sig-google=="}}
VERTEX = {"vertex": {"thought_signature": "sig-vertex=="}}
EPHEMERAL = {"type": "ephemeral"}


def wire_call(call_id: str, name: str, args: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": args},
        **extra,
    }


def chunk(**delta: Any) -> dict[str, Any]:
    return {"id": "c", "model": "gemini-3-pro-preview", "choices": [{"index": 0, "delta": delta}]}


def finish(reason: str = "tool_calls") -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": {}, "finish_reason": reason}]}


def streamed(*chunks: dict[str, Any]) -> Message:
    acc = StreamAccumulator()
    for item in [*chunks, finish()]:
        acc.add(item)
    return acc.result().message


# ---------------------------------------------------------------- content parts


@pytest.mark.parametrize(
    ("part", "wire"),
    [
        (TextPart("hi"), {"type": "text", "text": "hi"}),
        (
            TextPart("hi", cache_control=EPHEMERAL),
            {"type": "text", "text": "hi", "cache_control": EPHEMERAL},
        ),
        (
            ImagePart("https://x/y.png", "low"),
            {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}},
        ),
        (
            AudioPart.from_mime_type("AAA", "audio/mpeg"),
            {"type": "input_audio", "input_audio": {"data": "AAA", "format": "mp3"}},
        ),
        (
            FilePart(data="JVBE", filename="a.pdf"),
            {
                "type": "file",
                "file": {"filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBE"},
            },
        ),
        (FilePart(file_id="file-1"), {"type": "file", "file": {"file_id": "file-1"}}),
        (RawPart({"type": "video_url", "x": 1}), {"type": "video_url", "x": 1}),
    ],
)
def test_parts_to_wire_and_back(part: Any, wire: dict[str, Any]) -> None:
    assert part_to_wire(part) == wire
    assert part_from_wire(wire) == part
    assert part_to_wire(part_from_wire(wire)) == wire


@pytest.mark.parametrize(
    "wire",
    [
        {"type": "text", "text": "hi", "annotations": []},
        {"type": "image_url", "image_url": {"url": "u", "vendor_hint": 1}},
        {"type": "file", "file": {"file_data": "not a data URL"}},
        {"type": "input_audio", "input_audio": {"data": "AAA"}},
        {"type": "input_audio", "input_audio": {"data": "AAA", "format": None}},
        {"type": "text", "text": "hi", "cache_control": "soon"},
        {"type": "image_url"},
    ],
)
def test_shapes_with_more_than_the_core_holds_stay_raw_and_unchanged(wire: dict) -> None:
    part = part_from_wire(wire)
    assert isinstance(part, RawPart)
    assert part_to_wire(part) == wire


def test_image_url_as_a_bare_string_is_an_image() -> None:
    assert part_from_wire({"type": "image_url", "image_url": "https://x"}) == ImagePart("https://x")


def test_cache_control_on_any_part() -> None:
    raw = with_cache_control(RawPart({"type": "x"}), EPHEMERAL)
    assert part_to_wire(raw) == {"type": "x", "cache_control": EPHEMERAL}
    image = with_cache_control(ImagePart("u"), EPHEMERAL)
    assert part_to_wire(image)["cache_control"] == EPHEMERAL


# ---------------------------------------------------------------- tool calls


@pytest.mark.parametrize("extra", [GOOGLE, VERTEX])
def test_tool_call_extra_content_round_trips(extra: dict[str, Any]) -> None:
    wire = wire_call("c1", "weather", '{"city": "Paris"}', extra_content=extra)
    call = tool_call_from_wire(wire)
    assert call == ToolCall("c1", "weather", '{"city": "Paris"}', {"extra_content": extra})
    assert tool_call_to_wire(call) == wire


def test_extra_never_overrides_the_call_itself() -> None:
    call = ToolCall("c1", "f", "{}", extra={"id": "other", "extra_content": GOOGLE})
    assert tool_call_to_wire(call) == wire_call("c1", "f", "{}", extra_content=GOOGLE)


def test_tool_calls_from_wire_skips_what_is_not_a_call_and_numbers_missing_ids() -> None:
    calls = tool_calls_from_wire(
        [7, {"function": {"name": "f", "arguments": {"a": 1}}}, wire_call("c2", "g", "")]
    )
    assert [(c.id, c.name, c.arguments) for c in calls] == [
        ("call_1", "f", '{"a": 1}'),
        ("c2", "g", ""),
    ]
    assert tool_calls_from_wire(None) == []


def test_sdk_objects_are_read_through_model_dump() -> None:
    class SdkCall:
        def model_dump(self, exclude_none: bool = False) -> dict[str, Any]:
            return wire_call("c9", "f", "{}", extra_content=GOOGLE)

    call = tool_call_from_wire(SdkCall())
    assert call is not None and call.extra == {"extra_content": GOOGLE}
    assert tool_call_from_wire(object()) is None


def test_reply_keeps_extras_on_the_right_call_and_request_sends_them_back() -> None:
    body = {
        "id": "r",
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        wire_call("c1", "weather", '{"city": "Paris"}', extra_content=GOOGLE),
                        wire_call("c2", "time", "{}"),
                    ],
                },
            }
        ],
    }
    message = parse_chat_completion(body).message
    assert [call.extra for call in message.tool_calls] == [{"extra_content": GOOGLE}, {}]
    payload = ChatRequest(
        model="gemini-3-pro-preview", messages=[Message(role="user", content="?"), message]
    ).to_payload()
    assert payload["messages"][1]["tool_calls"] == body["choices"][0]["message"]["tool_calls"]


# ---------------------------------------------------------------- streamed tool calls


def test_stream_keeps_extras_of_calls_sent_whole_without_index() -> None:
    message = streamed(
        chunk(tool_calls=[wire_call("a", "weather", '{"city": "Paris"}', extra_content=GOOGLE)]),
        chunk(tool_calls=[wire_call("b", "weather", '{"city": "Rome"}', extra_content=VERTEX)]),
    )
    assert [(c.id, c.parsed_arguments(), c.extra) for c in message.tool_calls] == [
        ("a", {"city": "Paris"}, {"extra_content": GOOGLE}),
        ("b", {"city": "Rome"}, {"extra_content": VERTEX}),
    ]


def test_unnumbered_whole_calls_without_ids_are_still_separate_calls() -> None:
    message = streamed(
        chunk(tool_calls=[{"function": {"name": "f", "arguments": "{}"}}]),
        chunk(tool_calls=[{"function": {"name": "f", "arguments": "{}"}}]),
    )
    assert [(c.id, c.name, c.arguments) for c in message.tool_calls] == [
        ("call_0", "f", "{}"),
        ("call_1", "f", "{}"),
    ]


def test_unnumbered_fragments_continue_their_call() -> None:
    message = streamed(
        chunk(tool_calls=[{"id": "a", "function": {"name": "f", "arguments": '{"x"'}}]),
        chunk(tool_calls=[{"function": {"arguments": ": 1"}}]),
        chunk(tool_calls=[{"id": "a", "function": {"arguments": "}"}}]),
    )
    assert [(c.id, c.parsed_arguments()) for c in message.tool_calls] == [("a", {"x": 1})]


def test_extras_arriving_on_a_later_fragment_join_the_call_and_reach_the_delta() -> None:
    acc = StreamAccumulator()
    acc.add(chunk(tool_calls=[{"index": 0, "id": "a", "function": {"name": "f"}}]))
    (delta,) = acc.add(chunk(tool_calls=[{"index": 0, "extra_content": GOOGLE}]))
    assert delta.tool_calls[0].extra == {"extra_content": GOOGLE}
    assert acc.tool_calls()[0].extra == {"extra_content": GOOGLE}


# ---------------------------------------------------------------- thinking parts


@pytest.mark.parametrize(
    "thinking",
    ["Let me see.", [{"type": "text", "text": "Let me "}, {"type": "text", "text": "see."}]],
)
def test_thinking_parts_are_reasoning_streamed_or_not(thinking: Any) -> None:
    content = [
        {"type": "thinking", "thinking": thinking},
        {"type": "text", "text": "42"},
        {"type": "hologram", "data": 1},
    ]
    body = {"choices": [{"index": 0, "message": {"content": content}, "finish_reason": "stop"}]}
    for message in (parse_chat_completion(body).message, streamed(chunk(content=content))):
        assert (message.content, message.reasoning_content) == ("42", "Let me see.")
        assert message.extra["content_parts"] == [{"type": "hologram", "data": 1}]


# ---------------------------------------------------------------- tools and options


def test_tools_and_tool_choice_shapes() -> None:
    wire = {
        "type": "function",
        "function": {"name": "f", "description": "d", "parameters": {"type": "object"}},
    }
    tool = tool_from_wire(wire)
    assert tool == Tool("f", "d", {"type": "object"})
    assert tool_name(wire) == "f" and tool_name({"name": "g"}) == "g"
    assert tool_name({"type": "web_search"}) is None
    assert is_builtin_tool({"type": "web_search"}) and not is_builtin_tool(wire)
    assert named_tool_choice("f") == {"type": "function", "function": {"name": "f"}}
    assert tool_choice_name(named_tool_choice("f")) == "f"
    assert tool_choice_name({"type": "tool", "name": "g"}) == "g"
    tool.strict = True
    assert json_schema_format(tool) == {
        "type": "json_schema",
        "json_schema": {
            "name": "f",
            "schema": {"type": "object"},
            "description": "d",
            "strict": True,
        },
    }


def test_split_options() -> None:
    fields, params = split_options(
        {
            "max_completion_tokens": 5,
            "tools": [],
            "temperature": 0,
            "model": "x",
            "stream": True,
            "stream_options": {},
            "messages": [],
        }
    )
    assert fields == {"max_tokens": 5, "tools": []}
    # model, messages and stream are the request's own; stream_options is kept for
    # streams (to_payload sends it on a stream only, merged with include_usage).
    assert params == {"temperature": 0, "stream_options": {}}
    assert split_options({"max_tokens": 1, "max_completion_tokens": 2})[0] == {"max_tokens": 1}
