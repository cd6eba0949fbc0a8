"""Lenient parsing of chat completion replies into core types.

Unknown fields are ignored (or kept in ``extra``), missing ones default, and the shapes
different upstreams use for the same thing (content as a string or as typed parts,
``reasoning_content`` or ``reasoning``, OpenAI's or DeepSeek's cache counters) converge.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from ..error_mapping import error_from_body
from ..errors import APIResponseError
from ..types import ChatResult, Choice, Message, Usage
from .wire import tool_calls_from_wire

__all__ = [
    "count_field",
    "parse_chat_completion",
    "parse_usage",
    "split_content",
    "string_field",
    "text_of_reasoning",
]

_MESSAGE_KEYS = frozenset(
    {
        "role",
        "content",
        "tool_calls",
        "reasoning_content",
        "reasoning",
        "reasoning_details",
        "name",
        "function_call",
    }
)
_RESULT_KEYS = frozenset(
    {"id", "object", "created", "model", "choices", "usage", "system_fingerprint", "service_tier"}
)
_TEXT_PART_TYPES = frozenset({"text", "output_text"})
_REASONING_PART_TYPES = frozenset({"thinking", "reasoning", "reasoning_text"})


def count_field(value: Any) -> int | None:
    """A count as upstreams send it: a number, or a number in a string ("5").

    Anything that is not a finite count of zero or more (``true``, ``-3``, ``Infinity``,
    ``NaN``, which Python's json reads) is absent rather than a crash or a wrong figure.
    """
    if type(value) is int:  # the usual case, first
        return value if 0 <= value <= _MAX_COUNT else None
    if isinstance(value, str):
        value = _number_in(value.strip())
    if isinstance(value, float) and math.isfinite(value):
        value = int(value)
    return value if type(value) is int and 0 <= value <= _MAX_COUNT else None


_MAX_COUNT = 2**53
"""The largest count taken: JSON's largest exact integer. Anything above is a broken
upstream, and pricing it would overflow."""
_DECIMAL = re.compile(r"\d*\.?\d+(?:[eE][+-]?\d+)?")


def _number_in(text: str) -> int | float | None:
    """Digits read exactly (a long count must not pass through a float), a plain decimal
    as a float; nothing else (``"5_000"``, ``"n/a"``, 5,000 digits) is a count."""
    if len(text) > 24:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    return float(text) if _DECIMAL.fullmatch(text) else None


def string_field(value: Any) -> str | None:
    """An id, model name or fingerprint as sent, when it is a non-empty string."""
    return value if isinstance(value, str) and value else None


def _first_count(raw: Mapping[str, Any], *names: str) -> int | None:
    for name in names:
        value = raw.get(name)
        if type(value) is int and 0 <= value <= _MAX_COUNT:  # count_field's usual case, inline
            return value
        count = None if value is None else count_field(value)
        if count is not None:
            return count
    return None


def parse_usage(raw: Any) -> Usage | None:
    """Usage from any of the shapes upstreams send; ``None`` when there is none."""
    if not isinstance(raw, Mapping):
        return None
    read_prompt = _first_count(raw, "prompt_tokens", "input_tokens")
    read_completion = _first_count(raw, "completion_tokens", "output_tokens")
    read_total = _first_count(raw, "total_tokens")
    prompt = read_prompt or 0
    if read_completion is None and read_total is not None and read_prompt is not None:
        read_completion = max(read_total - prompt, 0)  # output counted only in the total
    completion = read_completion or 0
    total = read_total or prompt + completion
    prompt_details = raw.get("prompt_tokens_details") or raw.get("input_tokens_details")
    completion_details = raw.get("completion_tokens_details") or raw.get("output_tokens_details")
    cached = None
    cache_write = None
    reasoning = None
    if isinstance(prompt_details, Mapping):
        cached = _first_count(prompt_details, "cached_tokens")
        cache_write = _first_count(prompt_details, "cache_write_tokens") or _first_count(
            prompt_details, "cache_creation_tokens"
        )
    if cached is None:
        cached = _first_count(raw, "prompt_cache_hit_tokens", "cache_read_input_tokens")
    if cache_write is None:
        cache_write = _first_count(raw, "cache_creation_input_tokens")
    if isinstance(completion_details, Mapping):
        reasoning = _first_count(completion_details, "reasoning_tokens")
    if reasoning is None:
        reasoning = _first_count(raw, "reasoning_tokens")
    return Usage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        total_tokens=total,
        cached_tokens=cached,
        cache_write_tokens=cache_write,
        reasoning_tokens=reasoning,
        raw=dict(raw),
        counted=read_prompt is not None and read_completion is not None,
    )


def split_content(content: Any) -> tuple[str, str, list[Any]]:
    """Content as (text, reasoning text, other parts): a string, or a list of typed parts."""
    if content is None:
        return "", "", []
    if isinstance(content, str):
        return content, "", []
    if not isinstance(content, list):
        return "", "", [content]
    text: list[str] = []
    reasoning: list[str] = []
    other: list[Any] = []
    for part in content:
        if isinstance(part, str):
            text.append(part)
            continue
        if not isinstance(part, Mapping):
            other.append(part)
            continue
        kind = part.get("type")
        if kind in _TEXT_PART_TYPES and isinstance(part.get("text"), str):
            text.append(part["text"])
        elif kind in _REASONING_PART_TYPES:
            reasoning.append(_reasoning_of_part(part))
        else:
            other.append(part)
    return "".join(text), "".join(reasoning), other


def _reasoning_of_part(part: Mapping[str, Any]) -> str:
    """A thinking part's text: a string, or a list of text parts
    (``{"type": "thinking", "thinking": [{"type": "text", "text": ...}]}``)."""
    value = part.get("thinking") or part.get("text") or part.get("reasoning") or ""
    if isinstance(value, list):
        return split_content(value)[0]
    return value if isinstance(value, str) else ""


def text_of_reasoning(raw: Mapping[str, Any]) -> str:
    """``reasoning_content`` or, from some upstreams, ``reasoning`` when it is a string."""
    value = raw.get("reasoning_content")
    if isinstance(value, str) and value:
        return value
    value = raw.get("reasoning")
    return value if isinstance(value, str) else ""


def parse_message(raw: Mapping[str, Any]) -> Message:
    text, part_reasoning, other = split_content(raw.get("content"))
    reasoning = text_of_reasoning(raw) or part_reasoning
    details = raw.get("reasoning_details")
    extra = {
        key: value
        for key, value in raw.items()
        if key not in _MESSAGE_KEYS and value is not None and value != [] and value != ""
    }
    if other:
        extra["content_parts"] = other
    if isinstance(raw.get("function_call"), Mapping):
        extra["function_call"] = raw["function_call"]
    return Message(
        role="assistant",
        content=text,
        tool_calls=tool_calls_from_wire(raw.get("tool_calls")),
        reasoning_content=reasoning or None,
        reasoning_details=list(details) if isinstance(details, list) and details else None,
        extra=extra,
    )


def parse_chat_completion(body: Any, *, request_id: str | None = None) -> ChatResult:
    """A non-streamed reply as a ``ChatResult``; an ``error`` object in a 200 reply is raised."""
    if not isinstance(body, Mapping):
        raise APIResponseError(
            f"AIHubMix returned a reply that is not a JSON object: {str(body)[:200]!r}", body=body
        )
    if isinstance(body.get("error"), Mapping | str):
        # Classified by its text and type; an HTTP-like numeric code stands for the status.
        status = (
            count_field(body["error"].get("code")) if isinstance(body["error"], Mapping) else None
        )
        raise error_from_body(
            status if status and status >= 400 else 200, json.dumps(body), request_id=request_id
        )
    raw_choices = body.get("choices")
    choices: list[Choice] = []
    for position, raw_choice in enumerate(raw_choices if isinstance(raw_choices, list) else []):
        if not isinstance(raw_choice, Mapping):
            continue
        message = raw_choice.get("message") or raw_choice.get("delta") or {}
        choices.append(
            Choice(
                index=count_field(raw_choice.get("index")) or position,
                message=parse_message(message if isinstance(message, Mapping) else {}),
                finish_reason=string_field(raw_choice.get("finish_reason")),
                logprobs=raw_choice.get("logprobs"),
            )
        )
    if not choices:  # none at all, or none that is an object
        raise APIResponseError(
            "AIHubMix returned a reply with no choices; the upstream model produced nothing. "
            "Try again, or check the request id with AIHubMix support.",
            body=body,
        )
    extra = {
        key: value for key, value in body.items() if key not in _RESULT_KEYS and value is not None
    }
    for key in _NAMES:  # a name field that is not a string is not used as one, but kept
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            extra[key] = value
    return ChatResult(
        choices=choices,
        id=string_field(body.get("id")),
        model=string_field(body.get("model")),
        created=count_field(body.get("created")),
        system_fingerprint=string_field(body.get("system_fingerprint")),
        service_tier=string_field(body.get("service_tier")),
        request_id=request_id,
        usage=parse_usage(body.get("usage")),
        extra=extra,
    )


_NAMES = ("id", "model", "system_fingerprint", "service_tier")
