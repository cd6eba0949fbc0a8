"""The framework floors do what the benchmark says they do: parse each reply's text and
usage, and when streaming, give one chunk per SSE chunk with the framework's per-chunk
callback, sync and async alike. No timing here."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events import BaseEvent
from llama_index.core.instrumentation.events.llm import LLMChatInProgressEvent
from llama_index.core.llms import ChatMessage

from bench.floor_langchain import FloorChatModel
from bench.floor_llamaindex import FloorLLM
from bench.replies import REPLY
from bench.server import server_process
from bench.subjects import PROMPT, RawDriver

_CHUNKS = 7
# The server sends a role chunk, the content chunks, a finish chunk and a usage chunk.
_SSE_CHUNKS = _CHUNKS + 3


@pytest.fixture(scope="module")
def raw() -> Iterator[RawDriver]:
    with server_process() as base_url:
        yield RawDriver(base_url)


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """One loop for the module: the floors' async httpx client stays bound to it."""
    loop = asyncio.new_event_loop()
    try:
        yield loop
    finally:
        loop.close()


class _Tokens(BaseCallbackHandler):
    def __init__(self) -> None:
        self.tokens: list[str] = []

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.tokens.append(token)


def test_langchain_floor_reply_has_text_and_usage(
    raw: RawDriver, loop: asyncio.AbstractEventLoop
) -> None:
    model = FloorChatModel(raw=raw, model="gpt-4o-mini")
    for message in (model.invoke(PROMPT), loop.run_until_complete(model.ainvoke(PROMPT))):
        assert message.content == REPLY
        assert message.usage_metadata is not None
        assert message.usage_metadata["total_tokens"] == 136


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_langchain_floor_streams_a_chunk_and_a_token_callback_per_sse_chunk(
    raw: RawDriver, loop: asyncio.AbstractEventLoop, use_async: bool
) -> None:
    model = FloorChatModel(raw=raw, model=f"bench-{_CHUNKS}")
    handler = _Tokens()
    config: Any = {"callbacks": [handler]}

    async def collect() -> list[Any]:
        return [chunk async for chunk in model.astream(PROMPT, config=config)]

    if use_async:
        chunks = loop.run_until_complete(collect())
    else:
        chunks = list(model.stream(PROMPT, config=config))
    assert "".join(str(c.content) for c in chunks) == "".join(handler.tokens)
    assert len([c for c in chunks if c.content]) == _CHUNKS
    # One per SSE chunk, and LangChain's closing empty chunk.
    assert len(handler.tokens) == _SSE_CHUNKS + 1
    usage = [c.usage_metadata for c in chunks if c.usage_metadata]
    assert usage == [{"input_tokens": 16, "output_tokens": _CHUNKS, "total_tokens": 23}]


class _InProgress(BaseEventHandler):
    count: int = 0

    @classmethod
    def class_name(cls) -> str:
        return "bench-in-progress"

    def handle(self, event: BaseEvent, **kwargs: Any) -> None:
        if isinstance(event, LLMChatInProgressEvent):
            self.count += 1


@pytest.fixture
def in_progress() -> Iterator[_InProgress]:
    handler = _InProgress()
    dispatcher = get_dispatcher()
    dispatcher.add_event_handler(handler)
    try:
        yield handler
    finally:
        dispatcher.event_handlers.remove(handler)


_MESSAGES = [ChatMessage(role="user", content=PROMPT)]


def test_llamaindex_floor_reply_has_text_and_usage(
    raw: RawDriver, loop: asyncio.AbstractEventLoop
) -> None:
    llm = FloorLLM(raw=raw, model="gpt-4o-mini")
    for response in (llm.chat(_MESSAGES), loop.run_until_complete(llm.achat(_MESSAGES))):
        assert response.message.content == REPLY
        assert response.additional_kwargs["total_tokens"] == 136


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_llamaindex_floor_streams_a_response_and_an_event_per_sse_chunk(
    raw: RawDriver, loop: asyncio.AbstractEventLoop, in_progress: _InProgress, use_async: bool
) -> None:
    llm = FloorLLM(raw=raw, model=f"bench-{_CHUNKS}")

    async def collect() -> list[Any]:
        return [response async for response in await llm.astream_chat(_MESSAGES)]

    if use_async:
        responses = loop.run_until_complete(collect())
    else:
        responses = list(llm.stream_chat(_MESSAGES))
    assert len(responses) == _SSE_CHUNKS == in_progress.count
    assert len([r for r in responses if r.delta]) == _CHUNKS
    assert responses[-1].message.content == "".join(r.delta or "" for r in responses)
    assert responses[-1].additional_kwargs["total_tokens"] == 16 + _CHUNKS
