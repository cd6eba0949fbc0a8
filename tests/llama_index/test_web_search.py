"""Web search citations in LlamaIndex message metadata, from recorded traffic."""

from __future__ import annotations

import json
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, MessageRole

from llama_index_aihubmix import AIHubMix

pytestmark = pytest.mark.vcr

MESSAGES = [ChatMessage(role=MessageRole.USER, content="Who designed the Eiffel Tower?")]


@pytest.mark.parametrize("route", ["chat", "responses", "messages"])
async def test_citations_in_message_metadata_streamed_or_not(route: str, vcr: Any) -> None:
    model = "claude-sonnet-4-5" if route == "messages" else "gpt-4o-mini-search-preview"
    llm = AIHubMix(model=model, route=route, web_search_options={})
    whole = llm.chat(MESSAGES)
    last = [r async for r in await llm.astream_chat(MESSAGES)][-1]
    for response in (whole, last):
        notes = response.message.additional_kwargs["annotations"]
        assert notes and notes[0]["type"] == "url_citation"
        cited = notes[0]["url_citation"]
        assert cited["url"].startswith("https://")
        assert response.message.content[cited["start_index"] : cited["end_index"]].strip()
    if route == "chat":
        assert json.loads(vcr.requests[0].body)["web_search_options"] == {}
