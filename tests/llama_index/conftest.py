"""Fixtures for the LlamaIndex adapter: the cassette endpoint for every test, and
mock-transport LLMs fed hand-built SSE for what cassettes cannot show (chunk shapes)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from wire_fakes import Recorder, sse_body

from llama_index_aihubmix import AIHubMix


@pytest.fixture(autouse=True)
def _endpoint(aihubmix_env: tuple[str, str]) -> tuple[str, str]:
    return aihubmix_env


MockLLM = Callable[..., tuple[AIHubMix, Recorder]]


@pytest.fixture
def mock_llm() -> Iterator[MockLLM]:
    """``mock_llm(chunks=[...] | body={...}, status=200, **llm_kwargs)``: an AIHubMix whose
    sync and async clients answer with the given SSE chunks or JSON body."""
    clients: list[httpx.Client] = []

    def factory(
        *,
        chunks: list[dict[str, Any]] | None = None,
        body: Any = None,
        status: int = 200,
        **kwargs: Any,
    ) -> tuple[AIHubMix, Recorder]:
        if chunks is not None:
            recorder = Recorder(status, sse_body(chunks), "text/event-stream")
        else:
            recorder = Recorder(status, json.dumps(body).encode(), "application/json")
        sync = httpx.Client(transport=httpx.MockTransport(recorder))
        clients.append(sync)
        kwargs.setdefault("max_retries", 0)
        llm = AIHubMix(
            http_client=sync,
            async_http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)),
            **kwargs,
        )
        return llm, recorder

    yield factory
    for client in clients:
        client.close()


def completion(
    content: str = "",
    *,
    tool_calls: list[dict[str, Any]] | None = None,
    usage: dict[str, Any] | None = None,
    **message: Any,
) -> dict[str, Any]:
    """A non-streamed chat completion body."""
    msg: dict[str, Any] = {"role": "assistant", "content": content, **message}
    if tool_calls:
        msg["tool_calls"] = tool_calls
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "gpt-4o-mini",
        "created": 1,
        "choices": [
            {"index": 0, "message": msg, "finish_reason": "tool_calls" if tool_calls else "stop"}
        ],
        "usage": usage or {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }


@pytest.fixture
def make_completion() -> Callable[..., dict[str, Any]]:
    return completion
