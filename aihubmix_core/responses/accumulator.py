"""Responses API replies, streamed or whole, as the chat route's ``ChatDelta`` and
``ChatResult``. Pure.

A stream is fed event by event: text, function call arguments and reasoning summaries
arrive as deltas; every other output (reasoning items with their encrypted content,
citations, built-in tool calls and generated images) is taken when its item is done. A
whole reply is the same items without the deltas, so both end in the same result.

Where each output goes in the result:

- text -> the message's content; reasoning summaries -> ``reasoning_content``;
- function calls -> ``tool_calls`` (``call_id`` is the id that goes back);
- reasoning items -> ``reasoning_details`` entries of format ``openai-responses-v1``,
  sent back with the next turn;
- ``url_citation`` annotations -> ``extra["annotations"]``, in the chat completions shape;
- generated images -> ``extra["images"]`` as ``image_url`` parts with a ``data:`` URL;
- built-in tool calls (web search, code interpreter, ...) -> ``extra["server_tool_calls"]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..chat.reply import parse_usage
from ..typed_stream import Handler, TypedEventAccumulator, mappings, url_citation
from ..types import ChatDelta, ChatResult
from .request import REASONING_FORMAT

__all__ = ["ResponsesAccumulator", "parse_responses_reply"]

_INCOMPLETE = {"max_output_tokens": "length", "content_filter": "content_filter"}


def _text_of(parts: Any, kind: str, separator: str = "") -> str:
    """The text of the parts of one kind (a refusal part holds it under ``refusal``)."""
    if not isinstance(parts, list):
        return ""
    name = "refusal" if kind == "refusal" else "text"
    return separator.join(
        str(part.get(name) or "")
        for part in parts
        if isinstance(part, Mapping) and part.get("type") == kind
    )


def _citations(part: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = []
    for note in part.get("annotations") or []:
        if isinstance(note, Mapping) and note.get("type") == "url_citation":
            citation = url_citation(
                note.get("url"),
                note.get("title"),
                note.get("start_index", 0),
                note.get("end_index", 0),
            )
            if citation is not None:
                found.append(citation)
    return found


class ResponsesAccumulator(TypedEventAccumulator):
    """Feed it each decoded ``response.*`` event; it returns the deltas, then the result."""

    __slots__ = ("_streamed",)

    def __init__(self, request_id: str | None = None) -> None:
        super().__init__(request_id)
        self._streamed: set[Any] = set()  # output items whose text came as deltas

    # the hot path: one handler per delta event

    def _on_text(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        self._streamed.add(event.get("output_index"))
        return self._text(event.get("delta") or "")

    def _on_reasoning(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        self._streamed.add(event.get("output_index"))
        return self._reasoning(event.get("delta") or "")

    def _on_arguments(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        return self._arguments(event.get("output_index"), event.get("delta") or "")

    def _on_summary_part(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        """Summary parts after the first are paragraphs of their own."""
        if event.get("summary_index") and event.get("output_index") in self._streamed:
            return self._reasoning("\n\n")
        return []

    def _on_refusal(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        self._streamed.add(event.get("output_index"))
        extra = self._state.extra
        extra["refusal"] = str(extra.get("refusal") or "") + str(event.get("delta") or "")
        return []

    # items and the response around them

    def _on_response(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        response = event.get("response")
        if isinstance(response, Mapping):
            self._head(response.get("id"), response.get("model"), response.get("created_at"))
        return []

    def _on_item_added(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        item = event.get("item")
        if isinstance(item, Mapping) and item.get("type") == "function_call":
            key = event.get("output_index")
            return self._start_call(
                key, str(item.get("call_id") or ""), str(item.get("name") or "")
            )
        return []

    def _on_item_done(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        item = event.get("item")
        return self.item(item, event.get("output_index")) if isinstance(item, Mapping) else []

    def item(self, item: Mapping[str, Any], key: Any) -> list[ChatDelta]:
        """A finished output item; ``key`` is its ``output_index``."""
        kind = item.get("type")
        streamed = key in self._streamed
        if kind == "message":
            content = item.get("content") or []
            for part in content if isinstance(content, list) else ():
                if isinstance(part, Mapping):
                    self._keep("annotations", _citations(part))
            if streamed:
                return []
            refusal = _text_of(content, "refusal")
            if refusal:
                self._state.extra["refusal"] = refusal
            return self._text(_text_of(content, "output_text"))
        if kind == "function_call":
            call_id, name = (
                str(item.get("call_id") or item.get("id") or ""),
                str(item.get("name") or ""),
            )
            return self._whole_call(key, call_id, name, str(item.get("arguments") or ""))
        if kind == "reasoning":
            return self._reasoning_item(item, streamed)
        if kind == "image_generation_call" and item.get("result"):
            image_format = item.get("output_format") or "png"
            url = f"data:image/{image_format};base64,{item['result']}"
            self._keep("images", [{"type": "image_url", "image_url": {"url": url}}])
            item = {key: value for key, value in item.items() if key != "result"}
        self._keep("server_tool_calls", [dict(item)])
        return []

    def _reasoning_item(self, item: Mapping[str, Any], streamed: bool) -> list[ChatDelta]:
        summary = _text_of(item.get("summary"), "summary_text", "\n\n")
        deltas = (
            []
            if streamed
            else self._reasoning(summary or _text_of(item.get("content"), "reasoning_text"))
        )
        detail: dict[str, Any] = {"type": "reasoning.summary", "summary": summary}
        if item.get("encrypted_content"):
            detail = {
                "type": "reasoning.encrypted",
                "data": item["encrypted_content"],
                "summary": summary,
            }
        if item.get("id"):
            detail["id"] = item["id"]
        detail["format"] = REASONING_FORMAT
        return deltas + self._details([detail])

    def _on_completed(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        response = event.get("response")
        return self.complete(response if isinstance(response, Mapping) else {})

    def complete(self, response: Mapping[str, Any]) -> list[ChatDelta]:
        """The response is over: its status becomes the finish reason, its usage the usage."""
        self._on_response({"response": response})
        tier = response.get("service_tier")
        if isinstance(tier, str) and tier:
            self.service_tier = tier
        status = response.get("status")
        if status == "incomplete":
            details = response.get("incomplete_details")
            reason = details.get("reason") if isinstance(details, Mapping) else None
            finish = _INCOMPLETE.get(str(reason), "length")
        elif status in ("completed", None):
            finish = "tool_calls" if self._state.calls else "stop"
        else:
            return []  # still running (a background response): nothing is final yet
        self.done = True
        return self._finish(finish, parse_usage(response.get("usage")))

    def _on_failed(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        response = event.get("response")
        error = response.get("error") if isinstance(response, Mapping) else None
        self._raise_upstream(error or "the response failed", event)
        return []  # pragma: no cover - the line above raises

    def _on_error(self, event: Mapping[str, Any]) -> list[ChatDelta]:
        self._raise_upstream(event, event)
        return []  # pragma: no cover - the line above raises

    def whole(self, body: Mapping[str, Any]) -> None:
        self._on_response({"response": body})
        for position, item in mappings(body.get("output")):
            self.item(item, position)
        self.complete(body)

    _RESPONSE_EVENTS = (
        ("output_text.delta", _on_text),
        ("function_call_arguments.delta", _on_arguments),
        ("reasoning_summary_text.delta", _on_reasoning),
        ("reasoning_text.delta", _on_reasoning),
        ("reasoning_summary_part.added", _on_summary_part),
        ("refusal.delta", _on_refusal),
        ("output_item.added", _on_item_added),
        ("output_item.done", _on_item_done),
        ("created", _on_response),
        ("in_progress", _on_response),
        ("completed", _on_completed),
        ("incomplete", _on_completed),
        ("failed", _on_failed),
    )
    handlers: dict[str, Handler] = {  # type: ignore[misc]
        "error": _on_error,
        **{f"response.{name}": handler for name, handler in _RESPONSE_EVENTS},
    }


def parse_responses_reply(body: Any, *, request_id: str | None = None) -> ChatResult:
    """A whole ``/responses`` reply as a ``ChatResult``; an error in it is raised typed."""
    return ResponsesAccumulator.parse(body, request_id)
