"""parse_chat_completion and parse_usage: lenient parsing of non-streamed replies."""

from __future__ import annotations

import json

import httpx
import pytest
from testkit import completion

from aihubmix_core import (
    APIResponseError,
    APIStatusError,
    ChatRequest,
    InsufficientQuotaError,
    Message,
    ModelNotAvailableError,
    RateLimitError,
    ServerError,
    parse_chat_completion,
    parse_usage,
)

REQUEST = ChatRequest(model="gpt-4o-mini", messages=[Message(role="user", content="Hi")])


def body_with_message(message: dict, **extra) -> dict:
    body = completion()
    body["choices"][0]["message"] = message
    body.update(extra)
    return body


def test_unknown_fields_are_ignored() -> None:
    body = completion(
        "ok",
        obfuscation="abc",
        x_groq={"id": "req"},
        prompt_filter_results=[{"x": 1}],
        service_tier="default",
    )
    body["choices"][0]["message"]["annotations"] = []
    body["choices"][0]["message"]["weird_field"] = {"a": 1}
    body["choices"][0]["content_filter_results"] = {}
    result = parse_chat_completion(body)
    assert result.text == "ok"
    assert result.service_tier == "default"
    assert result.extra["x_groq"] == {"id": "req"}
    assert result.message.extra == {"weird_field": {"a": 1}}


def test_basic_fields() -> None:
    body = completion("Hi there", model="gpt-4o-2024-08-06", system_fingerprint="fp_123")
    result = parse_chat_completion(body, request_id="req-9")
    assert result.id == "chatcmpl-1"
    assert result.model == "gpt-4o-2024-08-06"
    assert result.created == 1700000000
    assert result.system_fingerprint == "fp_123"
    assert result.finish_reason == "stop"
    assert result.request_id == "req-9"
    assert result.message.role == "assistant"
    assert result.usage is not None
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (5, 2)
    assert result.usage.total_tokens == 7


def test_content_as_typed_parts() -> None:
    body = body_with_message(
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "Let me think. "},
                {"type": "text", "text": "Hello "},
                {"type": "output_text", "text": "world"},
                "!",
                {"type": "image_url", "image_url": {"url": "https://x/y.png"}},
                {"type": "reasoning", "text": "More."},
            ],
        }
    )
    message = parse_chat_completion(body).message
    assert message.content == "Hello world!"
    assert message.reasoning_content == "Let me think. More."
    assert message.extra["content_parts"] == [
        {"type": "image_url", "image_url": {"url": "https://x/y.png"}}
    ]


def test_content_null_is_empty_text() -> None:
    body = body_with_message({"role": "assistant", "content": None})
    assert parse_chat_completion(body).text == ""


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_reasoning_text_from_either_field(field: str) -> None:
    body = body_with_message({"role": "assistant", "content": "42", field: "Because."})
    message = parse_chat_completion(body).message
    assert message.reasoning_content == "Because."
    assert message.content == "42"


def test_reasoning_details_kept_as_given() -> None:
    details = [
        {"type": "reasoning.text", "text": "step", "signature": "abc==", "format": "anthropic"},
        {"type": "reasoning.encrypted", "data": "xyz", "id": "r1"},
    ]
    body = body_with_message({"role": "assistant", "content": "ok", "reasoning_details": details})
    assert parse_chat_completion(body).message.reasoning_details == details


def test_tool_calls() -> None:
    body = body_with_message(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_a",
                    "type": "function",
                    "function": {"name": "weather", "arguments": '{"city": "Paris"}'},
                },
                # arguments as an object (some upstreams), and a missing id
                {"type": "function", "function": {"name": "time", "arguments": {"tz": "UTC"}}},
                {"type": "function", "function": {"name": "noop"}},
                "garbage",
            ],
        }
    )
    body["choices"][0]["finish_reason"] = "tool_calls"
    result = parse_chat_completion(body)
    calls = result.message.tool_calls
    assert [c.name for c in calls] == ["weather", "time", "noop"]
    assert calls[0].id == "call_a"
    assert calls[0].parsed_arguments() == {"city": "Paris"}
    assert calls[1].parsed_arguments() == {"tz": "UTC"}
    assert calls[1].id  # a stable id is made up when missing
    assert calls[2].arguments == "" and calls[2].parsed_arguments() == {}
    assert result.finish_reason == "tool_calls"


def test_several_choices() -> None:
    body = completion("a")
    body["choices"].append(
        {"index": 1, "message": {"role": "assistant", "content": "b"}, "finish_reason": "length"}
    )
    result = parse_chat_completion(body)
    assert [(c.index, c.message.content, c.finish_reason) for c in result.choices] == [
        (0, "a", "stop"),
        (1, "b", "length"),
    ]


def test_usage_openai_cached_and_reasoning() -> None:
    usage = parse_usage(
        {
            "prompt_tokens": 100,
            "completion_tokens": 50,
            "total_tokens": 150,
            "prompt_tokens_details": {"cached_tokens": 64},
            "completion_tokens_details": {"reasoning_tokens": 30},
        }
    )
    assert usage is not None
    assert (usage.cached_tokens, usage.reasoning_tokens) == (64, 30)
    assert usage.raw["prompt_tokens"] == 100


def test_usage_deepseek_cache_hit_tokens() -> None:
    usage = parse_usage(
        {
            "prompt_tokens": 339,
            "completion_tokens": 83,
            "total_tokens": 422,
            "prompt_cache_hit_tokens": 320,
            "prompt_cache_miss_tokens": 19,
        }
    )
    assert usage is not None and usage.cached_tokens == 320
    assert usage.reasoning_tokens is None


def test_usage_anthropic_style_and_missing_total() -> None:
    usage = parse_usage(
        {
            "input_tokens": 10,
            "output_tokens": 4,
            "cache_read_input_tokens": 8,
            "cache_creation_input_tokens": 2,
        }
    )
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (10, 4, 14)
    assert (usage.cached_tokens, usage.cache_write_tokens) == (8, 2)


def test_usage_total_beyond_prompt_plus_completion_is_kept() -> None:
    usage = parse_usage({"prompt_tokens": 291, "completion_tokens": 26, "total_tokens": 513})
    assert usage is not None and usage.total_tokens == 513


def test_usage_absent_or_invalid() -> None:
    assert parse_usage(None) is None
    assert parse_usage("12") is None
    usage = parse_usage({"prompt_tokens": True, "completion_tokens": 2.0})
    assert usage is not None and (usage.prompt_tokens, usage.completion_tokens) == (0, 2)
    assert parse_chat_completion(completion(usage=None)).usage is None


def test_usage_counts_of_infinity_or_nan_are_absent_not_a_crash() -> None:
    # Python's json module reads the non-standard Infinity and NaN; a count cannot be either.
    raw = json.loads('{"prompt_tokens": Infinity, "completion_tokens": NaN, "total_tokens": 5}')
    usage = parse_usage(raw)
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (0, 0, 5)


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ("5", 5),
        (" 7 ", 7),
        ("12.0", 12),
        ("9007199254740992", 9007199254740992),
        ("9007199254740993", None),
        (10**309, None),
        ("1" * 5000, None),
        ("5_000", None),
        ("n/a", None),
        (None, None),
        ("-3", None),
        (-3, None),
        ("Infinity", None),
        ("1e400", None),
        ("NaN", None),
        ("many", None),
        (True, None),
    ],
)
def test_usage_count_as_sent_or_absent(sent: object, read: int | None) -> None:
    # Counts in strings are read as numbers; a count that cannot be a number of tokens
    # (negative, beyond JSON's exact integers, not a plain number) is absent, never a crash.
    usage = parse_usage({"prompt_tokens": 1, "completion_tokens": 1, "reasoning_tokens": sent})
    assert usage is not None
    assert usage.reasoning_tokens == read


def test_error_object_in_200_body_raises_typed_error() -> None:
    with pytest.raises(RateLimitError) as info:
        parse_chat_completion(
            {"error": {"message": "Too many requests", "code": 429}}, request_id="req-1"
        )
    assert info.value.request_id == "req-1"
    with pytest.raises(InsufficientQuotaError):
        parse_chat_completion({"error": {"message": "quota", "code": "insufficient_user_quota"}})
    with pytest.raises(ServerError, match="boom"):
        parse_chat_completion({"error": "boom"})
    with pytest.raises(ModelNotAvailableError):
        parse_chat_completion(
            {"error": {"message": "Incorrect model ID foo (tid: 1)", "code": 400}}
        )


@pytest.mark.parametrize(
    "body",
    [
        {"id": "x", "choices": []},
        {"id": "x"},
        {"id": "x", "choices": None},
        {"id": "x", "choices": "nope"},
    ],
)
def test_no_choices_is_api_response_error(body: dict) -> None:
    with pytest.raises(APIResponseError, match="no choices") as info:
        parse_chat_completion(body)
    assert info.value.body == body


@pytest.mark.parametrize("body", ["just text", ["a", "list"], 42, None])
def test_non_object_body_is_api_response_error(body) -> None:
    with pytest.raises(APIResponseError):
        parse_chat_completion(body)


def test_request_id_from_header_via_client(make_client) -> None:
    client = make_client(
        lambda r: httpx.Response(200, json=completion(), headers={"x-request-id": "req-abc"})
    )
    assert client.chat(REQUEST).request_id == "req-abc"


def test_non_json_200_body_via_client(make_client) -> None:
    client = make_client(lambda r: httpx.Response(200, text="Service temporarily unavailable"))
    with pytest.raises(APIResponseError) as info:
        client.chat(REQUEST)
    assert "Service temporarily unavailable" in str(info.value)
    assert "AIHUBMIX_BASE_URL" in str(info.value)


def test_error_in_200_body_via_client(make_client) -> None:
    client = make_client(
        lambda r: httpx.Response(
            200,
            json={"error": {"message": "upstream exploded", "type": "upstream_error"}},
            headers={"x-request-id": "req-e"},
        )
    )
    with pytest.raises(APIStatusError) as info:
        client.chat(REQUEST)
    assert info.value.request_id == "req-e"
    assert "upstream exploded" in str(info.value)


def test_odd_shapes_are_tolerated() -> None:
    body = completion()
    body["choices"] = [
        "not a choice",
        {
            "index": 1,
            "message": {
                "role": "assistant",
                "content": [{"type": "text", "text": "a"}, 7, None],
                "function_call": {"name": "legacy", "arguments": "{}"},
            },
        },
    ]
    result = parse_chat_completion(body)
    (choice,) = result.choices
    assert choice.message.content == "a"
    assert choice.message.extra["content_parts"] == [7, None]
    assert choice.message.extra["function_call"] == {"name": "legacy", "arguments": "{}"}
    weird = completion()
    weird["choices"][0]["message"]["content"] = {"type": "text", "text": "dict content"}
    message = parse_chat_completion(weird).message
    assert message.content == ""
    assert message.extra["content_parts"] == [{"type": "text", "text": "dict content"}]
    assert Message(role="assistant").text == ""
