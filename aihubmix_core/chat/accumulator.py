"""Stream chunks in, deltas and one final message out. Pure, shared by sync and async.

Tool-call fragments are keyed by ``index`` (whatever its first value), ids and names are
taken once and never concatenated, and a new id at an index already in use starts a new
call, as some upstreams number every parallel call 0. A call's other fields (Gemini's
``extra_content``) are kept on it, to be sent back with it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..error_mapping import error_from_body
from ..errors import (
    APIResponseError,
    AuthenticationError,
    BadRequestError,
    InsufficientQuotaError,
    NotFoundError,
    PermissionDeniedError,
    StreamIncompleteError,
    UpstreamStreamError,
)
from ..types import ChatDelta, ChatResult, Choice, Message, ToolCall, ToolCallDelta, Usage
from .reply import parse_usage, split_content, text_of_reasoning
from .wire import function_fields, tool_call_extra

__all__ = ["StreamAccumulator"]


@dataclass(slots=True)
class _Call:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _ChoiceState:
    text: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)
    reasoning_details: list[Any] = field(default_factory=list)
    calls: list[_Call] = field(default_factory=list)
    slots: dict[int, int] = field(default_factory=dict)
    finish_reason: str | None = None
    extra_parts: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    logprobs: list[Any] = field(default_factory=list)
    held: str = ""
    """A high surrogate that ended the last piece of text, waiting for its other half."""


def _whole_characters(state: _ChoiceState, text: str) -> str:
    """``text`` with a surrogate pair split across two deltas (an emoji escaped as two
    ``\\u`` halves) joined into one character; a trailing high half waits for the next."""
    text = state.held + text
    state.held = ""
    if text and "\ud800" <= text[-1] <= "\udbff":
        state.held, text = text[-1], text[:-1]
    if any("\ud800" <= char <= "\udfff" for char in text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _assembled_calls(state: _ChoiceState) -> list[ToolCall]:
    return [
        ToolCall(
            id=call.id or f"call_{slot}",
            name=call.name,
            arguments="".join(call.arguments),
            extra=dict(call.extra),
        )
        for slot, call in enumerate(state.calls)
    ]


def _slot_for(state: _ChoiceState, wire_index: Any, call_id: str, name: str, position: int) -> int:
    """The call a fragment belongs to, starting a new one where it begins a call.

    With an ``index``, fragments sharing it are one call, unless a new id arrives there.
    Without one (Gemini sends each call whole, unnumbered), a fragment with an id or a
    name is a call of its own unless its id is already known; one with neither continues
    the call last started at its position in the list.
    """
    if isinstance(wire_index, int):
        key = wire_index
        slot = state.slots.get(key)
        if slot is not None and call_id and state.calls[slot].id not in ("", call_id):
            slot = None  # a new call reusing an index
    else:
        key = -1 - position
        slot = state.slots.get(key)
        if call_id or name:
            known = [i for i, call in enumerate(state.calls) if call_id and call.id == call_id]
            slot = known[-1] if known else None
    if slot is None:
        slot = len(state.calls)
        state.calls.append(_Call())
    state.slots[key] = slot
    return slot


def _merge_details(merged: list[Any], fragments: list[Any]) -> None:
    """Streamed ``reasoning_details`` arrive in pieces that share an ``index``; join them
    into the entries the non-streamed reply would have (text concatenated, signature kept)."""
    for fragment in fragments:
        if not isinstance(fragment, Mapping) or not isinstance(fragment.get("index"), int):
            merged.append(fragment)
            continue
        target = next(
            (
                entry
                for entry in merged
                if isinstance(entry, dict)
                and entry.get("index") == fragment["index"]
                and entry.get("type") == fragment.get("type")
            ),
            None,
        )
        if target is None:
            merged.append(dict(fragment))
            continue
        for key, value in fragment.items():
            if (
                key in ("text", "summary", "data")
                and isinstance(value, str)
                and isinstance(target.get(key), str)
            ):
                target[key] += value
            elif value is not None and target.get(key) in (None, ""):
                target[key] = value


_TEXT_ONLY = frozenset({"content", "role"})
# Errors a new request would meet again (a wrong model, an overlong prompt, the key).
_PERMANENT = (
    BadRequestError,
    AuthenticationError,
    InsufficientQuotaError,
    PermissionDeniedError,
    NotFoundError,
)
_NO_MESSAGE = "the gateway reported an error inside the stream"


class StreamAccumulator:
    """Feed it each decoded chunk; it returns the delta to hand on, then the whole result."""

    __slots__ = (
        "_choices",
        "created",
        "done",
        "id",
        "model",
        "request_id",
        "service_tier",
        "system_fingerprint",
        "usage",
    )

    def __init__(self, request_id: str | None = None) -> None:
        self._choices: dict[int, _ChoiceState] = {}
        self.id: str | None = None
        self.model: str | None = None
        self.created: int | None = None
        self.system_fingerprint: str | None = None
        self.service_tier: str | None = None
        self.usage: Usage | None = None
        self.request_id = request_id
        self.done = False

    def add(self, chunk: Mapping[str, Any]) -> list[ChatDelta]:
        """Take one chunk; return what it added, one delta per choice it touched (and usage)."""
        error = chunk.get("error")
        if error is not None:
            self._raise_upstream(error, chunk)
        # Each name field is taken when it is a non-empty string (``string_field``), tested
        # inline: this runs for every chunk of every stream.
        if not self.id and type(value := chunk.get("id")) is str:
            self.id = value or None
        if (value := chunk.get("model")) and type(value) is str:
            self.model = value
        if self.created is None and isinstance(chunk.get("created"), int):
            self.created = chunk["created"]
        if (value := chunk.get("system_fingerprint")) and type(value) is str:
            self.system_fingerprint = value
        if (value := chunk.get("service_tier")) and type(value) is str:
            self.service_tier = value
        deltas: list[ChatDelta] = []
        choices = chunk.get("choices")
        if isinstance(choices, list):
            for position, choice in enumerate(choices):
                if isinstance(choice, (dict, Mapping)):
                    deltas.append(self._add_choice(choice, position))
        raw_usage = chunk.get("usage")
        usage = parse_usage(raw_usage) if raw_usage else None
        if usage is not None:
            self.usage = usage
            if deltas:
                deltas[-1].usage = usage
            else:
                deltas.append(ChatDelta(usage=usage))
        for delta in deltas:
            delta.id = self.id
            delta.model = self.model
            delta.system_fingerprint = self.system_fingerprint
        return deltas

    def _add_choice(self, choice: Mapping[str, Any], position: int) -> ChatDelta:
        index = choice.get("index")
        if not isinstance(index, int):
            index = position
        state = self._choices.get(index)
        if state is None:
            state = self._choices[index] = _ChoiceState()
        delta = ChatDelta(index=index)
        raw = choice.get("delta") or choice.get("message")
        if not isinstance(raw, (dict, Mapping)):
            raw = {}
        content = raw.get("content")
        if isinstance(content, str):
            if content and (state.held or "\ud800" <= content[-1] <= "\udfff"):
                content = _whole_characters(state, content)
            if content:
                state.text.append(content)
                delta.content = content
            if _TEXT_ONLY.issuperset(raw):  # the common case: a piece of text and nothing else
                return self._finish_choice(state, delta, choice)
        elif content is not None:
            text, reasoning_text, other = split_content(content)
            if text:
                state.text.append(text)
                delta.content = text
            if reasoning_text:
                state.reasoning.append(reasoning_text)
                delta.reasoning = reasoning_text
            state.extra_parts.extend(other)
        reasoning = text_of_reasoning(raw)
        if reasoning:
            state.reasoning.append(reasoning)
            delta.reasoning += reasoning
        details = raw.get("reasoning_details")
        if isinstance(details, list) and details:
            _merge_details(state.reasoning_details, details)
            delta.reasoning_details = details
        tool_calls = raw.get("tool_calls")
        if tool_calls:
            for item_position, item in enumerate(tool_calls):
                if isinstance(item, Mapping):
                    delta.tool_calls.append(self._add_call(state, item, item_position))
        for key in ("refusal", "annotations", "audio"):
            value = raw.get(key)
            if value:
                held = state.extra.get(key)
                if isinstance(value, str) and isinstance(held, str | None):
                    state.extra[key] = (held or "") + value
                elif isinstance(value, list) and isinstance(held, list):
                    held.extend(value)
                elif isinstance(value, list) and held is None:
                    state.extra[key] = list(value)
                else:
                    state.extra[key] = value
        return self._finish_choice(state, delta, choice)

    @staticmethod
    def _finish_choice(
        state: _ChoiceState, delta: ChatDelta, choice: Mapping[str, Any]
    ) -> ChatDelta:
        finish = choice.get("finish_reason")
        if finish and type(finish) is str:  # string_field, inline: once per chunk
            state.finish_reason = finish
            delta.finish_reason = finish
        logprobs = choice.get("logprobs")
        if logprobs:
            delta.logprobs = logprobs
            state.logprobs.append(logprobs)
        return delta

    @staticmethod
    def _add_call(state: _ChoiceState, item: Mapping[str, Any], position: int) -> ToolCallDelta:
        call_id = str(item.get("id") or "")
        name, arguments = function_fields(item)
        slot = _slot_for(state, item.get("index"), call_id, name, position)
        call = state.calls[slot]
        # A delta carries an id or a name only the first time: frameworks that merge deltas
        # by adding strings (LangChain) would otherwise concatenate repeated ones.
        new_id = call_id if call_id and not call.id else None
        new_name = name if name and not call.name else None
        if new_id:
            call.id = new_id
        if new_name:
            call.name = new_name
        if arguments:
            call.arguments.append(arguments)
        extra = tool_call_extra(item)
        if extra:
            call.extra.update(extra)
        return ToolCallDelta(
            index=slot, id=new_id, name=new_name, arguments=arguments, extra=extra or None
        )

    @staticmethod
    def _raise_upstream(error: Any, chunk: Mapping[str, Any]) -> None:
        """An error event: classified like an error reply. A permanent one (a wrong model,
        a bad request, the key) is raised as its class, whose hint says what to fix; the
        rest as ``UpstreamStreamError``, which may pass on a new request."""
        body = {"error": dict(error) if isinstance(error, Mapping) else str(error)}
        classified = error_from_body(200, json.dumps(body, default=str))
        if isinstance(classified, _PERMANENT):
            raise classified
        code, error_type = classified.code, classified.error_type
        message = classified.upstream_message
        if not isinstance(error, Mapping) or not error.get("message"):
            message = str(error) if not isinstance(error, Mapping) else _NO_MESSAGE
        raise UpstreamStreamError(
            f"AIHubMix stream failed: {message}"
            + (f" (code {code})" if code not in (None, "") else "")
            + ". The partial reply is on .partial; retry the request.",
            code=code,
            error_type=error_type,
            body=dict(chunk),
        )

    @property
    def finished(self) -> bool:
        """Whether the stream ended properly: ``[DONE]`` or a finish reason on every choice."""
        if self.done:
            return True
        return bool(self._choices) and all(s.finish_reason for s in self._choices.values())

    def tool_calls(self, choice: int = 0) -> list[ToolCall]:
        """The tool calls of one choice as assembled so far (arguments may be partial JSON).

        Cheaper than ``snapshot()`` for adapters that show calls while they stream.
        """
        state = self._choices.get(choice)
        return [] if state is None else _assembled_calls(state)

    def snapshot(self) -> ChatResult:
        """What has arrived so far, as a result (used for partial replies on errors)."""
        choices = [self._choice(index, state) for index, state in sorted(self._choices.items())]
        if not choices:
            choices = [Choice(index=0, message=Message(role="assistant", content=""))]
        return ChatResult(
            choices=choices,
            id=self.id,
            model=self.model,
            created=self.created,
            system_fingerprint=self.system_fingerprint,
            service_tier=self.service_tier,
            request_id=self.request_id,
            usage=self.usage,
        )

    def result(self) -> ChatResult:
        """The final result; raises ``StreamIncompleteError`` if the stream was cut short,
        and ``APIResponseError`` if it ended without a single choice (as a whole reply
        without choices does)."""
        if self.done and not self._choices:
            raise APIResponseError(
                "AIHubMix streamed a reply with no choices; the upstream model produced "
                "nothing. Try again, or check the request id with AIHubMix support.",
                body={"id": self.id, "model": self.model, "request_id": self.request_id},
            )
        if not self.finished:
            raise StreamIncompleteError(
                "The AIHubMix stream ended before the reply was complete (no finish reason and "
                "no [DONE]). The partial reply is on .partial; retry the request.",
                partial=self.snapshot(),
            )
        return self.snapshot()

    @staticmethod
    def _choice(index: int, state: _ChoiceState) -> Choice:
        extra = dict(state.extra)
        if state.extra_parts:
            extra["content_parts"] = list(state.extra_parts)
        message = Message(
            role="assistant",
            content="".join(state.text) + state.held,
            tool_calls=_assembled_calls(state),
            reasoning_content="".join(state.reasoning) or None,
            reasoning_details=list(state.reasoning_details) or None,
            extra=extra,
        )
        logprobs: Any = None
        if state.logprobs:
            merged: list[Any] = []
            for item in state.logprobs:
                if isinstance(item, Mapping) and isinstance(item.get("content"), list):
                    merged.extend(item["content"])
            logprobs = {"content": merged}
        return Choice(
            index=index, message=message, finish_reason=state.finish_reason, logprobs=logprobs
        )
