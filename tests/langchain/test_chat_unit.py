"""ChatAIHubMix against a mock transport: what goes over the wire, what comes back."""

from __future__ import annotations

import json
import warnings
from typing import Any

import httpx
import pytest
from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelInvalidRequestError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
)
from langchain_core.load import dumpd, dumps, load
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from pydantic import BaseModel
from testkit import KEY

import aihubmix_core
from langchain_aihubmix import (
    AIHubMixContextOverflowError,
    AIHubMixInsufficientQuotaError,
    AIHubMixStreamInterruptedError,
    ChatAIHubMix,
)

REPLY = {
    "id": "chatcmpl-1",
    "model": "gpt-4o-mini-2024-07-18",
    "system_fingerprint": "fp_1",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "Hi!"}, "finish_reason": "stop"}
    ],
    "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12},
}


def _chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-2",
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }


USAGE_CHUNK = {
    "id": "chatcmpl-2",
    "model": "gpt-4o-mini",
    "choices": [],
    "usage": {
        "prompt_tokens": 2000,
        "completion_tokens": 30,
        "total_tokens": 2030,
        "prompt_tokens_details": {"cached_tokens": 1536},
        "completion_tokens_details": {"reasoning_tokens": 10},
    },
}


def _sum(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    total = chunks[0]
    for chunk in chunks[1:]:
        total = total + chunk
    return total


# requests


def test_settings_and_call_arguments_reach_the_request(mock_chat: Any) -> None:
    model, sent = mock_chat(
        body=REPLY,
        temperature=0.2,
        top_p=0.9,
        seed=7,
        stop=["END"],
        max_tokens=64,
        frequency_penalty=0.1,
        presence_penalty=0.2,
        logprobs=True,
        top_logprobs=2,
        reasoning_effort="low",
        model_kwargs={"user": "u-1"},
        extra_body={"provider": {"sort": "price"}},
    )
    model.invoke("hello", temperature=0.5, service_tier="flex")
    body = sent.last
    assert body["model"] == "gpt-4o-mini"
    assert body["messages"] == [{"role": "user", "content": "hello"}]
    assert body["temperature"] == 0.5
    assert (body["top_p"], body["seed"], body["stop"], body["max_tokens"]) == (0.9, 7, ["END"], 64)
    assert (body["frequency_penalty"], body["presence_penalty"]) == (0.1, 0.2)
    assert (body["logprobs"], body["top_logprobs"]) == (True, 2)
    assert body["reasoning_effort"] == "low"
    assert body["user"] == "u-1" and body["service_tier"] == "flex"
    assert body["provider"] == {"sort": "price"}
    assert "stream" not in body


def test_per_call_model_override(mock_chat: Any) -> None:
    model, sent = mock_chat(body=REPLY)
    model.invoke("hi", model="claude-sonnet-4-5")
    assert sent.last["model"] == "claude-sonnet-4-5"
    assert model._get_ls_params(model="claude-sonnet-4-5")["ls_model_name"] == "claude-sonnet-4-5"


def test_max_tokens_becomes_max_completion_tokens_for_reasoning_models(mock_chat: Any) -> None:
    model, sent = mock_chat(body=REPLY, model="o3-mini", max_tokens=100)
    model.invoke("hi")
    assert sent.last["max_completion_tokens"] == 100 and "max_tokens" not in sent.last


def test_disabled_params_are_never_sent(mock_chat: Any) -> None:
    model, sent = mock_chat(
        body=REPLY, temperature=0, seed=3, disabled_params={"temperature": None}
    )
    model.invoke("hi")
    assert "temperature" not in sent.last and sent.last["seed"] == 3


def test_headers_app_code_only_when_configured(mock_chat: Any) -> None:
    model, sent = mock_chat(body=REPLY, default_headers={"X-Trace": "t1"})
    model.invoke("hi")
    assert sent.headers[-1]["authorization"] == f"Bearer {KEY}"
    assert sent.headers[-1]["x-trace"] == "t1"
    assert "app-code" not in sent.headers[-1]
    model, sent = mock_chat(body=REPLY, app_code="APP123")
    model.invoke("hi")
    assert sent.headers[-1]["app-code"] == "APP123"


def test_unknown_init_arguments_move_to_model_kwargs_with_a_warning(mock_chat: Any) -> None:
    with pytest.warns(UserWarning, match="logit_bias"):
        model, sent = mock_chat(body=REPLY, logit_bias={"50256": -100})
    assert model.model_kwargs == {"logit_bias": {"50256": -100}}
    model.invoke("hi")
    assert sent.last["logit_bias"] == {"50256": -100}


def test_known_parameters_in_model_kwargs_are_refused() -> None:
    with pytest.raises(ValueError, match="temperature must be given as ChatAIHubMix parameters"):
        ChatAIHubMix(model="gpt-4o-mini", model_kwargs={"temperature": 0})


def test_missing_key_names_the_environment_variable() -> None:
    model = ChatAIHubMix(model="gpt-4o-mini")
    with pytest.raises(aihubmix_core.MissingAPIKeyError, match="AIHUBMIX_API_KEY"):
        model.invoke("hi")


def test_streaming_more_than_one_completion_is_refused(mock_chat: Any) -> None:
    model, _ = mock_chat(chunks=[_chunk({"content": "x"}, "stop")], n=2)
    with pytest.raises(ValueError, match="n must be 1"):
        list(model.stream("hi"))
    with pytest.raises(ValueError, match="n must be 1"):
        ChatAIHubMix(model="gpt-4o-mini", n=2, streaming=True)


# messages


def test_messages_in_every_role_and_shape(mock_chat: Any) -> None:
    model, sent = mock_chat(body=REPLY)
    history = [
        SystemMessage("Be brief."),
        HumanMessage("Look", name="ann"),
        HumanMessage(
            [
                {"type": "text", "text": "What is this?"},
                {"type": "image", "url": "https://example.com/a.png"},
                {"type": "image", "base64": "AAAA", "mime_type": "image/png"},
                {
                    "type": "image_url",
                    "image_url": {"url": "https://example.com/b.png", "detail": "low"},
                },
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/jpeg", "data": "BBBB"},
                },
                {"type": "text", "text": "cached", "cache_control": {"type": "ephemeral"}},
            ]
        ),
        AIMessage(
            [
                {"type": "text", "text": "Checking."},
                {"type": "tool_use", "id": "c1", "name": "f", "input": {}},
            ],
            tool_calls=[{"name": "f", "args": {"x": "é"}, "id": "c1", "type": "tool_call"}],
            additional_kwargs={
                "reasoning_content": "think",
                "reasoning_details": [{"type": "reasoning.text", "signature": "s"}],
            },
        ),
        ToolMessage("42", tool_call_id="c1", status="error"),
        ChatMessage(role="developer", content="dev note"),
    ]
    model.invoke(history)
    wire = sent.last["messages"]
    assert wire[0] == {"role": "system", "content": "Be brief."}
    assert wire[1] == {"role": "user", "content": "Look", "name": "ann"}
    parts = wire[2]["content"]
    assert parts[0] == {"type": "text", "text": "What is this?"}
    assert parts[1] == {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}
    assert parts[2] == {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    assert parts[3] == {
        "type": "image_url",
        "image_url": {"url": "https://example.com/b.png", "detail": "low"},
    }
    assert parts[4] == {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,BBBB"}}
    assert parts[5] == {"type": "text", "text": "cached", "cache_control": {"type": "ephemeral"}}
    assert wire[3] == {
        "role": "assistant",
        "content": "Checking.",
        "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": '{"x": "é"}'}}
        ],
        "reasoning_content": "think",
        "reasoning_details": [{"type": "reasoning.text", "signature": "s"}],
    }
    assert wire[4] == {"role": "tool", "content": "42", "tool_call_id": "c1"}
    assert wire[5] == {"role": "developer", "content": "dev note"}
    assert isinstance(history[3].content, list) and len(history[3].content) == 2  # not mutated


def test_invalid_tool_calls_are_sent_back_as_they_came(mock_chat: Any) -> None:
    model, sent = mock_chat(body=REPLY)
    broken = AIMessage(
        "",
        invalid_tool_calls=[
            {"type": "invalid_tool_call", "id": "c9", "name": "f", "args": "{oops", "error": "bad"}
        ],
    )
    model.invoke([HumanMessage("hi"), broken, ToolMessage("fix your JSON", tool_call_id="c9")])
    assert sent.last["messages"][1]["tool_calls"][0]["function"] == {
        "name": "f",
        "arguments": "{oops",
    }


@pytest.mark.parametrize(
    ("message", "fix"),
    [
        (FunctionMessage(name="f", content="1"), "ToolMessage"),
        (ChatMessage(role="narrator", content="x"), "'system', 'developer'"),
        (HumanMessage([{"type": "image", "base64": "AAAA"}]), "mime_type"),
        (HumanMessage([{"type": "file", "url": "https://example.com/a.pdf"}]), "file_id"),
    ],
)
def test_unsendable_input_is_refused_with_a_fix(mock_chat: Any, message: Any, fix: str) -> None:
    model, sent = mock_chat(body=REPLY)
    with pytest.raises(ValueError, match=fix):
        model.invoke([message])
    assert sent.requests == []


# replies


def test_reply_metadata_usage_and_reasoning(mock_chat: Any) -> None:
    body = json.loads(json.dumps(REPLY))
    body["choices"][0]["message"]["reasoning_content"] = "Let me think."
    body["usage"] = USAGE_CHUNK["usage"]
    model, _ = mock_chat(body=body)
    reply = model.invoke("hi")
    assert reply.text == "Hi!" and reply.response_metadata["id"] == "chatcmpl-1"
    assert reply.response_metadata["model_name"] == "gpt-4o-mini-2024-07-18"
    assert reply.response_metadata["model_provider"] == "aihubmix"
    assert reply.response_metadata["finish_reason"] == "stop"
    assert reply.response_metadata["system_fingerprint"] == "fp_1"
    assert reply.usage_metadata == {
        "input_tokens": 2000,
        "output_tokens": 30,
        "total_tokens": 2030,
        "input_token_details": {"cache_read": 1536},
        "output_token_details": {"reasoning": 10},
    }
    assert reply.content_blocks == [
        {"type": "reasoning", "reasoning": "Let me think."},
        {"type": "text", "text": "Hi!"},
    ]


def test_reasoning_tokens_outside_completion_count_are_added_to_output(mock_chat: Any) -> None:
    body = dict(
        REPLY,
        usage={
            "prompt_tokens": 5,
            "completion_tokens": 4,
            "total_tokens": 19,
            "reasoning_tokens": 10,
        },
    )
    model, _ = mock_chat(body=body)
    usage = model.invoke("hi").usage_metadata
    assert usage is not None
    assert (usage["output_tokens"], usage["total_tokens"]) == (14, 19)


def test_tool_calls_valid_and_invalid(mock_chat: Any) -> None:
    body = json.loads(json.dumps(REPLY))
    body["choices"][0]["message"] = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "a", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}},
            {"id": "b", "type": "function", "function": {"name": "g", "arguments": "{not json"}},
            {"id": "c", "type": "function", "function": {"name": "h", "arguments": ""}},
        ],
    }
    model, _ = mock_chat(body=body)
    reply = model.invoke("hi")
    assert [(c["id"], c["name"], c["args"]) for c in reply.tool_calls] == [
        ("a", "f", {"x": 1}),
        ("c", "h", {}),
    ]
    assert reply.invalid_tool_calls[0]["id"] == "b"
    assert reply.invalid_tool_calls[0]["args"] == "{not json"


def test_several_completions(mock_chat: Any) -> None:
    body = json.loads(json.dumps(REPLY))
    body["choices"].append(
        {"index": 1, "message": {"role": "assistant", "content": "Hello!"}, "finish_reason": "stop"}
    )
    model, sent = mock_chat(body=body, n=2)
    result = model.generate([[HumanMessage("hi")]])
    assert [g.text for g in result.generations[0]] == ["Hi!", "Hello!"]
    assert sent.last["n"] == 2


# streams

TOOL_STREAM = [
    _chunk({"role": "assistant", "content": ""}),
    _chunk({"reasoning_content": "Need "}),
    _chunk({"reasoning_content": "the tool."}),
    _chunk(
        {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": ""},
                }
            ]
        }
    ),
    _chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"city": '}}]}),
    _chunk({"tool_calls": [{"index": 0, "function": {"arguments": '"Rome"}'}}]}),
    _chunk({}, "tool_calls"),
    USAGE_CHUNK,
]


def test_stream_usage_once_and_tool_call_chunks(mock_chat: Any) -> None:
    model, sent = mock_chat(chunks=TOOL_STREAM)
    chunks = list(model.stream("weather?"))
    assert sent.last["stream"] is True and sent.last["stream_options"] == {"include_usage": True}
    assert sum(1 for c in chunks if c.usage_metadata) == 1
    assert sum(1 for c in chunks if c.response_metadata.get("model_name")) == 1
    assert chunks[-1].chunk_position == "last"
    assert any(c.tool_call_chunks for c in chunks)
    full = _sum(chunks)
    assert full.tool_calls == [
        {"name": "get_weather", "args": {"city": "Rome"}, "id": "call_1", "type": "tool_call"}
    ]
    assert full.additional_kwargs["reasoning_content"] == "Need the tool."
    assert full.response_metadata["finish_reason"] == "tool_calls"
    assert full.response_metadata["model_name"] == "gpt-4o-mini"
    assert full.usage_metadata is not None and full.usage_metadata["input_token_details"] == {
        "cache_read": 1536
    }
    assert any(block["type"] == "reasoning" for block in full.content_blocks)


async def test_astream_matches_stream(mock_chat: Any) -> None:
    model, _ = mock_chat(chunks=TOOL_STREAM)
    sync_full = _sum(list(model.stream("weather?")))
    async_full = _sum([c async for c in model.astream("weather?")])
    assert async_full.tool_calls == sync_full.tool_calls
    assert async_full.usage_metadata == sync_full.usage_metadata
    assert async_full.additional_kwargs == sync_full.additional_kwargs


def test_stream_usage_can_be_turned_off(mock_chat: Any) -> None:
    model, sent = mock_chat(chunks=[_chunk({"content": "x"}, "stop")], stream_usage=False)
    chunks = list(model.stream("hi"))
    assert "stream_options" not in sent.last
    assert all(c.usage_metadata is None for c in chunks)


def test_streamed_reasoning_details_are_merged_once(mock_chat: Any) -> None:
    stream = [
        _chunk(
            {
                "reasoning_details": [
                    {
                        "type": "reasoning.text",
                        "text": "Think ",
                        "format": "anthropic-claude-v1",
                        "index": 0,
                    }
                ]
            }
        ),
        _chunk({"reasoning_details": [{"type": "reasoning.text", "text": "hard.", "index": 0}]}),
        _chunk(
            {"reasoning_details": [{"type": "reasoning.text", "signature": "sig==", "index": 0}]}
        ),
        _chunk({"content": "Done."}, "stop"),
    ]
    model, _ = mock_chat(chunks=stream, model="claude-sonnet-4-5")
    full = _sum(list(model.stream("hi")))
    assert full.additional_kwargs["reasoning_details"] == [
        {
            "type": "reasoning.text",
            "text": "Think hard.",
            "format": "anthropic-claude-v1",
            "index": 0,
            "signature": "sig==",
        }
    ]


def test_streaming_flag_makes_invoke_stream(mock_chat: Any) -> None:
    model, sent = mock_chat(
        chunks=[_chunk({"content": "Hel"}), _chunk({"content": "lo"}, "stop")], streaming=True
    )
    assert model.invoke("hi").text == "Hello"
    assert sent.last["stream"] is True


# tools and structured output


class GetWeather(BaseModel):
    """Weather for a city."""

    city: str


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        ("auto", "auto"),
        ("none", "none"),
        ("any", "required"),
        ("required", "required"),
        (True, "required"),
        ("GetWeather", {"type": "function", "function": {"name": "GetWeather"}}),
        (
            {"type": "function", "function": {"name": "GetWeather"}},
            {"type": "function", "function": {"name": "GetWeather"}},
        ),
        (
            {"type": "tool", "name": "GetWeather"},
            {"type": "function", "function": {"name": "GetWeather"}},
        ),
    ],
)
def test_tool_choice_forms(mock_chat: Any, choice: Any, wire: Any) -> None:
    model, sent = mock_chat(body=REPLY)
    model.bind_tools([GetWeather], tool_choice=choice).invoke("hi")
    assert sent.last["tool_choice"] == wire
    assert sent.last["tools"][0]["function"]["name"] == "GetWeather"


def test_no_tool_choice_and_strict_parallel_options(mock_chat: Any) -> None:
    model, sent = mock_chat(body=REPLY)
    model.bind_tools([GetWeather], strict=True, parallel_tool_calls=False).invoke("hi")
    assert "tool_choice" not in sent.last
    assert sent.last["parallel_tool_calls"] is False
    assert sent.last["tools"][0]["function"]["strict"] is True


def test_unknown_tool_choice_names_the_bound_tools() -> None:
    model = ChatAIHubMix(model="gpt-4o-mini", api_key=KEY)
    with pytest.raises(ValueError, match="bound tools: GetWeather"):
        model.bind_tools([GetWeather], tool_choice="get_time")
    with pytest.raises(ValueError, match="Unrecognised tool_choice"):
        model.bind_tools([GetWeather], tool_choice=3)  # type: ignore[arg-type]


def test_bind_tools_response_format_for_agents(mock_chat: Any) -> None:
    model, sent = mock_chat(body=REPLY)
    agent_format = {
        "type": "json_schema",
        "json_schema": {"name": "Out", "schema": {"type": "object"}},
    }
    model.bind_tools([GetWeather], response_format=agent_format).invoke("hi")
    assert sent.last["response_format"] == agent_format
    model.bind_tools([GetWeather], response_format=GetWeather, strict=True).invoke("hi")
    assert sent.last["response_format"]["json_schema"]["name"] == "GetWeather"
    assert sent.last["response_format"]["json_schema"]["strict"] is True


def test_structured_output_requests(mock_chat: Any) -> None:
    body = json.loads(json.dumps(REPLY))
    body["choices"][0]["message"]["content"] = '{"city": "Rome"}'
    model, sent = mock_chat(body=body)
    assert model.with_structured_output(GetWeather, method="json_schema").invoke("x") == GetWeather(
        city="Rome"
    )
    assert sent.last["response_format"]["type"] == "json_schema"
    assert model.with_structured_output(None, method="json_mode").invoke("x") == {"city": "Rome"}
    assert sent.last["response_format"] == {"type": "json_object"}
    raw = model.with_structured_output(GetWeather, include_raw=True).invoke("x")
    assert raw["parsed"] is None and raw["raw"].text == '{"city": "Rome"}'
    assert sent.last["tool_choice"] == {"type": "function", "function": {"name": "GetWeather"}}
    assert sent.last["parallel_tool_calls"] is False


def test_structured_output_parsing_error_is_reported_with_include_raw(mock_chat: Any) -> None:
    body = json.loads(json.dumps(REPLY))
    body["choices"][0]["message"]["content"] = '{"town": "Rome"}'
    model, _ = mock_chat(body=body)
    out = model.with_structured_output(GetWeather, method="json_schema", include_raw=True).invoke(
        "x"
    )
    assert out["parsed"] is None
    assert "city" in str(out["parsing_error"])


def test_structured_output_argument_errors() -> None:
    model = ChatAIHubMix(model="gpt-4o-mini", api_key=KEY)
    with pytest.raises(ValueError, match="needs a schema"):
        model.with_structured_output(None)
    with pytest.raises(ValueError, match="strict has no meaning"):
        model.with_structured_output(GetWeather, method="json_mode", strict=True)
    with pytest.raises(ValueError, match="method must be one of"):
        model.with_structured_output(GetWeather, method="xml")  # type: ignore[arg-type]


# errors


@pytest.mark.parametrize(
    ("status", "body", "langchain_class", "core_class"),
    [
        (
            400,
            {"error": {"message": "bad temperature"}},
            ModelInvalidRequestError,
            aihubmix_core.BadRequestError,
        ),
        (
            400,
            {"error": {"message": "This model's maximum context length is 128000 tokens"}},
            ContextOverflowError,
            aihubmix_core.ContextWindowExceededError,
        ),
        (
            400,
            {"error": {"message": "Incorrect model ID (tid: 123)", "type": "Aihubmix_api_error"}},
            ModelNotFoundError,
            aihubmix_core.ModelNotAvailableError,
        ),
        (
            401,
            {"error": {"message": "Invalid token"}},
            ModelAuthenticationError,
            aihubmix_core.AuthenticationError,
        ),
        (
            403,
            {"error": {"message": "key not allowed"}},
            ModelPermissionDeniedError,
            aihubmix_core.PermissionDeniedError,
        ),
        (
            403,
            {"error": {"message": "insufficient_user_quota"}},
            ModelPermissionDeniedError,
            aihubmix_core.InsufficientQuotaError,
        ),
        (
            404,
            {"error": {"message": "Invalid URL"}},
            ModelNotFoundError,
            aihubmix_core.NotFoundError,
        ),
        (
            429,
            {"error": {"message": "Too many requests"}},
            ModelRateLimitError,
            aihubmix_core.RateLimitError,
        ),
        (500, {"error": {"message": "upstream failed"}}, ModelAPIError, aihubmix_core.ServerError),
    ],
)
async def test_errors_are_both_core_and_langchain_errors(
    mock_chat: Any, status: int, body: Any, langchain_class: type, core_class: type
) -> None:
    model, _ = mock_chat(body=body, status=status)
    for call in (lambda: model.invoke("hi"), lambda: list(model.stream("hi"))):
        with pytest.raises(langchain_class) as caught:
            call()
        assert isinstance(caught.value, core_class)
        assert caught.value.status_code == status
        assert KEY not in str(caught.value)
    with pytest.raises(langchain_class):
        await model.ainvoke("hi")
    with pytest.raises(core_class):
        async for _ in model.astream("hi"):
            pass


def test_context_overflow_and_quota_classes(mock_chat: Any) -> None:
    model, _ = mock_chat(body={"error": {"message": "prompt is too long"}}, status=400)
    with pytest.raises(AIHubMixContextOverflowError):
        model.invoke("hi")
    model, _ = mock_chat(body={"error": {"message": "insufficient_user_quota"}}, status=403)
    with pytest.raises(AIHubMixInsufficientQuotaError) as caught:
        model.invoke("hi")
    assert not caught.value.is_retryable


def test_connection_failures_and_dropped_streams() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    model = ChatAIHubMix(
        model="gpt-4o-mini",
        api_key=KEY,
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(refuse)),
    )
    with pytest.raises(ModelConnectionError) as caught:
        model.invoke("hi")
    assert caught.value.is_retryable

    class Dropping(httpx.SyncByteStream):
        def __iter__(self) -> Any:
            yield b'data: {"id":"x","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n'
            raise httpx.ReadError("connection reset")

    def drop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Dropping(), headers={"content-type": "text/event-stream"})

    model = ChatAIHubMix(
        model="gpt-4o-mini",
        api_key=KEY,
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(drop)),
    )
    received = []
    with pytest.raises(AIHubMixStreamInterruptedError) as dropped:
        for chunk in model.stream("hi"):
            received.append(chunk.text)
    assert received == ["Hel"]
    assert isinstance(dropped.value, ModelConnectionError)
    assert dropped.value.partial_text == "Hel"


# secrets, serialisation, metadata


def test_the_key_never_shows(mock_chat: Any) -> None:
    model, _ = mock_chat(body=REPLY)
    for text in (
        repr(model),
        str(model),
        dumps(model),
        json.dumps(model.model_dump(), default=str),
        str(model.asdict()),
    ):
        assert KEY not in text
    assert dumpd(model)["kwargs"]["api_key"] == {
        "lc": 1,
        "type": "secret",
        "id": ["AIHUBMIX_API_KEY"],
    }


def test_load_revives_a_model_with_the_key_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = ChatAIHubMix(model="gpt-4o-mini", api_key=KEY, temperature=0.3)
    monkeypatch.setenv("AIHUBMIX_API_KEY", "sk-env")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        revived = load(
            dumpd(model),
            allowed_objects=[ChatAIHubMix],
            valid_namespaces=["langchain_aihubmix"],
            secrets_from_env=True,
        )
    assert isinstance(revived, ChatAIHubMix)
    assert (revived.model_name, revived.temperature) == ("gpt-4o-mini", 0.3)
    assert revived.api_key is not None and revived.api_key.get_secret_value() == "sk-env"


def test_langsmith_params_and_profile() -> None:
    model = ChatAIHubMix(
        model="claude-sonnet-4-5", api_key=KEY, temperature=0.1, max_tokens=50, stop=["x"]
    )
    assert model._get_ls_params() == {
        "ls_provider": "aihubmix",
        "ls_model_name": "claude-sonnet-4-5",
        "ls_model_type": "chat",
        "ls_temperature": 0.1,
        "ls_max_tokens": 50,
        "ls_stop": ["x"],
    }
    assert model.profile is not None
    assert (
        model.profile["max_input_tokens"] == 200_000 and model.profile["reasoning_output"] is True
    )
    unknown = ChatAIHubMix(model="some-new-model-2030", api_key=KEY).profile
    assert unknown is not None  # conservative defaults, not None
    assert (unknown["max_input_tokens"], unknown["max_output_tokens"]) == (32_768, 4_096)
    assert unknown["structured_output"] is False and unknown["image_inputs"] is False


def test_import_is_lazy() -> None:
    import subprocess
    import sys

    code = "import sys, langchain_aihubmix; print('langchain_core.language_models' in sys.modules, 'httpx' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]


def test_cache_and_rate_limiter_from_langchain(mock_chat: Any) -> None:
    from langchain_core.caches import InMemoryCache
    from langchain_core.rate_limiters import InMemoryRateLimiter

    limiter = InMemoryRateLimiter(requests_per_second=1000, check_every_n_seconds=0.001)
    model, sent = mock_chat(body=REPLY, cache=InMemoryCache(), rate_limiter=limiter)
    assert model.invoke("same question").text == model.invoke("same question").text == "Hi!"
    assert len(sent.requests) == 1
    model.invoke("another question")
    assert len(sent.requests) == 2


def test_logprobs_in_invoke_and_stream(mock_chat: Any) -> None:
    token = {"token": "Hi", "logprob": -0.1, "top_logprobs": []}
    body = json.loads(json.dumps(REPLY))
    body["choices"][0]["logprobs"] = {"content": [token]}
    model, _ = mock_chat(body=body, logprobs=True)
    assert model.invoke("hi").response_metadata["logprobs"] == {"content": [token]}
    stream = [
        {
            "id": "c",
            "model": "m",
            "choices": [{"index": 0, "delta": {"content": "Hi"}, "logprobs": {"content": [token]}}],
        },
        {
            "id": "c",
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "delta": {"content": "!"},
                    "logprobs": {"content": [token]},
                    "finish_reason": "stop",
                }
            ],
        },
    ]
    model, _ = mock_chat(chunks=stream, logprobs=True)
    full = _sum(list(model.stream("hi")))
    assert full.response_metadata["logprobs"] == {"content": [token, token]}


def test_ids_and_names_repeated_on_every_fragment_are_not_concatenated(mock_chat: Any) -> None:
    """Some upstreams repeat a call's id and name on each fragment; LangChain adds chunk
    strings together, so each may reach it only once."""

    def fragment(arguments: str) -> dict[str, Any]:
        call = {"index": 0, "id": "call_a", "type": "function"}
        call["function"] = {"name": "get_weather", "arguments": arguments}
        return {
            "id": "c1",
            "model": "m",
            "choices": [{"index": 0, "delta": {"tool_calls": [call]}}],
        }

    finish = {
        "id": "c1",
        "model": "m",
        "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}],
    }
    model, _ = mock_chat(chunks=[fragment(""), fragment('{"city":'), fragment('"Paris"}'), finish])
    full = _sum(list(model.stream("weather?")))
    assert full.tool_calls == [
        {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_a", "type": "tool_call"}
    ]


def test_generate_reports_summed_token_usage_like_chat_openai(mock_chat: Any) -> None:
    body = {
        "id": "x",
        "model": "gpt-4o-mini-2024-07-18",
        "system_fingerprint": "fp_1",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "a"}, "finish_reason": "stop"}
        ],
        "usage": {
            "prompt_tokens": 5,
            "completion_tokens": 2,
            "total_tokens": 7,
            "prompt_tokens_details": {"cached_tokens": 1},
        },
    }
    model, _ = mock_chat(body=body)
    result = model.generate([[HumanMessage("hi")], [HumanMessage("yo")]])
    assert result.llm_output == {
        "token_usage": {
            "prompt_tokens": 10,
            "completion_tokens": 4,
            "total_tokens": 14,
            "prompt_tokens_details": {"cached_tokens": 2},
        },
        "model_name": "gpt-4o-mini-2024-07-18",
        "model_provider": "aihubmix",
        "system_fingerprint": "fp_1",
    }
