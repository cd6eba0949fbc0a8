"""LangChain content blocks as the content parts AIHubMix's chat completions take. Pure.

One place for every block shape users hand LangChain: the v1 standard blocks
(``{"type": "image" | "file" | "audio", "base64" | "url" | "file_id", "mime_type"}``),
the older v0 ``source_type`` blocks, OpenAI's own parts and Anthropic's (``source``
images, ``document``). A block the wire cannot carry is refused with a message saying
what to send instead, never dropped.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from aihubmix_core import (
    AudioPart,
    ContentPart,
    FilePart,
    ImagePart,
    TextPart,
    part_from_wire,
    reasoning_details_from_thinking,
    with_cache_control,
)
from aihubmix_core import ToolCall as CoreToolCall
from aihubmix_core.types import Role

__all__ = [
    "block_to_part",
    "content_to_core",
    "reasoning_details_from_blocks",
    "reasoning_from_blocks",
    "tool_calls_from_blocks",
]

# Keys a text block may carry that have no meaning on the wire (LangChain bookkeeping,
# and Anthropic's citations on earlier replies).
_TEXT_BOOKKEEPING = frozenset({"id", "index", "annotations", "extras", "citations"})
# Parts of an assistant message's content that go elsewhere on the wire (tool_calls,
# reasoning fields), so they are not sent as content.
_ASSISTANT_SIDE_BLOCKS = frozenset(
    {
        "tool_use",
        "tool_call",
        "tool_call_chunk",
        "invalid_tool_call",
        "function_call",
        "reasoning",
        "thinking",
        "redacted_thinking",
    }
)
_REASONING_BLOCKS = frozenset({"reasoning", "thinking"})
# Anthropic blocks with no chat completions form outside the places handled above.
_ANTHROPIC_ONLY = frozenset(
    {
        "tool_use",
        "tool_result",
        "thinking",
        "redacted_thinking",
        "search_result",
        "server_tool_use",
        "web_search_tool_result",
    }
)


def _extras(block: Mapping[str, Any]) -> Mapping[str, Any]:
    extras = block.get("extras") or block.get("metadata")
    return extras if isinstance(extras, Mapping) else {}


def _cache_hint(block: Mapping[str, Any]) -> Any:
    """Anthropic-style ``cache_control``, on the block or in its v1 ``extras``."""
    return block.get("cache_control") or _extras(block).get("cache_control")


def _cached(part: ContentPart, block: Mapping[str, Any]) -> ContentPart:
    hint = _cache_hint(block)
    return with_cache_control(part, hint) if hint else part


def _base64_of(block: Mapping[str, Any]) -> str | None:
    """Inline data: v1 ``base64``, or v0 ``data`` with ``source_type: "base64"``."""
    data = block.get("base64")
    if not data and block.get("source_type") == "base64":
        data = block.get("data")
    return str(data) if data else None


def _file_id_of(block: Mapping[str, Any]) -> str | None:
    """A stored file: v1 ``file_id``, or v0 ``id`` with ``source_type: "id"``."""
    file_id = block.get("file_id")
    if not file_id and block.get("source_type") == "id":
        file_id = block.get("id")
    return str(file_id) if file_id else None


# images


def _image(url: str, detail: Any, block: Mapping[str, Any]) -> ContentPart:
    return _cached(ImagePart(url=url, detail=detail or None), block)


def _anthropic_image(source: Mapping[str, Any], block: Mapping[str, Any]) -> ContentPart:
    kind = source.get("type")
    if kind == "base64" and source.get("data"):
        mime = source.get("media_type") or "image/png"
        return _image(f"data:{mime};base64,{source['data']}", None, block)
    if kind == "url" and source.get("url"):
        return _image(str(source["url"]), None, block)
    raise ValueError(
        f"An Anthropic image block with source type {kind!r} cannot be sent through chat "
        "completions; use source {'type': 'base64', 'media_type': ..., 'data': ...} or "
        "{'type': 'url', 'url': ...}."
    )


def _image_part(block: Mapping[str, Any]) -> ContentPart:
    detail = block.get("detail") or _extras(block).get("detail")
    source = block.get("source")
    if isinstance(source, Mapping):
        return _anthropic_image(source, block)
    if block.get("url"):
        return _image(str(block["url"]), detail, block)
    data = _base64_of(block)
    if data:
        mime = block.get("mime_type")
        if not mime:
            raise ValueError(
                "An image content block with base64 data needs a mime_type, e.g. "
                "{'type': 'image', 'base64': ..., 'mime_type': 'image/png'}."
            )
        return _image(f"data:{mime};base64,{data}", detail, block)
    if _file_id_of(block):
        raise ValueError(
            "Chat completions take images by URL or base64, not by file_id; send "
            "{'type': 'image', 'url': ...} or {'type': 'image', 'base64': ..., 'mime_type': ...}."
        )
    raise ValueError(
        "An image content block needs 'url' or 'base64' (with 'mime_type'); got keys "
        f"{sorted(block)}."
    )


# files, audio, plain text


def _default_filename(mime: str) -> str:
    """Upstreams want a file name with a real extension; LangChain blocks often have none."""
    if mime == "application/pdf":
        return "document.pdf"
    import mimetypes

    return "document" + (mimetypes.guess_extension(mime) or "")


def _file_data(data: str, mime: str, filename: Any, block: Mapping[str, Any]) -> ContentPart:
    name = str(filename) if filename else _default_filename(mime)
    return _cached(FilePart(data=data, mime_type=mime, filename=name), block)


def _file_part(block: Mapping[str, Any]) -> ContentPart:
    if isinstance(block.get("file"), Mapping):  # already in the OpenAI shape
        return part_from_wire(block)
    if block.get("source_type") == "text":  # v0 plain-text block
        return _text_plain_part(block)
    data = _base64_of(block)
    if data:
        mime = str(block.get("mime_type") or "application/pdf")
        filename = block.get("filename") or _extras(block).get("filename")
        return _file_data(data, mime, filename, block)
    file_id = _file_id_of(block)
    if file_id:
        return _cached(FilePart(file_id=file_id), block)
    raise ValueError(
        "A file content block needs 'base64' (with 'mime_type') or 'file_id'; chat "
        "completions do not take file URLs, so download the file and send it as base64."
    )


def _audio_part(block: Mapping[str, Any]) -> ContentPart:
    data = _base64_of(block)
    if not data:
        raise ValueError(
            "Chat completions take audio only as base64 data: send "
            "{'type': 'audio', 'base64': ..., 'mime_type': 'audio/wav'} (or 'audio/mpeg')."
        )
    mime = block.get("mime_type")
    if not mime:
        raise ValueError(
            "An audio content block needs a mime_type such as 'audio/wav' or 'audio/mpeg', "
            "which tells the model the audio format."
        )
    return _cached(AudioPart.from_mime_type(data, str(mime)), block)


def _text_plain_part(block: Mapping[str, Any]) -> ContentPart:
    """A plain-text document: its text goes inline, as the model would read it."""
    text = block.get("text")
    if text is None and block.get("source_type") == "text":  # v0 kept the text in "url"
        text = block.get("url")
    if text is None:
        data = _base64_of(block)
        if data is None:
            raise ValueError(
                "A plain-text content block needs 'text' or 'base64'; chat completions "
                "cannot fetch a URL or a file_id for it."
            )
        try:
            text = base64.b64decode(data, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise ValueError(
                f"A plain-text content block's base64 data is not UTF-8 text ({error})."
            ) from None
    return _text(str(text), block)


def _document_part(block: Mapping[str, Any]) -> ContentPart:
    """Anthropic's ``document`` block: a PDF becomes a file part, plain text goes inline."""
    citations = block.get("citations")
    if isinstance(citations, Mapping) and citations.get("enabled"):
        raise ValueError(
            "Document citations are an Anthropic Messages API feature with no chat "
            "completions form; remove 'citations' from the document block."
        )
    source = block.get("source")
    kind = source.get("type") if isinstance(source, Mapping) else None
    if isinstance(source, Mapping) and kind == "base64" and source.get("data"):
        mime = str(source.get("media_type") or "application/pdf")
        return _file_data(str(source["data"]), mime, block.get("title"), block)
    if isinstance(source, Mapping) and kind == "text" and isinstance(source.get("data"), str):
        return _text(source["data"], block)
    raise ValueError(
        f"An Anthropic document block with source type {kind!r} cannot be sent through chat "
        "completions; send the document as source {'type': 'base64', ...} or "
        "{'type': 'text', ...}."
    )


def _text(text: str, block: Mapping[str, Any]) -> ContentPart:
    return _cached(TextPart(text), block)


def _text_part(block: Mapping[str, Any]) -> ContentPart:
    wire = {k: v for k, v in block.items() if k not in _TEXT_BOOKKEEPING}
    if wire.keys() <= {"type", "text"}:
        return _text(str(block.get("text", "")), block)
    # cache_control and similar hints travel with the text.
    return part_from_wire(wire)


def _refused(kind: str) -> ContentPart:
    if kind == "video":
        raise ValueError(
            "Chat completions have no video content part; send frames as images instead."
        )
    raise ValueError(
        f"A {kind!r} content block is part of Anthropic's Messages API and has no place "
        "here: tool_use belongs in AIMessage content or tool_calls, tool_result in "
        "HumanMessage content (or a ToolMessage), thinking in AIMessage content."
    )


_CONVERTERS = {
    "text": _text_part,
    "image": _image_part,
    "file": _file_part,
    "audio": _audio_part,
    "text-plain": _text_plain_part,
    "document": _document_part,
}


def block_to_part(block: Any) -> ContentPart:
    """One LangChain content block as a core content part.

    Blocks in OpenAI's own shapes are read by the core (``part_from_wire``); those of a
    type nobody here knows travel as given, so new OpenAI part types keep working.
    Anthropic-only and video blocks are refused.
    """
    if isinstance(block, str):
        return TextPart(block)
    if not isinstance(block, Mapping):
        raise ValueError(
            f"Message content blocks must be strings or dicts, got {type(block).__name__}."
        )
    kind = block.get("type")
    converter = _CONVERTERS.get(kind) if isinstance(kind, str) else None
    if converter is not None:
        return converter(block)
    if kind == "non_standard" and isinstance(block.get("value"), Mapping):
        return part_from_wire(block["value"])
    if kind == "video" or kind in _ANTHROPIC_ONLY:
        return _refused(str(kind))
    return part_from_wire(block)


def content_to_core(content: str | list[Any], role: Role) -> str | list[ContentPart]:
    """Message content for the wire: a string when it is all text, else a list of parts.

    An assistant's tool calls and reasoning live in their own wire fields, so those
    blocks are left out of its content here.
    """
    if isinstance(content, str):
        return content
    parts: list[ContentPart] = []
    for block in content:
        if (
            role == "assistant"
            and isinstance(block, Mapping)
            and block.get("type") in _ASSISTANT_SIDE_BLOCKS
        ):
            continue
        parts.append(block_to_part(block))
    texts = [p.text for p in parts if isinstance(p, TextPart) and not p.cache_control]
    if len(texts) == len(parts) and (role == "assistant" or len(texts) <= 1):
        return "".join(texts)
    return parts


# assistant-side blocks


def reasoning_from_blocks(content: str | list[Any]) -> str | None:
    """The text of reasoning or thinking blocks, joined; ``None`` when there are none."""
    if isinstance(content, str):
        return None
    texts = [
        str(block.get("reasoning") or block.get("thinking") or "")
        for block in content
        if isinstance(block, Mapping) and block.get("type") in _REASONING_BLOCKS
    ]
    return "".join(texts) or None


def reasoning_details_from_blocks(content: str | list[Any]) -> list[dict[str, Any]] | None:
    """Anthropic's signed thinking blocks, which must come back unchanged in a tool loop,
    as the ``reasoning_details`` AIHubMix carries for Claude; ``None`` when there are none."""
    return None if isinstance(content, str) else reasoning_details_from_thinking(content)


def tool_calls_from_blocks(content: str | list[Any], known_ids: set[str]) -> list[CoreToolCall]:
    """Tool calls that exist only as content blocks (Anthropic ``tool_use``, v1 ``tool_call``),
    for histories built by hand or by another integration; calls in ``known_ids`` are
    already on the message."""
    if isinstance(content, str):
        return []
    calls = []
    for block in content:
        if not isinstance(block, Mapping) or block.get("type") not in ("tool_use", "tool_call"):
            continue
        call_id = str(block.get("id") or "")
        if call_id and call_id in known_ids:
            continue
        arguments = block.get("input") if block.get("type") == "tool_use" else block.get("args")
        calls.append(
            CoreToolCall(
                id=call_id,
                name=str(block.get("name") or ""),
                arguments=json.dumps(arguments or {}, ensure_ascii=False),
            )
        )
    return calls
