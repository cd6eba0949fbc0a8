"""Tool definitions, ``tool_choice`` and ``response_format`` from the forms LangChain users pass.

Every form of ``tool_choice`` ends up as ``"auto"``, ``"none"``, ``"required"`` or the
core's choice of one named tool; anything else is refused with a message naming the
bound tools. The wire shapes themselves are the core's (``aihubmix_core.chat.wire``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from aihubmix_core import (
    is_builtin_tool,
    json_schema_format,
    named_tool_choice,
    tool_choice_name,
    tool_from_wire,
    tool_name,
)

__all__ = [
    "ToolLike",
    "format_tools",
    "normalise_tool_choice",
    "response_format_for",
    "tool_binding",
]

ToolLike = Mapping[str, Any] | type | Callable[..., Any] | BaseTool
_FORCED = {"any", "required"}
_MODES = {"auto", "none"}


def _cache_control(tool: ToolLike) -> Any:
    """A prompt-cache marker set on a tool: a dict's ``cache_control`` (as ``ChatAnthropic``
    users write it) or a ``BaseTool``'s ``extras["cache_control"]``."""
    if isinstance(tool, Mapping):
        return tool.get("cache_control")
    extras = getattr(tool, "extras", None)
    return extras.get("cache_control") if isinstance(extras, Mapping) else None


def format_tools(tools: Sequence[ToolLike], *, strict: bool | None = None) -> list[dict[str, Any]]:
    """Tools in the OpenAI function shape; dicts already in that shape pass through. A
    tool's ``cache_control`` stays on it (the Messages route sends it to Claude)."""
    formatted = []
    for tool in tools:
        if isinstance(tool, Mapping) and is_builtin_tool(tool):
            formatted.append(dict(tool))
            continue
        wire = convert_to_openai_tool(tool, strict=strict)
        cache = _cache_control(tool)
        if cache:
            wire["cache_control"] = cache
        formatted.append(wire)
    return formatted


def normalise_tool_choice(
    tool_choice: str | bool | Mapping[str, Any] | None, tools: Sequence[Mapping[str, Any]]
) -> str | dict[str, Any] | None:
    """``tool_choice`` as the wire expects it; ``None`` means "let the model decide"."""
    if tool_choice is None or tool_choice is False:
        return None
    names = [name for name in map(tool_name, tools) if name is not None]
    if tool_choice is True:
        return "required"
    if isinstance(tool_choice, str):
        if tool_choice in _FORCED:
            return "required"
        if tool_choice in _MODES:
            return tool_choice
        return named_tool_choice(tool_choice, names)
    if isinstance(tool_choice, Mapping):
        name = tool_choice_name(tool_choice)  # OpenAI, Responses or Anthropic style
        if name is not None:
            return named_tool_choice(name, names)
        kind = tool_choice.get("type")
        if kind in _FORCED or kind == "tool_any":
            return "required"
        if kind in _MODES:
            return str(kind)
    raise ValueError(
        f"Unrecognised tool_choice {tool_choice!r}: pass 'auto', 'none', 'any'/'required', "
        f"True, a tool name, or {named_tool_choice('...')}."
    )


def response_format_for(
    schema: Mapping[str, Any] | type, *, strict: bool | None = None
) -> dict[str, Any]:
    """A ``json_schema`` response format for a Pydantic class, TypedDict or JSON schema.

    A dict already in the ``{"type": "json_schema", ...}`` or ``{"type": "json_object"}``
    shape is kept as given.
    """
    if isinstance(schema, Mapping) and schema.get("type") in ("json_schema", "json_object"):
        return dict(schema)
    tool = tool_from_wire(convert_to_openai_tool(schema, strict=strict))
    tool.strict = strict
    return json_schema_format(tool)


def tool_binding(
    tools: Sequence[ToolLike],
    tool_choice: str | bool | Mapping[str, Any] | None,
    strict: bool | None,
    parallel_tool_calls: bool | None,
    response_format: Mapping[str, Any] | type | None,
) -> dict[str, Any]:
    """``bind_tools``'s arguments as the call keywords to bind."""
    formatted = format_tools(tools, strict=strict)
    binding: dict[str, Any] = {"tools": formatted}
    choice = normalise_tool_choice(tool_choice, formatted)
    if choice is not None:
        binding["tool_choice"] = choice
    if parallel_tool_calls is not None:
        binding["parallel_tool_calls"] = parallel_tool_calls
    if response_format is not None:
        if isinstance(response_format, Mapping) and isinstance(
            response_format.get("json_schema"), Mapping
        ):
            binding["response_format"] = dict(response_format)
        else:
            binding["response_format"] = response_format_for(response_format, strict=strict)
    return binding
