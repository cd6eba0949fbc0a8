"""Responses API requests: a core ``ChatRequest`` in, the JSON body of ``POST /responses``
out. Pure.

Leading system messages become ``instructions`` and the rest ``input`` items: messages,
``function_call`` and ``function_call_output`` items, and the reasoning items of earlier
turns. Nothing is stored on the server by default (``store: false``); reasoning models
are asked for their encrypted reasoning instead (``include``), which goes back with the
next turn, so tool loops keep their reasoning without server-side state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..catalog import lookup_model
from ..chat.request import SET_BY_CORE, ChatRequest
from ..route_options import (
    CHAT_ONLY,
    check_request,
    choice_of,
    effort_of,
    finish_payload,
    function_tool,
    max_tokens_of,
    structured_schema,
)
from ..routes import responses_only
from ..types import AudioPart, ContentPart, FilePart, ImagePart, Message, TextPart, Tool

__all__ = ["ENCRYPTED_REASONING", "PATH", "REASONING_FORMAT", "responses_payload"]

PATH = "responses"
REASONING_FORMAT = "openai-responses-v1"
"""The ``format`` of the ``reasoning_details`` entries that hold Responses reasoning items."""
ENCRYPTED_REASONING = "reasoning.encrypted_content"

_NOT_HERE = CHAT_ONLY | SET_BY_CORE | {"stop", "verbosity"}


def _part(part: ContentPart, role: str) -> dict[str, Any]:
    if isinstance(part, TextPart):
        return {"type": "output_text" if role == "assistant" else "input_text", "text": part.text}
    if isinstance(part, ImagePart):
        return {"type": "input_image", "image_url": part.url, "detail": part.detail or "auto"}
    if isinstance(part, FilePart):
        wire: dict[str, Any] = {"type": "input_file"}
        if part.file_id:
            wire["file_id"] = part.file_id
        if part.data is not None:
            wire["file_data"] = f"data:{part.mime_type};base64,{part.data}"
            wire["filename"] = part.filename or "document"
        return wire
    if isinstance(part, AudioPart):
        return {"type": "input_audio", "input_audio": {"data": part.data, "format": part.format}}
    return dict(part.data)


def _content(content: str | list[ContentPart] | None, role: str) -> str | list[dict[str, Any]]:
    if content is None or isinstance(content, str):
        return content or ""
    return [_part(part, role) for part in content]


def _reasoning_items(message: Message, store: bool) -> list[dict[str, Any]]:
    """Reasoning items of an earlier turn, from its ``reasoning_details``: those with their
    encrypted content (or, when the server stores responses, any by id)."""
    items = []
    for detail in message.reasoning_details or []:
        if not isinstance(detail, Mapping) or detail.get("format") != REASONING_FORMAT:
            continue
        if not detail.get("data") and not (store and detail.get("id")):
            continue
        summary = detail.get("summary")
        item: dict[str, Any] = {
            "type": "reasoning",
            "summary": [{"type": "summary_text", "text": summary}] if summary else [],
        }
        if detail.get("id"):
            item["id"] = detail["id"]
        if detail.get("data"):
            item["encrypted_content"] = detail["data"]
        items.append(item)
    return items


def _assistant_items(message: Message, store: bool) -> list[dict[str, Any]]:
    items = _reasoning_items(message, store)
    content = _content(message.content, "assistant")
    if content:
        items.append({"role": "assistant", "content": content})
    items.extend(
        {
            "type": "function_call",
            "call_id": call.id,
            "name": call.name,
            "arguments": call.arguments or "{}",
        }
        for call in message.tool_calls
    )
    return items


def _tool_output(message: Message) -> dict[str, Any]:
    output = _content(message.content, "tool")
    return {"type": "function_call_output", "call_id": message.tool_call_id or "", "output": output}


def _text_only(message: Message) -> bool:
    content = message.content
    return not isinstance(content, list) or all(isinstance(p, TextPart) for p in content)


def input_items(messages: Sequence[Message], *, store: bool) -> tuple[str | None, list[Any]]:
    """``(instructions, input)``: the leading system text, and every other message as items."""
    instructions: list[str] = []
    items: list[Any] = []
    for message in messages:
        role = message.role
        if role in ("system", "developer") and not items and _text_only(message):
            instructions.append(message.text)
        elif role == "assistant":
            items.extend(_assistant_items(message, store))
        elif role == "tool":
            items.append(_tool_output(message))
        else:
            items.append({"role": role, "content": _content(message.content, role)})
    return "\n\n".join(instructions) or None, items


def responses_tool(tool: Tool | Mapping[str, Any]) -> dict[str, Any]:
    """A function tool in the Responses shape (flat); built-in tools pass as given."""
    function = function_tool(tool)
    if function is None and isinstance(tool, Mapping):
        return dict(tool)
    assert function is not None
    wire: dict[str, Any] = {"type": "function", "name": function.name}
    if function.description:
        wire["description"] = function.description
    wire["parameters"] = function.parameters
    if function.strict is not None:
        wire["strict"] = function.strict
    return wire


def _search_tool(options: Any) -> dict[str, Any]:
    """Chat's ``web_search_options`` as the built-in ``web_search`` tool."""
    tool: dict[str, Any] = {"type": "web_search"}
    if isinstance(options, Mapping):
        tool.update((k, v) for k, v in options.items() if k != "user_location")
        location = options.get("user_location")
        if isinstance(location, Mapping):
            approximate = location.get("approximate")
            tool["user_location"] = {"type": "approximate", **(approximate or location)}
    return tool


def _tool_choice(choice: Any) -> Any:
    mode, name = choice_of(choice)
    if mode == "tool":
        return {"type": "function", "name": name}
    return choice if mode == "given" else mode


def _reasoning(request: ChatRequest) -> dict[str, Any] | None:
    reasoning = {
        key: value
        for key, value in (request.reasoning or {}).items()
        if key not in ("max_tokens", "enabled", "exclude")
    }
    effort = effort_of(request)
    if effort:
        reasoning["effort"] = effort
        if effort != "none":
            reasoning.setdefault("summary", "auto")
    return reasoning or None


def _reasons(model: str) -> bool:
    return lookup_model(model).reasoning or responses_only(model)


def responses_payload(request: ChatRequest, *, stream: bool = False) -> dict[str, Any]:
    check_request(request)
    params = request.params
    store = params.get("store") is True
    instructions, items = input_items(request.messages, store=store)
    payload: dict[str, Any] = {"model": request.model, "input": items}
    if instructions:
        payload["instructions"] = instructions
    payload.update((k, v) for k, v in params.items() if v is not None and k not in _NOT_HERE)
    max_tokens = max_tokens_of(request)
    if max_tokens is not None:
        payload["max_output_tokens"] = max_tokens
    tools = [responses_tool(tool) for tool in request.tools or ()]
    if params.get("web_search_options") is not None:
        tools.append(_search_tool(params["web_search_options"]))
    if tools:
        payload["tools"] = tools
        if request.tool_choice is not None:
            payload["tool_choice"] = _tool_choice(request.tool_choice)
    else:
        payload.pop("tool_choice", None)
        payload.pop("parallel_tool_calls", None)
    text = dict(payload.get("text") or {})
    structured = structured_schema(request)
    if structured is not None:
        kind, schema = structured
        text["format"] = {"type": kind, **schema}
    if params.get("verbosity") is not None:
        text["verbosity"] = params["verbosity"]
    if text:
        payload["text"] = text
    reasoning = _reasoning(request)
    if reasoning is not None:
        payload["reasoning"] = reasoning
    payload.setdefault("store", False)
    if payload["store"] is False and _reasons(request.model):
        include = list(payload.get("include") or [])
        payload["include"] = include + [ENCRYPTED_REASONING] * (ENCRYPTED_REASONING not in include)
    finish_payload(payload, request, stream=stream)
    return payload
