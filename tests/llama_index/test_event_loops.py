"""One object, several event loops: consecutive ``asyncio.run`` calls over a real loopback
socket (the emulator), where a client pooled on a closed loop would fail."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from llama_index.core.base.llms.types import ChatMessage

from aihubmix_testing.emulator import serve_in_thread
from llama_index_aihubmix import AIHubMix, AIHubMixEmbedding


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    with serve_in_thread() as base_url:
        yield base_url


def test_llm_across_consecutive_asyncio_runs(emulator_url: str) -> None:
    llm = AIHubMix(api_base=emulator_url, api_key="loopback-key")
    messages = [ChatMessage(role="user", content="What is the capital of France?")]

    async def chat() -> str:
        return (await llm.achat(messages)).message.content or ""

    async def stream() -> str:
        last = ""
        async for response in await llm.astream_chat(messages):
            last = response.message.content or ""
        return last

    answers = [
        asyncio.run(chat()),
        asyncio.run(stream()),
        asyncio.run(chat()),
        asyncio.run(stream()),
    ]
    assert answers == ["The capital of France is Paris."] * 4


def test_embedding_across_consecutive_asyncio_runs(emulator_url: str) -> None:
    embed = AIHubMixEmbedding(api_base=emulator_url, api_key="loopback-key", dimensions=8)
    first = asyncio.run(embed.aget_text_embedding_batch(["apples", "pears"]))
    second = asyncio.run(embed.aget_text_embedding_batch(["apples", "pears"]))
    assert first == second
    assert [len(v) for v in first] == [8, 8]
