"""Anthropic Messages replies, streamed or whole, as the chat route's ``ChatDelta`` and
``ChatResult``. Pure.

A stream is ``message_start``, then for each content block ``content_block_start``, its
deltas and ``content_block_stop``, then ``message_delta`` (stop reason, output usage) and
``message_stop``; ``ping`` may come anywhere and ``error`` ends it. A whole reply is the
same blocks at once, so both end in the same result:

- text -> content; thinking -> ``reasoning_content``, and with its signature (or a
  redacted block) -> ``reasoning_details`` (format ``anthropic-claude-v1``), sent back in
  tool loops;
- ``tool_use`` -> ``tool_calls``;
- citations -> ``extra["citations"]`` as given, web ones also as ``url_citation``
  ``extra["annotations"]`` (the chat completions shape);
- server tool blocks (web search calls and results) -> ``extra["server_tool_calls"]``;
- usage: ``prompt_tokens`` counts every input token (fresh, written to and read from the
  cache), ``cached_tokens`` the reads and ``cache_write_tokens`` the writes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..chat.reply import count_field
from ..chat.wire import reasoning_details_from_thinking
from ..typed_stream import Handler, TypedEventAccumulator, mappings, url_citation
from ..types import ChatDelta, ChatResult, Usage

__all__ = ["FINISH_REASONS", "MessagesAccumulator", "messages_usage", "parse_messages_reply"]

FINISH_REASONS = {
    **dict.fromkeys(("end_turn", "stop_sequence", "pause_turn"), "stop"),
    **dict.fromkeys(("max_tokens", "model_context_window_exceeded"), "length"),
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}
"""Anthropic's stop reasons as the chat completions finish reasons."""


def messages_usage(raw: Any) -> Usage | None:
    """Anthropic's usage as core usage; ``input_tokens`` there leaves out the cache."""
    if not isinstance(raw, Mapping) or not raw:
        return None
    read = count_field(raw.get("cache_read_input_tokens"))
    written = count_field(raw.get("cache_creation_input_tokens"))
    uncached = count_field(raw.get("input_tokens"))
    output = count_field(raw.get("output_tokens"))
    prompt = (uncached or 0) + (read or 0) + (written or 0)
    completion = output or 0
    return Usage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        total_tokens=prompt + completion,
        cached_tokens=read,
        cache_write_tokens=written,
        raw=dict(raw),
        counted=uncached is not None and output is not None,
    )


@dataclass(slots=True)
class _Block:
    """A content block while it streams."""

    start: dict[str, Any]
    offset: int
    """Where its text starts in the message's text."""
    parts: list[str] = field(default_factory=list)
    signature: str = ""
    citations: list[Any] = field(default_factory=list)

    def whole(self) -> dict[str, Any]:
        block = dict(self.start)
        kind = block.get("type")
        if kind == "thinking":
            block["thinking"] = str(block.get("thinking") or "") + "".join(self.parts)
            block["signature"] = str(block.get("signature") or "") + self.signature
        elif self.parts:
            try:
                block["input"] = json.loads("".join(self.parts))
            except ValueError:
                block["input"] = "".join(self.parts)
        if self.citations:
            block["citations"] = list(block.get("citations") or []) + self.citations
        return block


def _annotations(citations: Any, start: int, end: int) -> list[dict[str, Any]]:
    found = []
    for cite in citations if isinstance(citations, list) else ():
        if isinstance(cite, Mapping):
            note = url_citation(
                cite.get("url"), cite.get("title"), start, end, cited_text=cite.get("cited_text")
            )
            if note is not None:
                found.append(note)
    return found


class MessagesAccumulator(TypedEventAccumulator):
    """Feed it each decoded Messages event; it returns the deltas, then the result."""

    __slots__ = ("_blocks", "_usage_raw")

    def __init__(self, request_id: str | None = None) -> None:
        super().__init__(request_id)
        self._blocks: dict[Any, _Block] = {}
        self._usage_raw: dict[str, Any] = {}

    def _on_delta(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        delta = event.get("delta")
        if not isinstance(delta, Mapping):
            return []
        kind = delta.get("type")
        if kind == "text_delta":
            return self._text(delta.get("text") or "")
        index = event.get("index")
        if kind == "input_json_delta" and index in self._keys:
            return self._arguments(index, delta.get("partial_json") or "")
        block = self._blocks.get(index)
        if block is None:
            return []
        if kind == "thinking_delta":
            block.parts.append(delta.get("thinking") or "")
            return self._reasoning(delta.get("thinking") or "")
        if kind == "signature_delta":
            block.signature += str(delta.get("signature") or "")
        elif kind == "citations_delta":
            block.citations.append(delta.get("citation"))
        elif kind == "input_json_delta":
            block.parts.append(delta.get("partial_json") or "")
        return []

    def _on_message_start(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        message = event.get("message")
        if isinstance(message, Mapping):
            self._head(message.get("id"), message.get("model"))
            self._add_usage(message.get("usage"))
        return []

    def _add_usage(self, usage: Any) -> None:
        if isinstance(usage, Mapping):
            self._usage_raw.update((k, v) for k, v in usage.items() if v is not None)

    def _on_block_start(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        block = event.get("content_block")
        if not isinstance(block, Mapping):
            return []
        index = event.get("index")
        self._blocks[index] = _Block(dict(block), self._text_length())
        kind = block.get("type")
        if kind == "tool_use":
            return self._start_call(index, str(block.get("id") or ""), str(block.get("name") or ""))
        if kind == "text":
            return self._text(str(block.get("text") or ""))
        return []

    def _on_block_stop(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        index = event.get("index")
        block = self._blocks.pop(index, None)
        if block is None:
            return []
        return self.block(block.whole(), index, streamed=True, offset=block.offset)

    def block(
        self, block: Mapping[str, Any], index: Any, *, streamed: bool, offset: int = 0
    ) -> list[ChatDelta]:
        """A finished content block; ``streamed`` when its text already came as deltas."""
        kind = block.get("type")
        deltas: list[ChatDelta] = []
        if kind == "text":
            if not streamed:
                offset = self._text_length()
                deltas = self._text(str(block.get("text") or ""))
            citations = block.get("citations")
            if citations:
                self._keep("citations", list(citations))
                self._keep("annotations", _annotations(citations, offset, self._text_length()))
        elif kind in ("thinking", "redacted_thinking"):
            if not streamed:
                deltas = self._reasoning(str(block.get("thinking") or ""))
            deltas += self._details(reasoning_details_from_thinking([block]) or [])
        elif kind == "tool_use":
            arguments = block.get("input")
            text = json.dumps(arguments, ensure_ascii=False) if arguments else ""
            deltas = self._whole_call(
                index, str(block.get("id") or ""), str(block.get("name") or ""), text
            )
        else:
            self._keep("server_tool_calls", [dict(block)])
        return deltas

    def _on_message_delta(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        self._add_usage(event.get("usage"))
        delta = event.get("delta")
        reason = delta.get("stop_reason") if isinstance(delta, Mapping) else None
        if not reason:
            return []
        return self.stop(str(reason))

    def stop(self, reason: str | None) -> list[ChatDelta]:
        """The message is over: the stop reason and the usage so far are final."""
        if reason is not None:
            self._state.extra["stop_reason"] = reason
        finish = FINISH_REASONS.get(str(reason), "stop")
        return self._finish(finish, messages_usage(self._usage_raw))

    def _on_message_stop(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        self.done = True
        return [] if self._state.finish_reason else self.stop(None)

    def _on_error(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        self._raise_upstream(event.get("error") or event, event)
        return []  # pragma: no cover - the line above raises

    def whole(self, body: Mapping[str, Any]) -> None:
        self._on_message_start({"message": body})
        for index, block in mappings(body.get("content")):
            self.block(block, index, streamed=False)
        self.stop(body.get("stop_reason") or None)
        self.done = True

    handlers: dict[str, Handler] = {  # type: ignore[misc]
        "content_block_delta": _on_delta,
        "content_block_start": _on_block_start,
        "content_block_stop": _on_block_stop,
        "message_start": _on_message_start,
        "message_delta": _on_message_delta,
        "message_stop": _on_message_stop,
        "error": _on_error,
    }


def parse_messages_reply(body: Any, *, request_id: str | None = None) -> ChatResult:
    """A whole ``/messages`` reply as a ``ChatResult``; an error body is raised typed."""
    return MessagesAccumulator.parse(body, request_id)
