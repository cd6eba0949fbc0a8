"""What the Responses and Messages request builders share. Pure.

Both read the same ``ChatRequest`` the chat route sends: function tools in any of the
shapes users pass (OpenAI's chat or Responses shape, a flat definition, Anthropic's
``input_schema``), a ``tool_choice`` in any of its forms, structured output, reasoning
settings and the output limit; and both end the body the chat route's way (``extra_body``
merged last, disabled parameters dropped).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .chat.request import ChatRequest, _drop_disabled
from .chat.wire import is_builtin_tool, tool_choice_name, tool_from_wire
from .errors import ConfigurationError
from .types import Tool

__all__ = [
    "CHAT_ONLY",
    "DATA_URL",
    "check_request",
    "choice_of",
    "effort_of",
    "finish_payload",
    "function_tool",
    "max_tokens_of",
    "structured_schema",
    "tool_cache_control",
]

CHAT_ONLY = frozenset(
    {
        "n",
        "seed",
        "frequency_penalty",
        "presence_penalty",
        "logprobs",
        "logit_bias",
        "stream_options",
        "modalities",
        "audio",
        "prediction",
        "functions",
        "function_call",
        "max_tokens",
        "max_completion_tokens",
        "reasoning_effort",
        "response_format",
        "web_search_options",
    }
)
"""Chat completions parameters that neither the Responses nor the Messages API takes;
the ones with a counterpart there are translated by the route's builder."""

DATA_URL = re.compile(r"^data:([\w.+-]+/[\w.+-]+);base64,(.*)$", re.DOTALL)


def check_request(request: ChatRequest) -> None:
    if not request.model:
        raise ConfigurationError(
            "model must be a non-empty AIHubMix model id, such as 'gpt-4o-mini'"
        )
    if not request.messages:
        raise ConfigurationError("a chat request needs at least one message")


def function_tool(tool: Tool | Mapping[str, Any]) -> Tool | None:
    """A function tool from any shape users pass; ``None`` for a provider's built-in tool."""
    if isinstance(tool, Tool):
        return tool
    if is_builtin_tool(tool):
        return None
    parsed = tool_from_wire(tool)
    schema = tool.get("input_schema")
    if isinstance(schema, Mapping):
        parsed.parameters = dict(schema)
    return parsed


def tool_cache_control(tool: Tool | Mapping[str, Any]) -> dict[str, Any] | None:
    """A prompt-cache breakpoint set on a tool given as a dict (Anthropic's ``cache_control``)."""
    if isinstance(tool, Mapping) and isinstance(tool.get("cache_control"), Mapping):
        return dict(tool["cache_control"])
    return None


def choice_of(tool_choice: Any) -> tuple[str, str | None]:
    """A ``tool_choice`` as ``(mode, tool name)``: mode ``auto``, ``none``, ``required``,
    ``tool`` (the named one) or ``given`` (an object this package has no name for)."""
    if isinstance(tool_choice, str):
        if tool_choice in ("any", "required"):
            return "required", None
        return (tool_choice, None) if tool_choice in ("auto", "none") else ("tool", tool_choice)
    if isinstance(tool_choice, Mapping):
        name = tool_choice_name(tool_choice)
        if name is not None:
            return "tool", name
        kind = tool_choice.get("type")
        if kind in ("any", "required"):
            return "required", None
        if kind in ("auto", "none"):
            return str(kind), None
    return "given", None


def structured_schema(request: ChatRequest) -> tuple[str, dict[str, Any]] | None:
    """``("json_schema", {"name", "schema", "strict"?})`` or ``("json_object", {})`` from
    the request's ``response_format``; ``None`` for free text."""
    response_format = request.response_format
    if not isinstance(response_format, Mapping):
        return None
    kind = response_format.get("type")
    if kind == "json_object":
        return "json_object", {}
    spec = response_format.get("json_schema")
    if kind != "json_schema" or not isinstance(spec, Mapping):
        return None
    schema: dict[str, Any] = {
        "name": str(spec.get("name") or "response"),
        "schema": dict(spec.get("schema") or {"type": "object"}),
    }
    if spec.get("description"):
        schema["description"] = spec["description"]
    if isinstance(spec.get("strict"), bool):
        schema["strict"] = spec["strict"]
    return "json_schema", schema


def max_tokens_of(request: ChatRequest) -> int | None:
    """The output limit, under any of the names callers give it."""
    for value in (
        request.max_tokens,
        request.params.get("max_tokens"),
        request.params.get("max_completion_tokens"),
    ):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def effort_of(request: ChatRequest) -> str | None:
    """The reasoning effort asked for: ``reasoning_effort``, else ``reasoning["effort"]``."""
    if request.reasoning_effort:
        return request.reasoning_effort
    reasoning = request.reasoning or {}
    effort = reasoning.get("effort")
    return effort if isinstance(effort, str) and effort else None


def finish_payload(payload: dict[str, Any], request: ChatRequest, *, stream: bool) -> None:
    """The last steps of every body: ``stream``, ``extra_body`` merged, disabled parameters dropped."""
    if stream:
        payload["stream"] = True
    if request.extra_body:
        payload.update(request.extra_body)
    _drop_disabled(payload, request.disabled_params)
