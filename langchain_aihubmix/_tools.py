"""Tool definitions, ``tool_choice`` and ``response_format`` in the wire shapes AIHubMix takes.

Every form of ``tool_choice`` LangChain users pass ends up as one of ``"auto"``,
``"none"``, ``"required"`` or ``{"type": "function", "function": {"name": ...}}``;
anything else is refused with a message naming the bound tools.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

__all__ = ["ToolLike", "format_tools", "normalise_tool_choice", "response_format_for"]

ToolLike = Mapping[str, Any] | type | Callable[..., Any] | BaseTool
_FORCED = {"any", "required"}
_MODES = {"auto", "none"}


def _is_builtin(tool: Mapping[str, Any]) -> bool:
    """A provider built-in tool such as ``{"type": "web_search"}``: sent as given.

    JSON schemas (``"type": "object"``) and function definitions are converted instead."""
    kind = tool.get("type")
    return (
        isinstance(kind, str)
        and kind not in ("function", "object")
        and not {"properties", "parameters", "input_schema", "function"} & tool.keys()
    )


def format_tools(tools: Sequence[ToolLike], *, strict: bool | None = None) -> list[dict[str, Any]]:
    """Tools in the OpenAI function shape; dicts already in that shape pass through."""
    formatted = []
    for tool in tools:
        if isinstance(tool, Mapping) and _is_builtin(tool):
            formatted.append(dict(tool))
            continue
        formatted.append(convert_to_openai_tool(tool, strict=strict))
    return formatted


def _tool_names(tools: Sequence[Mapping[str, Any]]) -> list[str]:
    names = []
    for tool in tools:
        function = tool.get("function")
        if isinstance(function, Mapping) and isinstance(function.get("name"), str):
            names.append(function["name"])
        elif isinstance(tool.get("name"), str):
            names.append(tool["name"])
    return names


def _named(name: str, names: Sequence[str]) -> dict[str, Any]:
    if names and name not in names:
        raise ValueError(
            f"tool_choice names {name!r}, which is not a bound tool; bound tools: "
            f"{', '.join(names)}. Use one of those names, 'auto', 'none' or 'any'."
        )
    return {"type": "function", "function": {"name": name}}


def normalise_tool_choice(
    tool_choice: str | bool | Mapping[str, Any] | None, tools: Sequence[Mapping[str, Any]]
) -> str | dict[str, Any] | None:
    """``tool_choice`` as the wire expects it; ``None`` means "let the model decide"."""
    if tool_choice is None or tool_choice is False:
        return None
    names = _tool_names(tools)
    if tool_choice is True:
        return "required"
    if isinstance(tool_choice, str):
        if tool_choice in _FORCED:
            return "required"
        if tool_choice in _MODES:
            return tool_choice
        return _named(tool_choice, names)
    if isinstance(tool_choice, Mapping):
        function = tool_choice.get("function")
        if isinstance(function, Mapping) and isinstance(function.get("name"), str):
            return _named(function["name"], names)
        kind = tool_choice.get("type")
        if isinstance(tool_choice.get("name"), str):  # Responses or Anthropic style
            return _named(tool_choice["name"], names)
        if kind in _FORCED or kind == "tool_any":
            return "required"
        if kind in _MODES:
            return str(kind)
    raise ValueError(
        f"Unrecognised tool_choice {tool_choice!r}: pass 'auto', 'none', 'any'/'required', "
        "True, a tool name, or {'type': 'function', 'function': {'name': ...}}."
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
    function = convert_to_openai_tool(schema, strict=strict)["function"]
    json_schema: dict[str, Any] = {"name": function["name"], "schema": function["parameters"]}
    if function.get("description"):
        json_schema["description"] = function["description"]
    if strict is not None:
        json_schema["strict"] = strict
    return {"type": "json_schema", "json_schema": json_schema}
