"""The chat completions wire shapes, both ways: content parts, tool calls, tools, tool
choice and structured output. Pure.

The adapters build and read core types only; every OpenAI-shaped dict they receive from
a user (a content part, a tool call, a tool) is read here, and every one the wire needs
is written here, so a shape is known in one place. The package's ``__init__`` lists
what is public.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..errors import ConfigurationError
from ..types import AudioPart, ContentPart, FilePart, ImagePart, RawPart, TextPart, Tool, ToolCall

TOOL_CHOICE_MODES = ("auto", "none", "required")
"""``tool_choice`` values that name no tool."""

_DATA_URL = re.compile(r"^data:([\w.+-]+/[\w.+-]+);base64,(.*)$", re.DOTALL)
# The fields of a tool call this package reads; every other one is the call's ``extra``.
_CALL_FIELDS = frozenset({"id", "type", "function", "index"})


# content parts


def part_to_wire(part: ContentPart) -> dict[str, Any]:
    """One content part in the wire shape (a copy: the caller's part is never shared)."""
    if isinstance(part, RawPart):
        return dict(part.data)
    wire: dict[str, Any]
    if isinstance(part, TextPart):
        wire = {"type": "text", "text": part.text}
    elif isinstance(part, ImagePart):
        image: dict[str, Any] = {"url": part.url}
        if part.detail:
            image["detail"] = part.detail
        wire = {"type": "image_url", "image_url": image}
    elif isinstance(part, AudioPart):
        wire = {"type": "input_audio", "input_audio": {"data": part.data, "format": part.format}}
    else:
        file: dict[str, Any] = {}
        if part.filename:
            file["filename"] = part.filename
        if part.data is not None:
            file["file_data"] = f"data:{part.mime_type};base64,{part.data}"
        if part.file_id:
            file["file_id"] = part.file_id
        wire = {"type": "file", "file": file}
    if part.cache_control:
        wire["cache_control"] = dict(part.cache_control)
    return wire


def with_cache_control(part: ContentPart, cache_control: Any) -> ContentPart:
    """A copy of the part marked as a prompt-cache breakpoint (a hint that is not an
    object is kept as given, on a raw part)."""
    if isinstance(part, RawPart) or not isinstance(cache_control, Mapping):
        return RawPart({**part_to_wire(part), "cache_control": cache_control})
    return replace(part, cache_control=dict(cache_control))


def _only(data: Mapping[str, Any], *keys: str) -> bool:
    return data.keys() <= {"type", "cache_control", *keys}


def _typed_part(data: Mapping[str, Any], cache: Any) -> ContentPart | None:
    kind = data.get("type")
    if kind == "text" and _only(data, "text") and isinstance(data.get("text"), str):
        return TextPart(data["text"], cache)
    if kind == "image_url" and _only(data, "image_url"):
        image = data.get("image_url")
        if isinstance(image, str) and image:
            return ImagePart(image, cache_control=cache)
        if isinstance(image, Mapping) and image.keys() <= {"url", "detail"} and image.get("url"):
            return ImagePart(str(image["url"]), image.get("detail") or None, cache)
    if kind == "input_audio" and _only(data, "input_audio"):
        audio = data.get("input_audio")
        if isinstance(audio, Mapping) and audio.keys() == {"data", "format"}:
            data_, format_ = audio["data"], audio["format"]
            if isinstance(data_, str) and isinstance(format_, str):
                return AudioPart(data_, format_, cache)
    if kind == "file" and _only(data, "file"):
        return _file_part(data.get("file"), cache)
    return None


def _file_part(file: Any, cache: Any) -> FilePart | None:
    if not isinstance(file, Mapping) or not file.keys() <= {"filename", "file_data", "file_id"}:
        return None
    part = FilePart(filename=file.get("filename"), file_id=file.get("file_id"), cache_control=cache)
    if "file_data" in file:
        match = _DATA_URL.match(str(file["file_data"]))
        if match is None:
            return None
        part.mime_type, part.data = match.group(1), match.group(2)
    return part


def part_from_wire(data: Mapping[str, Any]) -> ContentPart:
    """An OpenAI-shaped content part as a core part. A shape with fields the core types do
    not hold stays a ``RawPart``, so it goes back on the wire exactly as given."""
    cache = data.get("cache_control")
    part = _typed_part(data, dict(cache) if isinstance(cache, Mapping) else None)
    if part is None or (cache is not None and not isinstance(cache, Mapping)):
        return RawPart(dict(data))
    return part


# reasoning


def reasoning_details_from_thinking(blocks: Iterable[Any]) -> list[dict[str, Any]] | None:
    """Anthropic's signed ``thinking`` and ``redacted_thinking`` blocks as the
    ``reasoning_details`` AIHubMix carries for Claude; ``None`` when there are none."""
    details: list[dict[str, Any]] = []
    for block in blocks:
        kind = block.get("type") if isinstance(block, Mapping) else None
        if kind == "thinking" and block.get("signature"):
            details.append(
                {
                    "type": "reasoning.text",
                    "text": str(block.get("thinking") or ""),
                    "signature": block["signature"],
                }
            )
        elif kind == "redacted_thinking" and block.get("data"):
            details.append({"type": "reasoning.encrypted", "data": block["data"]})
    for index, detail in enumerate(details):
        detail.update(format="anthropic-claude-v1", index=index)
    return details or None


# tool calls


def tool_call_extra(item: Mapping[str, Any]) -> dict[str, Any]:
    """A wire tool call's fields other than id, type, function and index."""
    return {
        key: value for key, value in item.items() if key not in _CALL_FIELDS and value is not None
    }


def tool_call_to_wire(call: ToolCall) -> dict[str, Any]:
    """One call for an assistant message; its ``extra`` fields go back verbatim."""
    wire: dict[str, Any] = {
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": call.arguments or "{}"},
    }
    for key, value in call.extra.items():
        wire.setdefault(key, value)
    return wire


def tool_calls_to_wire(calls: Iterable[ToolCall]) -> list[dict[str, Any]]:
    return [tool_call_to_wire(call) for call in calls]


def _mapping(item: Any) -> Mapping[str, Any] | None:
    """A dict, or an SDK object (pydantic, as the OpenAI SDK's) as one."""
    if isinstance(item, Mapping):
        return item
    dump = getattr(item, "model_dump", None)
    if callable(dump):
        dumped = dump(exclude_none=True)
        return dumped if isinstance(dumped, Mapping) else None
    return None


def function_fields(item: Mapping[str, Any]) -> tuple[str, str]:
    """The name and arguments (as JSON text) of a wire tool call or call fragment."""
    function = item.get("function")
    if not isinstance(function, Mapping):
        function = {}
    arguments = function.get("arguments")
    if arguments is None:
        arguments = ""
    elif not isinstance(arguments, str):
        arguments = json.dumps(arguments)
    return str(function.get("name") or ""), arguments


def tool_call_from_wire(item: Any, position: int = 0) -> ToolCall | None:
    """A whole tool call in the OpenAI shape as a ``ToolCall``; ``None`` if it is not one.
    A missing id becomes ``call_<position>``."""
    raw = _mapping(item)
    if raw is None:
        return None
    name, arguments = function_fields(raw)
    return ToolCall(
        id=str(raw.get("id") or f"call_{position}"),
        name=name,
        arguments=arguments,
        extra=tool_call_extra(raw),
    )


def tool_calls_from_wire(items: Any) -> list[ToolCall]:
    """A wire ``tool_calls`` list as ``ToolCall``s; entries that are not calls are skipped."""
    if not isinstance(items, list | tuple):
        return []
    calls = (tool_call_from_wire(item, position) for position, item in enumerate(items))
    return [call for call in calls if call is not None]


def tool_calls_of(fields: Mapping[str, Any]) -> list[ToolCall]:
    """The calls a message lists in the wire shape: an OpenAI message, or a framework's copy
    of its wire fields (LangChain's and LlamaIndex's ``additional_kwargs``)."""
    return tool_calls_from_wire(fields.get("tool_calls"))


def tool_calls_field(calls: Iterable[ToolCall]) -> dict[str, Any]:
    """The calls as a message's wire field, to merge into a framework's copy of those fields."""
    return {"tool_calls": tool_calls_to_wire(calls)}


# tools, tool choice, structured output


def tool_to_wire(tool: Tool | Mapping[str, Any]) -> dict[str, Any]:
    """A tool in the wire shape; dicts already in that shape pass through, less the
    ``cache_control`` marker Claude reads on the Messages route (chat tools have none)."""
    if isinstance(tool, Mapping):
        return {key: value for key, value in tool.items() if key != "cache_control"}
    function = _described(tool, {"name": tool.name, "parameters": tool.parameters})
    return {"type": "function", "function": function}


def _described(tool: Tool, definition: dict[str, Any]) -> dict[str, Any]:
    """The definition with the tool's description and ``strict`` flag, when it has them."""
    if tool.description:
        definition["description"] = tool.description
    if tool.strict is not None:
        definition["strict"] = tool.strict
    return definition


def _definition(tool: Mapping[str, Any]) -> Mapping[str, Any]:
    function = tool.get("function")
    return function if isinstance(function, Mapping) else tool


def tool_from_wire(tool: Mapping[str, Any]) -> Tool:
    """A function tool in the OpenAI shape (or flat ``{name, description, parameters}``)."""
    definition = _definition(tool)
    parameters = definition.get("parameters")
    strict = definition.get("strict")
    return Tool(
        name=str(definition.get("name") or ""),
        description=str(definition.get("description") or ""),
        parameters=dict(parameters) if isinstance(parameters, Mapping) else Tool("").parameters,
        strict=strict if isinstance(strict, bool) else None,
    )


def tool_name(tool: Mapping[str, Any]) -> str | None:
    """The name of a tool in the OpenAI shape or a flat one; ``None`` for built-in tools."""
    name = _definition(tool).get("name")
    return name if isinstance(name, str) else None


def is_builtin_tool(tool: Mapping[str, Any]) -> bool:
    """A provider built-in tool such as ``{"type": "web_search"}``, sent as given: it has a
    type that is neither a function definition nor a JSON schema's ``object``."""
    kind = tool.get("type")
    return (
        isinstance(kind, str)
        and kind not in ("function", "object")
        and not {"properties", "parameters", "input_schema", "function"} & tool.keys()
    )


def named_tool_choice(name: str, among: Sequence[str] = ()) -> dict[str, Any]:
    """The ``tool_choice`` that makes the model call the tool ``name``; when the tools of
    the call are given (``among``), a name that is none of them is refused here rather
    than by the gateway with a 400."""
    if among and name not in among:
        raise ConfigurationError(
            f"tool_choice names {name!r}, which is not a bound tool; bound tools: "
            f"{', '.join(among)}. Use one of those names, or 'auto', 'none' or 'required'."
        )
    return {"type": "function", "function": {"name": name}}


def tool_choice_name(choice: Mapping[str, Any]) -> str | None:
    """The tool a ``tool_choice`` object names, in the OpenAI, Responses or Anthropic shape."""
    return tool_name(choice)


def json_schema_format(tool: Tool) -> dict[str, Any]:
    """A ``json_schema`` response format asking for output that matches the tool's parameters."""
    schema = _described(tool, {"name": tool.name, "schema": tool.parameters})
    return {"type": "json_schema", "json_schema": schema}
