"""The AIHubMix LLM's settings, metadata, secrets, request shape, responses and errors,
checked on the wire through a mock transport."""

from __future__ import annotations

import json
import logging
import pickle
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, TextBlock, ThinkingBlock, ToolCallBlock
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.tools import FunctionTool
from testkit import delta_chunk

from aihubmix_core import (
    DEFAULT_CONTEXT_WINDOW,
    AuthenticationError,
    MissingAPIKeyError,
    ModelNotAvailableError,
)
from llama_index_aihubmix import AIHubMix

pytestmark = pytest.mark.aihubmix_env  # clients without api_key= read AIHUBMIX_API_KEY

SECRET = "sk-aihubmix-very-secret-0123456789"
HI = [ChatMessage(role="user", content="hi")]


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


ADD = FunctionTool.from_defaults(add)


# --- settings and secrets -------------------------------------------------------------


def test_environment_is_read_when_arguments_are_missing(
    monkeypatch: pytest.MonkeyPatch, mock_llm: Any, make_completion: Any
) -> None:
    monkeypatch.setenv("AIHUBMIX_API_KEY", SECRET)
    monkeypatch.setenv("AIHUBMIX_BASE_URL", "https://proxy.example.com/v1/")
    monkeypatch.setenv("AIHUBMIX_APP_CODE", "APP42")
    llm, recorder = mock_llm(body=make_completion("ok"))
    assert llm.api_base == "https://proxy.example.com/v1"
    assert llm.app_code == "APP42"
    llm.chat(HI)
    headers = recorder.headers[0]
    assert headers["authorization"] == f"Bearer {SECRET}"
    assert headers["app-code"] == "APP42"


def test_arguments_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, mock_llm: Any, make_completion: Any
) -> None:
    monkeypatch.setenv("AIHUBMIX_API_KEY", "env-key")
    monkeypatch.setenv("AIHUBMIX_BASE_URL", "https://env.example.com/v1")
    llm, recorder = mock_llm(
        body=make_completion("ok"),
        api_key="arg-key",
        api_base="https://arg.example.com/v1",
        default_headers={"X-Team": "search"},
    )
    llm.chat(HI)
    assert llm.api_base == "https://arg.example.com/v1"
    assert recorder.headers[0]["authorization"] == "Bearer arg-key"
    assert recorder.headers[0]["x-team"] == "search"
    assert "app-code" not in recorder.headers[0]


def test_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIHUBMIX_API_KEY")
    llm = AIHubMix()  # building never fails offline
    with pytest.raises(MissingAPIKeyError, match="AIHUBMIX_API_KEY"):
        llm.chat(HI)


def test_key_never_shows_in_repr_or_serialization() -> None:
    llm = AIHubMix(api_key=SECRET, default_headers={"X-Team": "a"})
    dumps = [
        repr(llm),
        str(llm),
        json.dumps(llm.to_dict()),
        llm.to_json(),
        json.dumps(llm.model_dump(), default=str),
        repr(llm.client),
    ]
    # to_payload(), what LlamaIndex's instrumentation events carry, is there from 0.14.23
    if hasattr(llm, "to_payload"):
        dumps.append(json.dumps(llm.to_payload(), default=str))
    for text in dumps:
        assert SECRET not in text
    assert "sk-aihubmix" not in pickle.dumps(llm.to_dict()).decode("latin-1")


def test_bad_base_url_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="must start with http"):
        AIHubMix(api_base="aihubmix.com/v1")


# --- metadata -------------------------------------------------------------------------


def test_metadata_for_a_known_model() -> None:
    meta = AIHubMix(model="gpt-4o-mini").metadata
    assert (meta.context_window, meta.num_output) == (128_000, 16_384)
    assert meta.is_chat_model and meta.is_function_calling_model
    assert meta.model_name == "gpt-4o-mini"


def test_unknown_model_gets_a_conservative_window_and_tools() -> None:
    meta = AIHubMix(model="brand-new-model-2030").metadata
    assert meta.context_window == DEFAULT_CONTEXT_WINDOW
    assert meta.is_chat_model and meta.is_function_calling_model


def test_overrides_win_over_the_table() -> None:
    meta = AIHubMix(
        model="gpt-4o-mini", context_window=8_000, max_tokens=500, is_function_calling_model=False
    ).metadata
    assert (meta.context_window, meta.num_output, meta.is_function_calling_model) == (
        8_000,
        500,
        False,
    )


def test_metadata_follows_a_changed_model() -> None:
    llm = AIHubMix(model="gpt-4o-mini")
    assert llm.metadata.context_window == 128_000
    llm.model = "claude-sonnet-4-5"
    assert llm.metadata.context_window == 200_000


# --- request shape --------------------------------------------------------------------


def test_settings_reach_the_request_and_call_kwargs_win(
    mock_llm: Any, make_completion: Any
) -> None:
    llm, recorder = mock_llm(
        body=make_completion("ok"),
        temperature=0.2,
        max_tokens=64,
        reasoning_effort="low",
        additional_kwargs={"seed": 7, "top_p": 0.9},
    )
    llm.chat(HI, top_p=0.5, max_tokens=32)
    sent = recorder.requests[0]
    assert sent["model"] == "gpt-4o-mini"
    assert sent["temperature"] == 0.2
    assert sent["seed"] == 7 and sent["top_p"] == 0.5
    assert sent["max_tokens"] == 32
    assert sent["reasoning_effort"] == "low"
    assert "stream" not in sent and "stream_options" not in sent


def test_unknown_constructor_keywords_are_sent_with_a_warning_not_dropped(
    mock_llm: Any, make_completion: Any
) -> None:
    with pytest.warns(UserWarning, match=r"unknown parameter\(s\) \['service_tier'\]"):
        llm, recorder = mock_llm(body=make_completion("ok"), service_tier="flex")
    llm.chat(HI)
    assert recorder.requests[0]["service_tier"] == "flex"


def test_stream_idle_timeout_reaches_the_client() -> None:
    llm = AIHubMix(api_key="replay-key-not-a-secret", stream_idle_timeout=7.5)
    assert llm.client.config.stream_idle_timeout == 7.5
    assert AIHubMix.from_dict(llm.to_dict()).stream_idle_timeout == 7.5


def test_unset_options_are_not_sent(mock_llm: Any, make_completion: Any) -> None:
    llm, recorder = mock_llm(body=make_completion("ok"))
    llm.chat(HI)
    assert set(recorder.requests[0]) == {"model", "messages"}


def test_reasoning_models_get_max_completion_tokens(mock_llm: Any, make_completion: Any) -> None:
    llm, recorder = mock_llm(body=make_completion("ok"), model="o4-mini", max_tokens=100)
    llm.chat(HI)
    assert recorder.requests[0]["max_completion_tokens"] == 100
    assert "max_tokens" not in recorder.requests[0]


def test_stream_asks_for_usage(mock_llm: Any) -> None:
    llm, recorder = mock_llm(chunks=[delta_chunk("Hi", finish="stop")])
    list(llm.stream_chat(HI))
    assert recorder.requests[0]["stream"] is True
    assert recorder.requests[0]["stream_options"] == {"include_usage": True}


# --- tool preparation -----------------------------------------------------------------


def test_prepare_chat_with_tools_never_changes_the_callers_history() -> None:
    history = [ChatMessage(role="user", content="first")]
    prepared = AIHubMix()._prepare_chat_with_tools(
        [ADD], user_msg="add 1 and 2", chat_history=history
    )
    assert len(history) == 1
    assert [m.content for m in prepared["messages"]] == ["first", "add 1 and 2"]
    assert prepared["tool_choice"] == "auto"
    assert prepared["parallel_tool_calls"] is False
    assert prepared["tools"][0]["function"]["name"] == "add"


@pytest.mark.parametrize(
    ("kwargs", "choice"),
    [
        ({"tool_required": True}, "required"),
        ({"tool_choice": "add"}, {"type": "function", "function": {"name": "add"}}),
        ({"tool_choice": "none"}, "none"),
    ],
)
def test_tool_choice(kwargs: dict[str, Any], choice: Any) -> None:
    prepared = AIHubMix()._prepare_chat_with_tools([ADD], user_msg="x", **kwargs)
    assert prepared["tool_choice"] == choice


def test_parallel_calls_allowed_sends_no_flag() -> None:
    prepared = AIHubMix()._prepare_chat_with_tools(
        [ADD], user_msg="x", allow_parallel_tool_calls=True
    )
    assert "parallel_tool_calls" not in prepared


def test_no_tools_means_no_tool_choice(mock_llm: Any, make_completion: Any) -> None:
    llm, recorder = mock_llm(body=make_completion("ok"))
    llm.chat_with_tools([], user_msg="hello", tool_required=True)
    assert "tool_choice" not in recorder.requests[0] and "tools" not in recorder.requests[0]


def test_strict_tools(mock_llm: Any, make_completion: Any) -> None:
    prepared = AIHubMix(strict=True)._prepare_chat_with_tools([ADD], user_msg="x")
    assert prepared["tools"][0]["function"]["strict"] is True


def test_extra_calls_are_cut_when_parallel_is_not_allowed(
    mock_llm: Any, make_completion: Any, caplog: pytest.LogCaptureFixture
) -> None:
    calls = [
        {
            "id": f"c{i}",
            "type": "function",
            "function": {"name": "add", "arguments": '{"a":1,"b":2}'},
        }
        for i in range(2)
    ]
    llm, _ = mock_llm(body=make_completion(tool_calls=calls))
    with caplog.at_level(logging.WARNING, logger="llama_index_aihubmix"):
        response = llm.chat_with_tools([ADD], user_msg="add")
    assert [c.tool_id for c in llm.get_tool_calls_from_response(response)] == ["c0"]
    assert "2 tool calls" in caplog.text
    both = llm.chat_with_tools([ADD], user_msg="add", allow_parallel_tool_calls=True)
    assert len(llm.get_tool_calls_from_response(both)) == 2


def test_no_tool_call_is_an_error_only_when_asked(mock_llm: Any, make_completion: Any) -> None:
    llm, _ = mock_llm(body=make_completion("plain text"))
    response = llm.chat(HI)
    assert llm.get_tool_calls_from_response(response, error_on_no_tool_call=False) == []
    with pytest.raises(ValueError, match="no tool calls"):
        llm.get_tool_calls_from_response(response)


def test_predict_and_call_runs_the_tool(mock_llm: Any, make_completion: Any) -> None:
    call = {
        "id": "c1",
        "type": "function",
        "function": {"name": "add", "arguments": '{"a": 2, "b": 40}'},
    }
    llm, _ = mock_llm(body=make_completion(tool_calls=[call]))
    assert llm.predict_and_call([ADD], user_msg="add 2 and 40").response == "42"


# --- responses ------------------------------------------------------------------------


def test_reply_with_reasoning_usage_and_logprobs(mock_llm: Any, make_completion: Any) -> None:
    body = make_completion(
        "Paris.",
        reasoning_content="The capital of France...",
        usage={
            "prompt_tokens": 30,
            "completion_tokens": 12,
            "total_tokens": 42,
            "prompt_tokens_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 8},
        },
    )
    body["choices"][0]["logprobs"] = {
        "content": [{"token": "Paris", "logprob": -0.1, "bytes": [80], "top_logprobs": []}]
    }
    llm, _ = mock_llm(body=body)
    response = llm.chat(HI)
    thinking, text = response.message.blocks
    assert isinstance(text, TextBlock) and text.text == "Paris."
    assert isinstance(thinking, ThinkingBlock)
    assert (thinking.content, thinking.num_tokens) == ("The capital of France...", 8)
    assert response.message.content == "Paris."
    assert response.raw["usage"]["total_tokens"] == 42
    counts = dict(response.additional_kwargs)
    assert counts.pop("cost") == pytest.approx((30 * 0.15 + 12 * 0.6) / 1e6)  # gpt-4o-mini
    assert counts.pop("cost_details")["total"] == response.additional_kwargs["cost"]
    assert counts == {
        "prompt_tokens": 30,
        "completion_tokens": 12,
        "total_tokens": 42,
        "cached_tokens": 0,
        "reasoning_tokens": 8,
    }
    assert response.logprobs is not None
    assert response.logprobs[0][0].token == "Paris"


def test_unparseable_arguments_are_kept_as_text(mock_llm: Any, make_completion: Any) -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "add", "arguments": "not json"}}
    llm, _ = mock_llm(body=make_completion(tool_calls=[call]))
    block = next(b for b in llm.chat(HI).message.blocks if isinstance(b, ToolCallBlock))
    assert block.tool_kwargs == "not json"


def test_complete_and_stream_complete(mock_llm: Any, make_completion: Any) -> None:
    llm, recorder = mock_llm(body=make_completion("Hello!"))
    result = llm.complete("say hello")
    assert result.text == "Hello!"
    assert result.raw["usage"]["prompt_tokens"] == 11
    assert recorder.requests[0]["messages"] == [{"role": "user", "content": "say hello"}]
    chunks = [
        {"id": "x", "choices": [{"index": 0, "delta": {"content": "Hel"}}]},
        {"id": "x", "choices": [{"index": 0, "delta": {"content": "lo"}, "finish_reason": "stop"}]},
        {
            "id": "x",
            "choices": [],
            "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
        },
    ]
    streamer, _ = mock_llm(chunks=chunks)
    parts = list(streamer.stream_complete("say hello"))
    assert [p.delta for p in parts] == ["Hel", "lo", ""]
    assert [p.text for p in parts] == ["Hel", "Hello", "Hello"]
    assert parts[-1].raw["usage"]["total_tokens"] == 5


async def test_async_twins(mock_llm: Any, make_completion: Any) -> None:
    llm, _ = mock_llm(body=make_completion("Hello!"))
    assert (await llm.achat(HI)).message.content == "Hello!"
    assert (await llm.acomplete("hi")).text == "Hello!"
    chunks = [
        {"id": "x", "choices": [{"index": 0, "delta": {"reasoning_content": "hmm"}}]},
        {"id": "x", "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": "stop"}]},
    ]
    streamer, _ = mock_llm(chunks=chunks)
    responses = [r async for r in await streamer.astream_chat(HI)]
    assert responses[0].additional_kwargs["thinking_delta"] == "hmm"
    assert isinstance(responses[-1].message.blocks[0], ThinkingBlock)
    assert [r.text async for r in await streamer.astream_complete("hi")][-1] == "Hi"


def test_streamed_reasoning_surfaces_as_thinking(mock_llm: Any) -> None:
    chunks = [
        {"id": "x", "choices": [{"index": 0, "delta": {"reasoning_content": "Let me "}}]},
        {"id": "x", "choices": [{"index": 0, "delta": {"reasoning_content": "think."}}]},
        {
            "id": "x",
            "choices": [{"index": 0, "delta": {"content": "Done."}, "finish_reason": "stop"}],
        },
    ]
    llm, _ = mock_llm(chunks=chunks)
    responses = list(llm.stream_chat(HI))
    assert [r.additional_kwargs.get("thinking_delta") for r in responses] == [
        "Let me ",
        "think.",
        None,
    ]
    thinking = responses[1].message.blocks[0]
    assert isinstance(thinking, ThinkingBlock) and thinking.content == "Let me think."
    assert responses[-1].message.content == "Done."


# --- errors ---------------------------------------------------------------------------


def test_errors_come_from_the_core_unchanged(mock_llm: Any) -> None:
    body = {
        "error": {
            "message": "Incorrect model ID no-such-model (tid: 2026)",
            "type": "Aihubmix_api_error",
        }
    }
    llm, _ = mock_llm(body=body, status=400, model="no-such-model")
    with pytest.raises(ModelNotAvailableError, match="Incorrect model ID") as info:
        llm.chat(HI)
    assert info.value.status_code == 400 and info.value.request_id == "2026"
    with pytest.raises(ModelNotAvailableError):
        list(llm.stream_chat(HI))


async def test_async_errors_come_from_the_core_unchanged(mock_llm: Any) -> None:
    llm, _ = mock_llm(body={"error": {"message": "invalid key"}}, status=401)
    with pytest.raises(AuthenticationError):
        await llm.achat(HI)


# --- callbacks ------------------------------------------------------------------------


def test_token_counting_sees_real_usage_for_chat_and_stream(
    mock_llm: Any, make_completion: Any
) -> None:
    counter = TokenCountingHandler()
    llm, _ = mock_llm(body=make_completion("ok"), callback_manager=CallbackManager([counter]))
    llm.chat(HI)
    assert (counter.prompt_llm_token_count, counter.completion_llm_token_count) == (11, 7)
    chunks = [
        {"id": "x", "choices": [{"index": 0, "delta": {"content": "ok"}, "finish_reason": "stop"}]},
        {
            "id": "x",
            "choices": [],
            "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
        },
    ]
    streamer, _ = mock_llm(chunks=chunks, callback_manager=CallbackManager([counter]))
    list(streamer.stream_chat(HI))
    assert (counter.prompt_llm_token_count, counter.completion_llm_token_count) == (111, 57)


def test_rate_limiter_is_consulted(mock_llm: Any, make_completion: Any) -> None:
    rate_limiter = pytest.importorskip(
        "llama_index.core.rate_limiter", reason="rate limiters came with llama-index-core 0.14.16"
    )

    class Counting(rate_limiter.BaseRateLimiter):
        calls = 0

        def acquire(self, num_tokens: int = 0) -> None:
            Counting.calls += 1

        async def async_acquire(self, num_tokens: int = 0) -> None:
            Counting.calls += 1

    llm, _ = mock_llm(body=make_completion("ok"), rate_limiter=Counting())
    llm.chat(HI)
    llm.complete("x")
    assert Counting.calls == 2


# --- packaging and copies ---------------------------------------------------------------


def test_deep_copies_share_the_client_and_work(mock_llm: Any, make_completion: Any) -> None:
    import copy

    llm, recorder = mock_llm(body=make_completion("ok"), temperature=0.3)
    clone = copy.deepcopy(llm)
    assert clone.client is llm.client and clone.temperature == 0.3
    assert clone.chat(HI).message.content == "ok"
    assert len(recorder.requests) == 1


def test_namespace_imports_work_outside_the_repository(tmp_path: Any) -> None:
    # From the repository root they already work: this whole suite imports them there.
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = (
        "import llama_index.core\n"
        "from llama_index.llms.aihubmix import AIHubMix\n"
        "from llama_index.embeddings.aihubmix import AIHubMixEmbedding\n"
        "import llama_index_aihubmix as p\n"
        "assert AIHubMix is p.AIHubMix and AIHubMixEmbedding is p.AIHubMixEmbedding\n"
        "from llama_index.core.llms import ChatMessage\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert not (root / "llama_index" / "__init__.py").exists()
    assert not (root / "llama_index" / "llms" / "__init__.py").exists()


def test_pickled_llm_keeps_its_key_for_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """LlamaIndex rebuilds a pickled component from its public fields; the key (held by the
    client, never a field) must survive, or worker processes fail with a missing key."""
    import pickle

    monkeypatch.delenv("AIHUBMIX_API_KEY", raising=False)
    llm = AIHubMix(model="gpt-4o-mini", api_key="sk-pickled-key-for-workers", max_retries=4)
    copy = pickle.loads(pickle.dumps(llm))
    assert copy.model == "gpt-4o-mini" and copy.max_retries == 4
    assert copy.client.config.secret() == "sk-pickled-key-for-workers"
    assert "sk-pickled" not in repr(copy) + copy.to_json()
