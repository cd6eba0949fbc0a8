"""The common part of the accumulators for protocols with typed events: the OpenAI
Responses API (``response.*`` events) and Anthropic's Messages (``content_block_*``). Pure.

A subclass maps each event type to a handler; the handlers call the small methods here,
which keep the reply in the chat accumulator's own state. The snapshot, the final result,
the partial reply on errors and the tool calls adapters read while a stream runs are
therefore the chat accumulator's, and every route ends in the same ``ChatResult``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

from .chat.accumulator import StreamAccumulator, _Call, _ChoiceState
from .error_mapping import error_from_body, status_of_error
from .errors import APIResponseError
from .types import ChatDelta, ChatResult, ToolCallDelta, Usage

__all__ = ["Handler", "TypedEventAccumulator", "checked_reply", "mappings", "url_citation"]

Handler = Callable[[Any, Mapping[str, Any]], list[ChatDelta]]
"""A handler of one event type: the accumulator and the event in, the deltas out."""


def url_citation(url: Any, title: Any, start: int, end: int, **more: Any) -> dict[str, Any] | None:
    """A web citation in the chat completions shape (``{"type": "url_citation",
    "url_citation": {...}}``), whichever protocol reported it; ``None`` without a URL."""
    if not isinstance(url, str) or not url:
        return None
    citation: dict[str, Any] = {"url": url, "start_index": start, "end_index": end}
    if isinstance(title, str) and title:
        citation["title"] = title
    citation.update({key: value for key, value in more.items() if value is not None})
    return {"type": "url_citation", "url_citation": citation}


def checked_reply(body: Any, request_id: str | None) -> Mapping[str, Any]:
    """A whole reply's body: a JSON object that is no error (an error one is raised typed,
    by its code or type when the status said 200)."""
    if not isinstance(body, Mapping):
        raise APIResponseError(
            f"AIHubMix returned a reply that is not a JSON object: {str(body)[:200]!r}", body=body
        )
    error = body.get("error")
    if body.get("type") == "error" or (isinstance(error, Mapping | str) and error):
        raise error_from_body(status_of_error(error), json.dumps(body), request_id=request_id)
    return body


def mappings(items: Any) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """The objects of a JSON list, with their positions (anything else is skipped)."""
    for position, item in enumerate(items if isinstance(items, list) else ()):
        if isinstance(item, Mapping):
            yield position, item


class TypedEventAccumulator(StreamAccumulator):
    """One choice, built from typed events. ``handlers`` maps an event's ``type`` to its
    handler; events of other types (keep-alives, progress reports) add nothing."""

    __slots__ = ("_keys", "_state")

    handlers: ClassVar[dict[str, Handler]] = {}

    def __init__(self, request_id: str | None = None) -> None:
        super().__init__(request_id)
        self._state = self._choices[0] = _ChoiceState()
        self._keys: dict[Any, int] = {}  # the protocol's key of a call -> its slot

    @classmethod
    def parse(cls, body: Any, request_id: str | None = None) -> ChatResult:
        """A whole reply as the result its stream would have given."""
        accumulator = cls(request_id)
        accumulator.whole(checked_reply(body, request_id))
        return accumulator.snapshot()

    def whole(self, body: Mapping[str, Any]) -> None:
        """Take a whole reply's body (a subclass knows its shape)."""
        raise NotImplementedError

    def add(self, chunk: Mapping[str, Any]) -> list[ChatDelta]:
        handler = self.handlers.get(chunk.get("type"))  # type: ignore[arg-type]
        if handler is not None:
            return handler(self, chunk)
        error = chunk.get("error")
        if error is not None:
            self._raise_upstream(error, chunk)
        return []

    # what the handlers call

    def _head(self, response_id: Any, model: Any, created: Any = None) -> None:
        if not self.id and isinstance(response_id, str) and response_id:
            self.id = response_id
        if isinstance(model, str) and model:
            self.model = model
        if self.created is None and isinstance(created, int):
            self.created = created

    def _text(self, text: str) -> list[ChatDelta]:
        if not text:
            return []
        self._state.text.append(text)
        return [ChatDelta(text, id=self.id, model=self.model)]

    def _reasoning(self, text: str) -> list[ChatDelta]:
        if not text:
            return []
        self._state.reasoning.append(text)
        return [ChatDelta(reasoning=text, id=self.id, model=self.model)]

    def _text_length(self) -> int:
        return sum(map(len, self._state.text))

    def _start_call(self, key: Any, call_id: str, name: str) -> list[ChatDelta]:
        if key in self._keys:
            return []
        slot = self._keys[key] = len(self._state.calls)
        self._state.calls.append(_Call(id=call_id, name=name))
        call = ToolCallDelta(slot, id=call_id or None, name=name or None)
        return [ChatDelta(tool_calls=[call], id=self.id, model=self.model)]

    def _arguments(self, key: Any, fragment: str) -> list[ChatDelta]:
        slot = self._keys.get(key)
        if slot is None or not fragment:
            return []
        self._state.calls[slot].arguments.append(fragment)
        call = ToolCallDelta(slot, arguments=fragment)
        return [ChatDelta(tool_calls=[call], id=self.id, model=self.model)]

    def _whole_call(self, key: Any, call_id: str, name: str, arguments: str) -> list[ChatDelta]:
        """A call known whole: started if it was not, its arguments taken if none streamed."""
        deltas = self._start_call(key, call_id, name)
        if not self._state.calls[self._keys[key]].arguments:
            deltas += self._arguments(key, arguments)
        return deltas

    def _details(self, details: list[dict[str, Any]]) -> list[ChatDelta]:
        if not details:
            return []
        for detail in details:
            detail["index"] = len(self._state.reasoning_details)
            self._state.reasoning_details.append(detail)
        return [ChatDelta(reasoning_details=details, id=self.id, model=self.model)]

    def _keep(self, key: str, values: list[Any]) -> None:
        """Values for the message's ``extra[key]`` list (citations, images, tool outputs)."""
        if values:
            self._state.extra.setdefault(key, []).extend(values)

    def _finish(self, reason: str | None, usage: Usage | None) -> list[ChatDelta]:
        if usage is not None:
            self.usage = usage
        if reason and not self._state.finish_reason:
            self._state.finish_reason = reason
        else:
            reason = None
        if reason is None and usage is None:
            return []
        return [ChatDelta(finish_reason=reason, usage=usage, id=self.id, model=self.model)]
