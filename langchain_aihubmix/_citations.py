"""Web citations as LangChain ``citation`` content blocks. Pure.

Every route leaves citations in the chat completions shape, under the message's
``annotations`` (``{"type": "url_citation", "url_citation": {...}}``). LangChain users
read them as ``citation`` annotations on the text block of ``content_blocks``, and in
``response_metadata["citations"]``. The content-block translator registered here for
replies of this package does only that: a reply without citations falls through to
LangChain's own parsing, unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages import content as types
from langchain_core.messages.block_translators import register_translator

__all__ = ["citation_blocks", "register_citations"]

_FIELDS = ("url", "title", "start_index", "end_index", "cited_text")


def citation_blocks(fields: Mapping[str, Any]) -> list[types.Citation]:
    """The ``url_citation`` annotations of a message's fields as ``citation`` blocks."""
    found: list[types.Citation] = []
    for note in fields.get("annotations") or ():
        inner = note.get("url_citation") if isinstance(note, Mapping) else None
        if isinstance(inner, Mapping) and inner.get("url"):
            citation: dict[str, Any] = {"type": "citation"}
            citation.update((key, inner[key]) for key in _FIELDS if inner.get(key) is not None)
            found.append(citation)  # type: ignore[arg-type]
    return found


def _with_citations(message: AIMessage | AIMessageChunk) -> list[types.ContentBlock]:
    citations = citation_blocks(message.additional_kwargs)
    if not citations:
        raise NotImplementedError  # LangChain's own parsing, as for any other reply
    metadata = {k: v for k, v in message.response_metadata.items() if k != "model_provider"}
    blocks = list(message.model_copy(update={"response_metadata": metadata}).content_blocks)
    text: dict[str, Any] | None = next(
        (dict(block) for block in blocks if block.get("type") == "text"), None
    )
    if text is None:
        text = {"type": "text", "text": message.text}
        blocks.append(text)  # type: ignore[arg-type]
    else:
        position = next(i for i, block in enumerate(blocks) if block.get("type") == "text")
        blocks[position] = text  # type: ignore[call-overload]
    text["annotations"] = [*(text.get("annotations") or []), *citations]
    return blocks


def register_citations(provider: str) -> None:
    """Have ``content_blocks`` of this package's replies carry their citations."""
    register_translator(provider, _with_citations, _with_citations)
