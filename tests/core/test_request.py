"""ChatRequest.to_payload: the JSON body of POST /chat/completions."""

from __future__ import annotations

import base64
import copy

import pytest

from aihubmix_core import (
    ChatRequest,
    ConfigurationError,
    ImagePart,
    Message,
    RawPart,
    TextPart,
    Tool,
    ToolCall,
    message_to_wire,
    tool_to_wire,
    uses_max_completion_tokens,
)

USER = Message(role="user", content="Hi")
WEATHER = Tool(
    name="weather",
    description="Weather for a city",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}},
)


def payload(**kwargs) -> dict:
    stream = kwargs.pop("stream", False)
    kwargs.setdefault("model", "gpt-4o-mini")
    kwargs.setdefault("messages", [USER])
    return ChatRequest(**kwargs).to_payload(stream=stream)


def test_text_messages() -> None:
    body = payload(
        messages=[
            Message(role="system", content="Be brief."),
            Message(role="user", content="Hi", name="ann"),
            Message(role="assistant", content="Hello"),
        ],
        params={"temperature": 0.2, "seed": 7, "stop": None},
    )
    assert body == {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hi", "name": "ann"},
            {"role": "assistant", "content": "Hello"},
        ],
        "temperature": 0.2,
        "seed": 7,  # None-valued params are not sent
    }


def test_images_by_url_and_base64() -> None:
    raw = b"\x89PNG fake"
    message = Message(
        role="user",
        content=[
            TextPart("What is this?"),
            ImagePart("https://example.com/cat.png", detail="low"),
            ImagePart.from_base64(raw, mime_type="image/png"),
            ImagePart.from_base64("QUJD", mime_type="image/jpeg", detail="high"),
            RawPart({"type": "input_audio", "input_audio": {"data": "AAA", "format": "wav"}}),
        ],
    )
    (wire,) = payload(messages=[message])["messages"]
    assert wire["content"] == [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}},
        {
            "type": "image_url",
            "image_url": {"url": "data:image/png;base64," + base64.b64encode(raw).decode()},
        },
        {
            "type": "image_url",
            "image_url": {"url": "data:image/jpeg;base64,QUJD", "detail": "high"},
        },
        {"type": "input_audio", "input_audio": {"data": "AAA", "format": "wav"}},
    ]
    assert message.text == "What is this?"


def test_tool_loop_messages() -> None:
    call = ToolCall(id="call_1", name="weather", arguments='{"city": "Paris"}')
    messages = [
        USER,
        Message(role="assistant", content=None, tool_calls=[call, ToolCall("call_2", "noop")]),
        Message(role="tool", content="18C, sunny", tool_call_id="call_1"),
        Message(role="tool", content=None, tool_call_id="call_2"),
    ]
    wire = payload(messages=messages, tools=[WEATHER])["messages"]
    assert wire[1] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "weather", "arguments": '{"city": "Paris"}'},
            },
            # empty arguments go out as an empty JSON object
            {"id": "call_2", "type": "function", "function": {"name": "noop", "arguments": "{}"}},
        ],
    }
    assert wire[2] == {"role": "tool", "content": "18C, sunny", "tool_call_id": "call_1"}
    assert wire[3] == {"role": "tool", "content": "", "tool_call_id": "call_2"}


def test_tools_from_dataclass_and_raw_dict() -> None:
    raw = {
        "type": "function",
        "function": {"name": "lookup", "parameters": {"type": "object", "properties": {}}},
    }
    body = payload(
        tools=[WEATHER, raw, Tool(name="strict_one", strict=True)],
        tool_choice="required",
        params={"parallel_tool_calls": False},
    )
    assert body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "weather",
                "parameters": WEATHER.parameters,
                "description": "Weather for a city",
            },
        },
        raw,
        {
            "type": "function",
            "function": {
                "name": "strict_one",
                "parameters": {"type": "object", "properties": {}},
                "strict": True,
            },
        },
    ]
    assert body["tool_choice"] == "required"
    assert body["parallel_tool_calls"] is False
    assert tool_to_wire(raw) is not raw  # a copy, the caller's dict is untouched


@pytest.mark.parametrize("tools", [None, []])
def test_tool_choice_and_parallel_calls_dropped_without_tools(tools) -> None:
    body = payload(
        tools=tools,
        tool_choice={"type": "function", "function": {"name": "weather"}},
        params={"tool_choice": "auto", "parallel_tool_calls": True},
    )
    assert "tools" not in body
    assert "tool_choice" not in body
    assert "parallel_tool_calls" not in body


def test_response_format() -> None:
    schema = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    assert payload(response_format=schema)["response_format"] == schema
    assert "response_format" not in payload()


def test_stream_includes_usage_by_default() -> None:
    body = payload(stream=True)
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    off = payload(stream=True, include_usage=False)
    assert off["stream"] is True
    assert "stream_options" not in off
    plain = payload()
    assert "stream" not in plain and "stream_options" not in plain


def test_reasoning_options() -> None:
    body = payload(model="o3-mini", reasoning_effort="high", reasoning={"max_tokens": 2048})
    assert body["reasoning_effort"] == "high"
    assert body["reasoning"] == {"max_tokens": 2048}
    assert "reasoning_effort" not in payload() and "reasoning" not in payload()


@pytest.mark.parametrize(
    "model",
    [
        "o1",
        "o1-mini",
        "o3",
        "o3-mini",
        "o4-mini",
        "o4-mini-2025-04-16",
        "gpt-5",
        "gpt-5-mini",
        "gpt-5.1",
        "GPT-5-nano",
        "openai/o3",
    ],
)
def test_max_completion_tokens_for_reasoning_families(model: str) -> None:
    assert uses_max_completion_tokens(model)
    body = payload(model=model, max_tokens=512)
    assert body["max_completion_tokens"] == 512
    assert "max_tokens" not in body


@pytest.mark.parametrize(
    "model",
    [
        "gpt-4o",
        "gpt-4o-mini",
        "gpt-4.1",
        "claude-sonnet-4-5",
        "deepseek-chat",
        "gemini-2.5-flash",
        "qwen3-235b",
        "ollama",
        "grok-4",
    ],
)
def test_max_tokens_kept_for_other_models(model: str) -> None:
    assert not uses_max_completion_tokens(model)
    body = payload(model=model, max_tokens=512)
    assert body["max_tokens"] == 512
    assert "max_completion_tokens" not in body


def test_extra_body_merged_at_top_level() -> None:
    body = payload(
        params={"temperature": 1.0},
        extra_body={"web_search_options": {}, "temperature": 0.1, "thinking": {"type": "enabled"}},
    )
    assert body["web_search_options"] == {}
    assert body["thinking"] == {"type": "enabled"}
    assert body["temperature"] == 0.1  # the caller's extra_body wins
    assert "extra_body" not in body


def test_disabled_params_by_name_list() -> None:
    body = payload(
        params={"temperature": 0.5, "top_p": 0.9}, disabled_params=["temperature", "absent"]
    )
    assert "temperature" not in body
    assert body["top_p"] == 0.9


def test_disabled_params_mapping_none_drops_always() -> None:
    body = payload(params={"temperature": 0.5, "seed": 1}, disabled_params={"seed": None})
    assert "seed" not in body
    assert body["temperature"] == 0.5


def test_disabled_params_mapping_values_drop_only_those_values() -> None:
    disabled = {"parallel_tool_calls": [False], "temperature": [0.0]}
    kept = payload(
        tools=[WEATHER],
        params={"parallel_tool_calls": True, "temperature": 0.7},
        disabled_params=disabled,
    )
    assert kept["parallel_tool_calls"] is True
    assert kept["temperature"] == 0.7
    dropped = payload(
        tools=[WEATHER],
        params={"parallel_tool_calls": False, "temperature": 0.0},
        disabled_params=disabled,
    )
    assert "parallel_tool_calls" not in dropped
    assert "temperature" not in dropped


def test_disabled_params_apply_to_extra_body_and_tool_choice() -> None:
    body = payload(
        tools=[WEATHER],
        tool_choice="auto",
        extra_body={"logit_bias": {"1": 2}},
        disabled_params=["tool_choice", "logit_bias"],
    )
    assert "tool_choice" not in body
    assert "logit_bias" not in body
    assert "tools" in body


def test_assistant_reasoning_fields_carried_back_verbatim() -> None:
    details = [
        {"type": "reasoning.text", "text": "think", "signature": "sig==", "index": 0},
        {"type": "reasoning.encrypted", "data": "opaque", "index": 1},
    ]
    assistant = Message(
        role="assistant",
        content="",
        tool_calls=[ToolCall("call_1", "weather", '{"city":"Oslo"}')],
        reasoning_content="I should call weather.",
        reasoning_details=details,
    )
    wire = payload(messages=[USER, assistant], tools=[WEATHER])["messages"][1]
    assert wire["reasoning_content"] == "I should call weather."
    assert wire["reasoning_details"] == details
    assert wire["content"] is None


def test_reasoning_fields_only_on_assistant_messages() -> None:
    user = Message(role="user", content="x", reasoning_content="no", reasoning_details=[{}])
    wire = message_to_wire(user)
    assert "reasoning_content" not in wire and "reasoning_details" not in wire


def test_message_extra_is_sent_but_never_overrides() -> None:
    message = Message(
        role="assistant", content="hi", extra={"prefix": True, "role": "system", "content": "x"}
    )
    wire = message_to_wire(message)
    assert wire == {"role": "assistant", "content": "hi", "prefix": True}


def test_caller_messages_are_not_mutated() -> None:
    details = [{"type": "reasoning.text", "text": "a", "index": 0}]
    messages = [
        Message(role="system", content="sys"),
        Message(
            role="user",
            content=[TextPart("look"), ImagePart.from_base64(b"img"), RawPart({"type": "file"})],
        ),
        Message(
            role="assistant",
            content=None,
            tool_calls=[ToolCall("c1", "weather", "")],
            reasoning_content="r",
            reasoning_details=details,
            extra={"x": 1},
        ),
        Message(role="tool", content="ok", tool_call_id="c1"),
    ]
    tools = [WEATHER, {"type": "function", "function": {"name": "raw"}}]
    before = copy.deepcopy((messages, tools))
    request = ChatRequest(
        model="o3",
        messages=messages,
        tools=tools,
        max_tokens=10,
        disabled_params=["temperature"],
        extra_body={"temperature": 1},
    )
    first = request.to_payload(stream=True)
    # mutate the payload as a later stage might: the caller's objects must not change
    first["messages"][1]["content"].append({"type": "text", "text": "injected"})
    first["messages"][2]["tool_calls"].clear()
    first["tools"][1]["function"] = {}
    assert (messages, tools) == before
    assert request.to_payload(stream=True)["messages"][2]["tool_calls"][0]["id"] == "c1"


def test_empty_model_or_messages_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="model"):
        ChatRequest(model="", messages=[USER]).to_payload()
    with pytest.raises(ConfigurationError, match="message"):
        ChatRequest(model="gpt-4o", messages=[]).to_payload()


def test_disabled_params_mapping_for_absent_names_is_harmless() -> None:
    body = payload(disabled_params={"temperature": None, "stop": ["x"]})
    assert body == payload()


def test_max_tokens_given_in_params_is_renamed_for_reasoning_families() -> None:
    message = Message(role="user", content="hi")
    payload = ChatRequest(
        model="o3-mini", messages=[message], params={"max_tokens": 9}
    ).to_payload()
    assert payload["max_completion_tokens"] == 9 and "max_tokens" not in payload
    payload = ChatRequest(model="gpt-4o", messages=[message], params={"max_tokens": 9}).to_payload()
    assert payload["max_tokens"] == 9 and "max_completion_tokens" not in payload
