"""The Responses route's pure pieces: the request body from core types, a whole reply and
a stream of ``response.*`` events as the same ``ChatResult``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aihubmix_core import (
    ChatRequest,
    FilePart,
    ImagePart,
    Message,
    ResponsesAccumulator,
    ServerError,
    TextPart,
    Tool,
    ToolCall,
    UpstreamStreamError,
    parse_responses_reply,
    responses_payload,
)
from aihubmix_core._http.sse import ServerSentEvent
from aihubmix_core.chat.stream import handle_event
from aihubmix_core.errors import ConfigurationError, StreamIncompleteError

WEATHER = Tool(
    "get_weather",
    "Current weather for a city.",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


def request(*messages: Message, **fields: Any) -> ChatRequest:
    fields.setdefault("model", "gpt-4o-mini")
    return ChatRequest(messages=list(messages) or [Message("user", "hi")], **fields)


# request


def test_leading_system_text_becomes_instructions_and_the_rest_input_items() -> None:
    body = responses_payload(
        request(
            Message("system", "Be brief."),
            Message("developer", [TextPart("Answer in French.")]),
            Message("user", [TextPart("Look:"), ImagePart("https://x/cat.png", "low")]),
            Message(
                "assistant",
                "Un chat.",
                tool_calls=[ToolCall("c1", "get_weather", '{"city":"Paris"}')],
            ),
            Message("tool", "sunny", tool_call_id="c1"),
            Message("system", "Later system text stays an item."),
        )
    )
    assert body["instructions"] == "Be brief.\n\nAnswer in French."
    assert body["input"] == [
        {
            "role": "user",
            "content": [
                {"type": "input_text", "text": "Look:"},
                {"type": "input_image", "image_url": "https://x/cat.png", "detail": "low"},
            ],
        },
        {"role": "assistant", "content": "Un chat."},
        {
            "type": "function_call",
            "call_id": "c1",
            "name": "get_weather",
            "arguments": '{"city":"Paris"}',
        },
        {"type": "function_call_output", "call_id": "c1", "output": "sunny"},
        {"role": "system", "content": "Later system text stays an item."},
    ]
    assert body["store"] is False
    assert "include" not in body  # not a reasoning model: the API refuses encrypted content


def test_files_and_tool_results_with_parts() -> None:
    body = responses_payload(
        request(
            Message(
                "user", [FilePart(data="JVBERi0=", filename="a.pdf"), FilePart(file_id="file-1")]
            ),
            Message(
                "tool",
                [TextPart("see"), ImagePart("data:image/png;base64,AA==")],
                tool_call_id="c9",
            ),
        )
    )
    assert body["input"][0]["content"] == [
        {
            "type": "input_file",
            "file_data": "data:application/pdf;base64,JVBERi0=",
            "filename": "a.pdf",
        },
        {"type": "input_file", "file_id": "file-1"},
    ]
    assert body["input"][1]["output"] == [
        {"type": "input_text", "text": "see"},
        {"type": "input_image", "image_url": "data:image/png;base64,AA==", "detail": "auto"},
    ]


def test_tools_in_every_shape_become_flat_function_tools_and_built_ins_pass() -> None:
    chat_shape = {
        "type": "function",
        "function": {
            "name": "f",
            "description": "d",
            "parameters": {"type": "object"},
            "strict": True,
        },
    }
    anthropic_shape = {"name": "g", "input_schema": {"type": "object", "properties": {}}}
    body = responses_payload(
        request(
            tools=[WEATHER, chat_shape, anthropic_shape, {"type": "web_search"}],
            tool_choice={"type": "function", "function": {"name": "f"}},
        )
    )
    assert body["tools"] == [
        {
            "type": "function",
            "name": "get_weather",
            "description": "Current weather for a city.",
            "parameters": WEATHER.parameters,
        },
        {
            "type": "function",
            "name": "f",
            "description": "d",
            "parameters": {"type": "object"},
            "strict": True,
        },
        {"type": "function", "name": "g", "parameters": {"type": "object", "properties": {}}},
        {"type": "web_search"},
    ]
    assert body["tool_choice"] == {"type": "function", "name": "f"}


@pytest.mark.parametrize(
    ("choice", "sent"),
    [
        ("auto", "auto"),
        ("none", "none"),
        ("required", "required"),
        ("any", "required"),
        ("get_weather", {"type": "function", "name": "get_weather"}),
        ({"type": "web_search"}, {"type": "web_search"}),
    ],
)
def test_tool_choice_forms(choice: Any, sent: Any) -> None:
    assert responses_payload(request(tools=[WEATHER], tool_choice=choice))["tool_choice"] == sent


def test_tool_choice_and_parallel_calls_are_dropped_without_tools() -> None:
    body = responses_payload(request(tool_choice="required", params={"parallel_tool_calls": False}))
    assert "tool_choice" not in body and "parallel_tool_calls" not in body


def test_structured_output_goes_in_text_format() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    body = responses_payload(
        request(
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "A", "schema": schema, "strict": True},
            },
            params={"verbosity": "low"},
        )
    )
    assert body["text"] == {
        "format": {"type": "json_schema", "name": "A", "schema": schema, "strict": True},
        "verbosity": "low",
    }
    assert responses_payload(request(response_format={"type": "json_object"}))["text"] == {
        "format": {"type": "json_object"}
    }


def test_reasoning_models_get_effort_summary_and_encrypted_reasoning() -> None:
    body = responses_payload(request(model="gpt-5-mini", reasoning_effort="low"))
    assert body["reasoning"] == {"effort": "low", "summary": "auto"}
    assert body["store"] is False
    assert body["include"] == ["reasoning.encrypted_content"]
    detailed = responses_payload(
        request(
            model="o3-pro",
            reasoning={"effort": "high", "summary": "detailed"},
            params={"include": ["file_search_call.results"]},
        )
    )
    assert detailed["reasoning"] == {"effort": "high", "summary": "detailed"}
    assert detailed["include"] == ["file_search_call.results", "reasoning.encrypted_content"]
    none = responses_payload(request(model="gpt-5", reasoning_effort="none"))
    assert none["reasoning"] == {"effort": "none"}


def test_stored_responses_and_previous_response_id_pass_through() -> None:
    body = responses_payload(
        request(model="gpt-5", params={"store": True, "previous_response_id": "resp_1"})
    )
    assert body["store"] is True and body["previous_response_id"] == "resp_1"
    assert "include" not in body  # the server keeps the reasoning itself


def test_chat_only_parameters_are_translated_or_left_out() -> None:
    body = responses_payload(
        request(
            max_tokens=50,
            params={
                "temperature": 0.1,
                "stop": ["x"],
                "n": 1,
                "seed": 3,
                "presence_penalty": 0.5,
                "top_p": 0.9,
                "user": "u1",
                "metadata": {"k": "v"},
                "web_search_options": {
                    "search_context_size": "low",
                    "user_location": {"type": "approximate", "approximate": {"city": "Paris"}},
                },
            },
        ),
        stream=True,
    )
    assert body["max_output_tokens"] == 50
    for name in ("stop", "n", "seed", "presence_penalty", "max_tokens", "web_search_options"):
        assert name not in body
    assert body["temperature"] == 0.1 and body["top_p"] == 0.9 and body["user"] == "u1"
    assert body["tools"] == [
        {
            "type": "web_search",
            "search_context_size": "low",
            "user_location": {"type": "approximate", "city": "Paris"},
        }
    ]
    assert body["stream"] is True


def test_extra_body_last_and_disabled_parameters_dropped() -> None:
    body = responses_payload(
        request(
            params={"temperature": 0.3},
            extra_body={"service_tier": "flex", "store": True},
            disabled_params={"temperature": None},
        )
    )
    assert body["service_tier"] == "flex" and body["store"] is True
    assert "temperature" not in body


def test_reasoning_of_earlier_turns_goes_back_as_items() -> None:
    details = [
        {
            "type": "reasoning.encrypted",
            "data": "gAAA-enc",
            "summary": "I thought.",
            "id": "rs_1",
            "format": "openai-responses-v1",
            "index": 0,
        },
        {
            "type": "reasoning.summary",
            "summary": "no content",
            "id": "rs_2",
            "format": "openai-responses-v1",
            "index": 1,
        },
        {
            "type": "reasoning.text",
            "text": "claude's",
            "signature": "sig",
            "format": "anthropic-claude-v1",
            "index": 2,
        },
    ]
    turn = Message(
        "assistant",
        None,
        tool_calls=[ToolCall("c1", "get_weather", "{}")],
        reasoning_details=details,
    )
    body = responses_payload(
        request(Message("user", "q"), turn, Message("tool", "r", tool_call_id="c1"), model="gpt-5")
    )
    assert body["input"][1] == {
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": "I thought."}],
        "id": "rs_1",
        "encrypted_content": "gAAA-enc",
    }
    assert body["input"][2]["type"] == "function_call"  # rs_2 has nothing to send without store
    stored = responses_payload(
        request(Message("user", "q"), turn, model="gpt-5", params={"store": True})
    )
    assert [item.get("id") for item in stored["input"][1:3]] == ["rs_1", "rs_2"]


def test_a_request_needs_a_model_and_messages() -> None:
    with pytest.raises(ConfigurationError):
        responses_payload(ChatRequest(model="", messages=[Message("user", "x")]))
    with pytest.raises(ConfigurationError):
        responses_payload(ChatRequest(model="gpt-5", messages=[]))


# replies

USAGE = {
    "input_tokens": 40,
    "input_tokens_details": {"cached_tokens": 12},
    "output_tokens": 30,
    "output_tokens_details": {"reasoning_tokens": 8},
    "total_tokens": 70,
}
REPLY: dict[str, Any] = {
    "id": "resp_1",
    "object": "response",
    "created_at": 1770000000,
    "model": "gpt-5-2025-08-07",
    "status": "completed",
    "service_tier": "default",
    "output": [
        {
            "id": "rs_1",
            "type": "reasoning",
            "summary": [
                {"type": "summary_text", "text": "First."},
                {"type": "summary_text", "text": "Second."},
            ],
            "encrypted_content": "gAAA",
        },
        {
            "id": "ws_1",
            "type": "web_search_call",
            "status": "completed",
            "action": {"type": "search", "query": "q"},
        },
        {
            "id": "ig_1",
            "type": "image_generation_call",
            "status": "completed",
            "output_format": "webp",
            "result": "UklGR",
        },
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "status": "completed",
            "content": [
                {
                    "type": "output_text",
                    "text": "Paris.",
                    "annotations": [
                        {
                            "type": "url_citation",
                            "url": "https://w/p",
                            "title": "P",
                            "start_index": 0,
                            "end_index": 6,
                        },
                        {"type": "file_citation", "file_id": "f"},
                    ],
                },
            ],
        },
        {
            "id": "fc_1",
            "type": "function_call",
            "call_id": "call_1",
            "name": "get_weather",
            "arguments": '{"city":"Paris"}',
            "status": "completed",
        },
        {
            "id": "fc_2",
            "type": "function_call",
            "call_id": "call_2",
            "name": "get_time",
            "arguments": "{}",
            "status": "completed",
        },
    ],
    "usage": USAGE,
}


def test_a_whole_reply_parses_to_the_chat_result_shape() -> None:
    result = parse_responses_reply(REPLY, request_id="req-1")
    assert (result.id, result.model, result.created, result.request_id, result.service_tier) == (
        "resp_1",
        "gpt-5-2025-08-07",
        1770000000,
        "req-1",
        "default",
    )
    message = result.message
    assert message.text == "Paris."
    assert message.reasoning_content == "First.\n\nSecond."
    assert [(c.id, c.name, c.arguments) for c in message.tool_calls] == [
        ("call_1", "get_weather", '{"city":"Paris"}'),
        ("call_2", "get_time", "{}"),
    ]
    assert result.finish_reason == "tool_calls"
    assert message.reasoning_details == [
        {
            "type": "reasoning.encrypted",
            "data": "gAAA",
            "summary": "First.\n\nSecond.",
            "id": "rs_1",
            "format": "openai-responses-v1",
            "index": 0,
        }
    ]
    assert message.extra["annotations"] == [
        {
            "type": "url_citation",
            "url_citation": {"url": "https://w/p", "start_index": 0, "end_index": 6, "title": "P"},
        }
    ]
    assert message.extra["images"] == [
        {"type": "image_url", "image_url": {"url": "data:image/webp;base64,UklGR"}}
    ]
    kinds = [item["type"] for item in message.extra["server_tool_calls"]]
    assert kinds == ["web_search_call", "image_generation_call"]
    assert "result" not in message.extra["server_tool_calls"][1]
    usage = result.usage
    assert usage is not None
    assert (
        usage.prompt_tokens,
        usage.completion_tokens,
        usage.total_tokens,
        usage.cached_tokens,
        usage.reasoning_tokens,
    ) == (40, 30, 70, 12, 8)


def test_an_incomplete_reply_finishes_by_length() -> None:
    body = {
        **REPLY,
        "status": "incomplete",
        "incomplete_details": {"reason": "max_output_tokens"},
        "output": REPLY["output"][3:4],
    }
    assert parse_responses_reply(body).finish_reason == "length"
    body["incomplete_details"] = {"reason": "content_filter"}
    assert parse_responses_reply(body).finish_reason == "content_filter"


def test_a_refusal_is_kept() -> None:
    refusal = {
        "type": "message",
        "role": "assistant",
        "content": [{"type": "refusal", "refusal": "I can't."}],
    }
    result = parse_responses_reply({**REPLY, "output": [refusal]})
    assert result.message.extra["refusal"] == "I can't." and result.finish_reason == "stop"


def test_an_error_in_a_reply_is_raised_typed() -> None:
    with pytest.raises(ServerError) as caught:
        parse_responses_reply(
            {**REPLY, "status": "failed", "error": {"code": "server_error", "message": "boom"}}
        )
    assert caught.value.upstream_message == "boom"


# streams


def _event(data: dict[str, Any]) -> ServerSentEvent:
    return ServerSentEvent(json.dumps(data), data["type"])


def stream_of(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """The events OpenAI streams for a finished reply (as the emulator renders them)."""
    from aihubmix_testing.emulator.responses_events import stream_events

    return [data for _, data in stream_events(reply)]


def accumulate(events: list[dict[str, Any]]) -> tuple[ResponsesAccumulator, list[Any]]:
    accumulator = ResponsesAccumulator("req-1")
    deltas = []
    for event in events:
        deltas += handle_event(accumulator, _event(event))
    return accumulator, deltas


def test_a_stream_ends_in_the_same_result_as_the_whole_reply() -> None:
    accumulator, deltas = accumulate(stream_of(REPLY))
    whole = parse_responses_reply(REPLY, request_id="req-1")
    assert accumulator.result() == whole
    assert "".join(d.content for d in deltas) == "Paris."
    assert "".join(d.reasoning for d in deltas) == "First.\n\nSecond."
    starts = [c for d in deltas for c in d.tool_calls if c.id]
    assert [(c.index, c.id, c.name) for c in starts] == [
        (0, "call_1", "get_weather"),
        (1, "call_2", "get_time"),
    ]
    assert (
        "".join(c.arguments for d in deltas for c in d.tool_calls if c.index == 0)
        == '{"city":"Paris"}'
    )
    final = deltas[-1]
    assert final.finish_reason == "tool_calls" and final.usage == whole.usage


def test_function_arguments_come_from_the_done_item_when_no_delta_came() -> None:
    item = REPLY["output"][4]
    events = [
        {"type": "response.created", "response": {"id": "resp_1", "model": "m"}},
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {**item, "arguments": ""},
        },
        {"type": "response.output_item.done", "output_index": 0, "item": item},
        {
            "type": "response.completed",
            "response": {"id": "resp_1", "status": "completed", "usage": USAGE},
        },
    ]
    accumulator, _ = accumulate(events)
    assert accumulator.result().message.tool_calls[0].arguments == '{"city":"Paris"}'
    assert accumulator.tool_calls(0)[0].id == "call_1"


@pytest.mark.parametrize(
    "failure",
    [
        {
            "type": "response.failed",
            "response": {
                "id": "resp_1",
                "status": "failed",
                "error": {"code": "server_error", "message": "overloaded"},
            },
        },
        {"type": "error", "code": "rate_limit_exceeded", "message": "overloaded", "param": None},
    ],
)
def test_a_failure_inside_the_stream_keeps_the_partial_reply(failure: dict[str, Any]) -> None:
    events = stream_of(REPLY)
    cut = next(i for i, e in enumerate(events) if e["type"] == "response.output_text.delta")
    accumulator = ResponsesAccumulator()
    for event in events[: cut + 1]:
        handle_event(accumulator, _event(event))
    with pytest.raises(UpstreamStreamError) as caught:
        handle_event(accumulator, _event(failure))
    assert "overloaded" in str(caught.value)
    assert caught.value.code in ("server_error", "rate_limit_exceeded")
    assert accumulator.snapshot().text == "Paris."


def test_an_error_event_named_by_sse_only_is_raised_too() -> None:
    accumulator = ResponsesAccumulator()
    with pytest.raises(UpstreamStreamError):
        handle_event(
            accumulator, ServerSentEvent('{"code": "server_error", "message": "x"}', "error")
        )


def test_a_stream_cut_before_completion_is_incomplete() -> None:
    events = stream_of(REPLY)[:-1]
    accumulator, _ = accumulate(events)
    with pytest.raises(StreamIncompleteError) as caught:
        accumulator.result()
    assert caught.value.partial is not None and caught.value.partial.text == "Paris."


def test_unknown_events_and_progress_reports_add_nothing() -> None:
    accumulator = ResponsesAccumulator()
    for kind in (
        "response.queued",
        "response.web_search_call.searching",
        "response.audio.delta",
        "keepalive",
    ):
        assert accumulator.add({"type": kind}) == []
