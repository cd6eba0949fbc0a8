"""Web search and citations, from recorded traffic: ``web_search_options`` and ``-search``
model ids on chat completions, the built-in tools on the other routes, and the citations as
LangChain ``citation`` blocks (and in ``response_metadata``), streamed or not."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk

from langchain_aihubmix import ChatAIHubMix

pytestmark = pytest.mark.vcr

QUESTION = "Who designed the Eiffel Tower?"


def _both(model: ChatAIHubMix) -> list[AIMessage]:
    whole = model.invoke(QUESTION)
    full: AIMessageChunk | None = None
    for chunk in model.stream(QUESTION):
        full = chunk if full is None else full + chunk
    assert full is not None
    return [whole, full]


def _citations(reply: AIMessage) -> list[dict[str, Any]]:
    text_blocks = [b for b in reply.content_blocks if b["type"] == "text"]
    assert len(text_blocks) == 1
    return list(text_blocks[0].get("annotations", []))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("model", "settings"),
    [
        ("gpt-4o-search-preview", {"web_search_options": {"search_context_size": "low"}}),
        ("gpt-4o-mini", {"web_search_options": {}, "route": "responses"}),
        ("claude-sonnet-4-5", {"web_search_options": {}, "route": "messages"}),
        ("gemini-2.5-flash-search", {}),
    ],
    ids=["chat-options", "responses", "messages", "search-model-id"],
)
def test_citations_reach_content_blocks_and_metadata(
    model: str, settings: dict[str, Any], vcr: Any
) -> None:
    for reply in _both(ChatAIHubMix(model=model, **settings)):
        citations = _citations(reply)
        assert citations and all(c["type"] == "citation" for c in citations)
        for citation in citations:
            assert citation["url"].startswith("https://") and citation["title"]
            assert reply.text[citation["start_index"] : citation["end_index"]].strip()
        assert reply.response_metadata["citations"] == citations
        assert reply.additional_kwargs["annotations"][0]["type"] == "url_citation"
    body = json.loads(vcr.requests[0].body)
    if settings.get("route") == "responses":
        assert body["tools"] == [{"type": "web_search"}]
    elif settings.get("route") == "messages":
        assert body["tools"] == [{"type": "web_search_20250305", "name": "web_search"}]
    elif settings:
        assert body["web_search_options"] == {"search_context_size": "low"}
    else:
        assert "web_search_options" not in body and body["model"] == "gemini-2.5-flash-search"


def test_a_reply_without_citations_keeps_langchain_s_own_blocks() -> None:
    reply = ChatAIHubMix(model="gpt-4o-mini").invoke(QUESTION)
    assert "citations" not in reply.response_metadata
    assert reply.content_blocks == [{"type": "text", "text": reply.text}]
