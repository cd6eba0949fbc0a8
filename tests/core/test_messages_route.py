"""The Messages route's pure pieces: the Anthropic request body from core types (prompt
caching markers, thinking, tools), and a whole reply and a stream of its events as the
same ``ChatResult``."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from aihubmix_core import (
    AudioPart,
    ChatRequest,
    FilePart,
    ImagePart,
    Message,
    MessagesAccumulator,
    RateLimitError,
    RawPart,
    ServerError,
    TextPart,
    Tool,
    ToolCall,
    UpstreamStreamError,
    messages_payload,
    parse_messages_reply,
)
from aihubmix_core._http.sse import ServerSentEvent
from aihubmix_core.chat.stream import handle_event
from aihubmix_core.errors import ConfigurationError, StreamIncompleteError
from aihubmix_core.messages import messages_usage

CACHE = {"type": "ephemeral"}
WEATHER = Tool(
    "get_weather",
    "Current weather for a city.",
    {"type": "object", "properties": {"city": {"type": "string"}}},
)
SIGNED = {
    "type": "reasoning.text",
    "text": "I should look it up.",
    "signature": "c2ln",
    "format": "anthropic-claude-v1",
    "index": 0,
}


def request(*messages: Message, **fields: Any) -> ChatRequest:
    fields.setdefault("model", "claude-sonnet-4-5")
    return ChatRequest(messages=list(messages) or [Message("user", "hi")], **fields)


# request


def test_cache_control_markers_travel_on_system_content_and_tools() -> None:
    cached_tool = {
        "type": "function",
        "function": {"name": "lookup", "parameters": {"type": "object"}},
        "cache_control": CACHE,
    }
    body = messages_payload(
        request(
            Message("system", [TextPart("Long rules.", CACHE)]),
            Message("user", [TextPart("Document:"), TextPart("big text", CACHE)]),
            Message("user", "next", extra={"cache_control": CACHE}),
            tools=[WEATHER, cached_tool],
        )
    )
    assert body["system"] == [{"type": "text", "text": "Long rules.", "cache_control": CACHE}]
    assert body["messages"] == [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Document:"},
                {"type": "text", "text": "big text", "cache_control": CACHE},
                {"type": "text", "text": "next", "cache_control": CACHE},
            ],
        }
    ]
    assert body["tools"] == [
        {
            "name": "get_weather",
            "description": "Current weather for a city.",
            "input_schema": WEATHER.parameters,
        },
        {"name": "lookup", "input_schema": {"type": "object"}, "cache_control": CACHE},
    ]
    assert body["max_tokens"] == 4096


def test_images_documents_and_raw_blocks() -> None:
    text = base64.b64encode(b"plain words").decode()
    body = messages_payload(
        request(
            Message(
                "user",
                [
                    ImagePart("data:image/png;base64,AAAA", cache_control=CACHE),
                    ImagePart("https://x/cat.png"),
                    FilePart(data="JVBER", filename="a.pdf"),
                    FilePart(data=text, mime_type="text/plain"),
                    FilePart(file_id="file_1"),
                    RawPart({"type": "image_url", "image_url": {"url": "https://x/dog.png"}}),
                    RawPart({"type": "search_result", "source": "s", "title": "t", "content": []}),
                    TextPart(""),
                ],
            )
        )
    )
    assert body["messages"][0]["content"] == [
        {
            "type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"},
            "cache_control": CACHE,
        },
        {"type": "image", "source": {"type": "url", "url": "https://x/cat.png"}},
        {
            "type": "document",
            "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBER"},
            "title": "a.pdf",
        },
        {
            "type": "document",
            "source": {"type": "text", "media_type": "text/plain", "data": "plain words"},
        },
        {"type": "document", "source": {"type": "file", "file_id": "file_1"}},
        {"type": "image", "source": {"type": "url", "url": "https://x/dog.png"}},
        {"type": "search_result", "source": "s", "title": "t", "content": []},
    ]


def test_audio_is_refused_with_a_way_out() -> None:
    with pytest.raises(ConfigurationError, match="route='chat'"):
        messages_payload(request(Message("user", [AudioPart("AAAA", "wav")])))


def test_a_tool_loop_sends_thinking_first_and_results_in_one_user_turn() -> None:
    calls = [
        ToolCall("toolu_1", "get_weather", '{"city": "Paris"}'),
        ToolCall("toolu_2", "get_weather", "not json"),
    ]
    turn = Message(
        "assistant",
        "Let me check.",
        tool_calls=calls,
        reasoning_details=[
            SIGNED,
            {"type": "reasoning.encrypted", "data": "opaque", "format": "anthropic-claude-v1"},
            {"type": "reasoning.encrypted", "data": "openai's", "format": "openai-responses-v1"},
        ],
    )
    body = messages_payload(
        request(
            Message("user", "Weather in Paris and Rome?"),
            turn,
            Message("tool", "sunny", tool_call_id="toolu_1"),
            Message(
                "tool", [TextPart("rainy"), ImagePart("https://x/r.png")], tool_call_id="toolu_2"
            ),
        )
    )
    assistant, results = body["messages"][1:]
    assert assistant == {
        "role": "assistant",
        "content": [
            {"type": "thinking", "thinking": "I should look it up.", "signature": "c2ln"},
            {"type": "redacted_thinking", "data": "opaque"},
            {"type": "text", "text": "Let me check."},
            {
                "type": "tool_use",
                "id": "toolu_1",
                "name": "get_weather",
                "input": {"city": "Paris"},
            },
            {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {}},
        ],
    }
    assert results == {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny"},
            {
                "type": "tool_result",
                "tool_use_id": "toolu_2",
                "content": [
                    {"type": "text", "text": "rainy"},
                    {"type": "image", "source": {"type": "url", "url": "https://x/r.png"}},
                ],
            },
        ],
    }


def test_tool_ids_from_other_providers_are_made_safe_on_call_and_result_alike() -> None:
    """A history from another model (Kimi's ``functions.get_weather:0``) goes to Claude with
    ids Anthropic accepts (letters, digits, ``_``, ``-``), each result still naming its call."""
    kimi = ToolCall("functions.get_weather:0", "get_weather", "{}")
    history = [Message("user", "Weather in Paris?"), Message("assistant", "", tool_calls=[kimi])]
    history += [Message("tool", "sunny", tool_call_id=kimi.id), Message("assistant", "Sunny.")]
    body = messages_payload(request(*history, Message("user", "And now?")))
    call = body["messages"][1]["content"][-1]
    result = body["messages"][2]["content"][0]
    assert call["id"] == result["tool_use_id"] == "functions_get_weather_0"
    safe = request(
        Message("assistant", "", tool_calls=[ToolCall("toolu_01A-b_c", "get_weather", "{}")]),
        Message("tool", "sunny", tool_call_id="toolu_01A-b_c"),
    )
    assert messages_payload(safe)["messages"][0]["content"][-1]["id"] == "toolu_01A-b_c"


@pytest.mark.parametrize(
    ("fields", "thinking", "max_tokens", "effort"),
    [
        ({"reasoning_effort": "low"}, {"type": "enabled", "budget_tokens": 2048}, 4096, None),
        ({"reasoning_effort": "high"}, {"type": "enabled", "budget_tokens": 16384}, 20480, None),
        (
            {"reasoning": {"max_tokens": 500}},
            {"type": "enabled", "budget_tokens": 1024},
            4096,
            None,
        ),
        ({"reasoning_effort": "none"}, None, 4096, None),
        (
            {"reasoning_effort": "xhigh", "params": {"thinking": {"type": "adaptive"}}},
            {"type": "adaptive"},
            4096,
            "max",
        ),
        ({"params": {"thinking": {"type": "disabled"}}}, {"type": "disabled"}, 4096, None),
    ],
)
def test_thinking_budget_or_adaptive(
    fields: dict[str, Any], thinking: Any, max_tokens: int, effort: str | None
) -> None:
    body = messages_payload(request(**fields))
    assert body.get("thinking") == thinking
    assert body["max_tokens"] == max_tokens
    assert body.get("output_config", {}).get("effort") == effort


@pytest.mark.parametrize(
    ("choice", "sent"),
    [
        ("auto", {"type": "auto"}),
        ("none", {"type": "none"}),
        ("required", {"type": "any"}),
        (
            {"type": "function", "function": {"name": "get_weather"}},
            {"type": "tool", "name": "get_weather"},
        ),
        ({"type": "tool", "name": "get_weather"}, {"type": "tool", "name": "get_weather"}),
    ],
)
def test_tool_choice_forms(choice: Any, sent: Any) -> None:
    assert messages_payload(request(tools=[WEATHER], tool_choice=choice))["tool_choice"] == sent


def test_parallel_calls_off_and_no_tool_choice_without_tools() -> None:
    body = messages_payload(request(tools=[WEATHER], params={"parallel_tool_calls": False}))
    assert body["tool_choice"] == {"type": "auto", "disable_parallel_tool_use": True}
    bare = messages_payload(request(tool_choice="required", params={"parallel_tool_calls": False}))
    assert "tool_choice" not in bare and "tools" not in bare


def test_sampling_stop_user_and_chat_only_parameters() -> None:
    body = messages_payload(
        request(
            max_tokens=300,
            params={
                "temperature": 0.2,
                "top_p": 0.9,
                "top_k": 5,
                "stop": "END",
                "user": "u-1",
                "n": 1,
                "seed": 4,
                "frequency_penalty": 0.1,
                "logprobs": True,
            },
        ),
        stream=True,
    )
    assert body["max_tokens"] == 300 and body["stream"] is True
    assert (body["temperature"], body["top_p"], body["top_k"]) == (0.2, 0.9, 5)
    assert body["stop_sequences"] == ["END"]
    assert body["metadata"] == {"user_id": "u-1"}
    for name in ("stop", "user", "n", "seed", "frequency_penalty", "logprobs"):
        assert name not in body


def test_structured_output_and_json_mode() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    body = messages_payload(
        request(
            response_format={"type": "json_schema", "json_schema": {"name": "A", "schema": schema}}
        )
    )
    assert body["output_config"] == {"format": {"type": "json_schema", "schema": schema}}
    json_mode = messages_payload(request(response_format={"type": "json_object"}))
    assert json_mode["system"][-1]["text"].startswith("Answer with one JSON object")


def test_server_tools_and_web_search() -> None:
    body = messages_payload(
        request(
            tools=[
                {"type": "web_search_20250305", "name": "web_search", "max_uses": 2},
                {"type": "web_search"},
            ],
            params={"web_search_options": {}},
        )
    )
    assert body["tools"] == [
        {"type": "web_search_20250305", "name": "web_search", "max_uses": 2},
        {"type": "web_search_20250305", "name": "web_search"},
        {"type": "web_search_20250305", "name": "web_search"},
    ]


def test_extra_body_and_disabled_parameters() -> None:
    body = messages_payload(
        request(
            params={"temperature": 1},
            extra_body={"service_tier": "auto"},
            disabled_params=["temperature"],
        )
    )
    assert body["service_tier"] == "auto" and "temperature" not in body


# replies

USAGE = {
    "input_tokens": 10,
    "cache_creation_input_tokens": 2000,
    "cache_read_input_tokens": 3000,
    "output_tokens": 40,
    "service_tier": "standard",
}
CITATION = {
    "type": "web_search_result_location",
    "url": "https://en.wikipedia.org/wiki/Paris",
    "title": "Paris",
    "cited_text": "Paris is the capital.",
    "encrypted_index": "e1",
}
REPLY: dict[str, Any] = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5-20250929",
    "content": [
        {"type": "thinking", "thinking": "Look it up.", "signature": "c2ln"},
        {"type": "redacted_thinking", "data": "opaque"},
        {
            "type": "server_tool_use",
            "id": "srvtoolu_1",
            "name": "web_search",
            "input": {"query": "capital of France"},
        },
        {
            "type": "web_search_tool_result",
            "tool_use_id": "srvtoolu_1",
            "content": [
                {
                    "type": "web_search_result",
                    "url": "https://en.wikipedia.org/wiki/Paris",
                    "title": "Paris",
                }
            ],
        },
        {"type": "text", "text": "The answer: "},
        {"type": "text", "text": "Paris.", "citations": [CITATION]},
        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
        {"type": "tool_use", "id": "toolu_2", "name": "get_time", "input": {}},
    ],
    "stop_reason": "tool_use",
    "stop_sequence": None,
    "usage": USAGE,
}


def test_usage_counts_every_input_token_with_cache_reads_and_writes() -> None:
    usage = messages_usage(USAGE)
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (5010, 40, 5050)
    assert (usage.cached_tokens, usage.cache_write_tokens) == (3000, 2000)
    assert messages_usage({"input_tokens": 5, "output_tokens": 1}).cached_tokens is None  # type: ignore[union-attr]
    assert messages_usage(None) is None


def test_a_whole_reply_parses_to_the_chat_result_shape() -> None:
    result = parse_messages_reply(REPLY, request_id="req-1")
    message = result.message
    assert (result.id, result.model, result.request_id) == (
        "msg_1",
        "claude-sonnet-4-5-20250929",
        "req-1",
    )
    assert message.text == "The answer: Paris."
    assert message.reasoning_content == "Look it up."
    assert message.reasoning_details == [
        {
            "type": "reasoning.text",
            "text": "Look it up.",
            "signature": "c2ln",
            "format": "anthropic-claude-v1",
            "index": 0,
        },
        {
            "type": "reasoning.encrypted",
            "data": "opaque",
            "format": "anthropic-claude-v1",
            "index": 1,
        },
    ]
    assert [(c.id, c.name, c.arguments) for c in message.tool_calls] == [
        ("toolu_1", "get_weather", '{"city": "Paris"}'),
        ("toolu_2", "get_time", ""),
    ]
    assert result.finish_reason == "tool_calls" and message.extra["stop_reason"] == "tool_use"
    assert message.extra["citations"] == [CITATION]
    assert message.extra["annotations"] == [
        {
            "type": "url_citation",
            "url_citation": {
                "url": CITATION["url"],
                "start_index": 12,
                "end_index": 18,
                "title": "Paris",
                "cited_text": "Paris is the capital.",
            },
        }
    ]
    assert [b["type"] for b in message.extra["server_tool_calls"]] == [
        "server_tool_use",
        "web_search_tool_result",
    ]
    assert result.usage == messages_usage(USAGE)


@pytest.mark.parametrize(
    ("reason", "finish"),
    [
        ("end_turn", "stop"),
        ("max_tokens", "length"),
        ("stop_sequence", "stop"),
        ("refusal", "content_filter"),
    ],
)
def test_stop_reasons(reason: str, finish: str) -> None:
    body = {**REPLY, "content": [{"type": "text", "text": "x"}], "stop_reason": reason}
    assert parse_messages_reply(body).finish_reason == finish


@pytest.mark.parametrize(
    ("kind", "error"), [("overloaded_error", ServerError), ("rate_limit_error", RateLimitError)]
)
def test_an_error_body_is_raised_typed(kind: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_messages_reply({"type": "error", "error": {"type": kind, "message": "no"}})


# streams


def stream_of(reply: dict[str, Any]) -> list[dict[str, Any]]:
    from aihubmix_testing.emulator.messages_events import stream_events

    return [data for _, data in stream_events(reply)]


def accumulate(
    events: list[dict[str, Any]], request_id: str | None = "req-1"
) -> tuple[MessagesAccumulator, list[Any]]:
    accumulator = MessagesAccumulator(request_id)
    deltas = []
    for event in events:
        deltas += handle_event(accumulator, ServerSentEvent(json.dumps(event), event["type"]))
    return accumulator, deltas


def test_a_stream_ends_in_the_same_result_as_the_whole_reply() -> None:
    events = stream_of(REPLY)
    kinds = {event["type"] for event in events}
    assert {
        "message_start",
        "ping",
        "content_block_start",
        "content_block_delta",
        "message_delta",
        "message_stop",
    } <= kinds
    accumulator, deltas = accumulate(events)
    assert accumulator.result() == parse_messages_reply(REPLY, request_id="req-1")
    assert "".join(d.content for d in deltas) == "The answer: Paris."
    assert "".join(d.reasoning for d in deltas) == "Look it up."
    starts = [c for d in deltas for c in d.tool_calls if c.id]
    assert [(c.index, c.id, c.name) for c in starts] == [
        (0, "toolu_1", "get_weather"),
        (1, "toolu_2", "get_time"),
    ]
    assert [d.finish_reason for d in deltas if d.finish_reason] == ["tool_calls"]


def test_usage_from_message_start_and_message_delta_combine() -> None:
    events = [
        {
            "type": "message_start",
            "message": {
                "id": "m",
                "model": "claude",
                "usage": {"input_tokens": 7, "cache_read_input_tokens": 100, "output_tokens": 1},
            },
        },
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}},
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn"},
            "usage": {"output_tokens": 9},
        },
        {"type": "message_stop"},
    ]
    accumulator, deltas = accumulate(events)
    usage = accumulator.result().usage
    assert usage is not None and (
        usage.prompt_tokens,
        usage.completion_tokens,
        usage.cached_tokens,
    ) == (107, 9, 100)
    assert deltas[-1].usage == usage


def test_message_stop_without_a_stop_reason_still_finishes() -> None:
    accumulator, _ = accumulate(
        [{"type": "message_start", "message": {"id": "m"}}, {"type": "message_stop"}]
    )
    assert accumulator.result().finish_reason == "stop"


def test_an_error_event_keeps_the_partial_reply() -> None:
    events = stream_of({**REPLY, "content": [{"type": "text", "text": "Partial answer here"}]})
    cut = next(i for i, e in enumerate(events) if e["type"] == "content_block_delta")
    accumulator, _ = accumulate(events[: cut + 1])
    with pytest.raises(UpstreamStreamError) as caught:
        handle_event(
            accumulator,
            ServerSentEvent(
                json.dumps(
                    {
                        "type": "error",
                        "error": {"type": "overloaded_error", "message": "Overloaded"},
                    }
                ),
                "error",
            ),
        )
    assert caught.value.error_type == "overloaded_error"
    assert accumulator.snapshot().text == "Partial"


def test_a_stream_cut_short_is_incomplete() -> None:
    events = stream_of(REPLY)
    accumulator, _ = accumulate(events[:6])
    with pytest.raises(StreamIncompleteError):
        accumulator.result()


def test_pings_and_unknown_events_add_nothing() -> None:
    accumulator = MessagesAccumulator()
    assert accumulator.add({"type": "ping"}) == []
    assert (
        accumulator.add(
            {
                "type": "content_block_delta",
                "index": 9,
                "delta": {"type": "thinking_delta", "thinking": "x"},
            }
        )
        == []
    )
    assert accumulator.add({"type": "content_block_stop", "index": 9}) == []
