"""Fixtures for the LlamaIndex adapter: mock-transport LLMs fed hand-built SSE for what
cassettes cannot show (chunk shapes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from testkit import MockHTTP, Recorder, completion

from llama_index_aihubmix import AIHubMix

MockLLM = Callable[..., tuple[AIHubMix, Recorder]]


@pytest.fixture
def mock_llm(mock_http: MockHTTP) -> MockLLM:
    """``mock_llm(chunks=[...] | body={...}, status=200, **llm_kwargs)``: an AIHubMix whose
    sync and async clients answer with the given SSE chunks or JSON body."""

    def factory(
        *,
        chunks: list[dict[str, Any]] | None = None,
        body: Any = None,
        status: int = 200,
        **kwargs: Any,
    ) -> tuple[AIHubMix, Recorder]:
        recorder = Recorder.answering(chunks=chunks, body=body, status=status)
        kwargs.setdefault("max_retries", 0)
        llm = AIHubMix(
            http_client=mock_http.client(recorder),
            async_http_client=mock_http.async_client(recorder),
            **kwargs,
        )
        return llm, recorder

    return factory


USAGE = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}


@pytest.fixture
def make_completion() -> Callable[..., dict[str, Any]]:
    """``make_completion(content="", *, tool_calls=None, usage=None, **message_fields)``:
    ``testkit.completion`` with this suite's defaults (extra keywords go into the message)."""

    def make(
        content: str = "",
        *,
        tool_calls: list[dict[str, Any]] | None = None,
        usage: dict[str, Any] | None = None,
        **message: Any,
    ) -> dict[str, Any]:
        return completion(content, tool_calls=tool_calls, usage=usage or USAGE, message=message)

    return make
