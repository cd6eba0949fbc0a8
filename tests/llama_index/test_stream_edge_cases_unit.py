"""A stream with no choice raises in LlamaIndex too, instead of yielding nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage

from aihubmix_core import APIResponseError

pytestmark = pytest.mark.aihubmix_env


def test_a_stream_with_no_choice_raises(mock_llm: Any) -> None:
    llm, _ = mock_llm(
        chunks=[{"id": "chatcmpl-empty", "choices": []}], api_key="sk-edge-0123456789"
    )
    with pytest.raises(APIResponseError, match="no choices"):
        list(llm.stream_chat([ChatMessage(role="user", content="Hello")]))

    async def run() -> None:
        async for _ in await llm.astream_chat([ChatMessage(role="user", content="Hello")]):
            pass

    with pytest.raises(APIResponseError, match="no choices"):
        asyncio.run(run())
