"""Anthropic Messages requests: a core ``ChatRequest`` in, the JSON body of
``POST /messages`` out. Pure.

System messages become the ``system`` blocks, tool results become ``tool_result`` blocks
of a user turn, and an assistant turn sends back its signed thinking blocks (kept as
``reasoning_details``) before its text and ``tool_use`` blocks, as Claude requires in tool
loops. Every ``cache_control`` marker travels on its block: content parts, whole messages
(``Message.extra["cache_control"]``), tools given as dicts, and system text.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .. import route_options as options
from ..chat.request import SET_BY_CORE, ChatRequest
from ..chat.wire import part_from_wire
from ..errors import ConfigurationError
from ..types import AudioPart, ContentPart, FilePart, ImagePart, Message, RawPart, TextPart, Tool

__all__ = [
    "ANTHROPIC_VERSION",
    "DEFAULT_MAX_TOKENS",
    "HEADERS",
    "PATH",
    "THINKING_BUDGETS",
    "messages_payload",
]

PATH = "messages"
ANTHROPIC_VERSION = "2023-06-01"
HEADERS = (("anthropic-version", ANTHROPIC_VERSION),)
DEFAULT_MAX_TOKENS = 4096
"""Sent when the caller sets no limit: the Messages API requires one."""
THINKING_BUDGETS = {"minimal": 1024, "low": 2048, "medium": 8192, "high": 16384, "xhigh": 32000}
"""Thinking budgets for each ``reasoning_effort``."""
_ADAPTIVE_EFFORTS = {"minimal": "low", "xhigh": "max"}
_CLAUDE_FORMAT = "anthropic-claude-v1"
_NOT_HERE = (
    options.CHAT_ONLY
    | SET_BY_CORE
    | {
        "stop",
        "user",
        "thinking",
        "parallel_tool_calls",
        "tool_choice",
        "top_logprobs",
        "store",
        "include",
    }
)
_JSON_ONLY = "Answer with one JSON object and nothing else."


def _image(url: str) -> dict[str, Any]:
    match = options.DATA_URL.match(url)
    if match:
        source = {"type": "base64", "media_type": match.group(1), "data": match.group(2)}
    else:
        source = {"type": "url", "url": url}
    return {"type": "image", "source": source}


def _document(part: FilePart) -> dict[str, Any]:
    source: dict[str, Any]
    if part.data is None:
        source = {"type": "file", "file_id": part.file_id}
    elif part.mime_type == "text/plain":
        text = base64.b64decode(part.data).decode("utf-8", "replace")
        source = {"type": "text", "media_type": "text/plain", "data": text}
    else:
        source = {"type": "base64", "media_type": part.mime_type, "data": part.data}
    block: dict[str, Any] = {"type": "document", "source": source}
    if part.filename:
        block["title"] = part.filename
    return block


def block_of(part: ContentPart) -> dict[str, Any] | None:
    """One content part as an Anthropic block (``None`` for empty text, which Claude refuses)."""
    if isinstance(part, RawPart):
        typed = part_from_wire(part.data)
        return dict(part.data) if isinstance(typed, RawPart) else block_of(typed)
    if isinstance(part, AudioPart):
        raise ConfigurationError(
            "Claude's Messages API takes no audio input; use route='chat' with an audio model."
        )
    if isinstance(part, TextPart):
        if not part.text:
            return None
        block: dict[str, Any] = {"type": "text", "text": part.text}
    elif isinstance(part, ImagePart):
        block = _image(part.url)
    else:
        block = _document(part)
    if part.cache_control:
        block["cache_control"] = dict(part.cache_control)
    return block


def _blocks(message: Message) -> list[dict[str, Any]]:
    content = message.content
    parts = [TextPart(content)] if isinstance(content, str) else list(content or [])
    blocks = [block for block in map(block_of, parts) if block is not None]
    cache = message.extra.get("cache_control")
    if blocks and isinstance(cache, Mapping):
        blocks[-1] = {**blocks[-1], "cache_control": dict(cache)}
    return blocks


def _thinking_blocks(details: Sequence[Any] | None) -> list[dict[str, Any]]:
    """Signed thinking blocks from ``reasoning_details`` (Claude's entries only)."""
    blocks = []
    for detail in details or ():
        if (
            not isinstance(detail, Mapping)
            or detail.get("format", _CLAUDE_FORMAT) != _CLAUDE_FORMAT
        ):
            continue
        if detail.get("type") == "reasoning.text" and detail.get("signature"):
            text = str(detail.get("text") or "")
            blocks.append({"type": "thinking", "thinking": text, "signature": detail["signature"]})
        elif detail.get("type") == "reasoning.encrypted" and detail.get("data"):
            blocks.append({"type": "redacted_thinking", "data": detail["data"]})
    return blocks


_UNSAFE_IN_TOOL_ID = re.compile(r"[^A-Za-z0-9_-]")


def _tool_use_id(value: str | None) -> str:
    """Anthropic takes tool-call ids of letters, digits, ``_`` and ``-`` only. An id another
    provider gave (Kimi's ``functions.get_weather:0``) is mapped the same way on the call
    and on its result, so a history from any model still pairs each result with its call."""
    return _UNSAFE_IN_TOOL_ID.sub("_", value or "")


def _assistant_blocks(message: Message) -> list[dict[str, Any]]:
    blocks = _thinking_blocks(message.reasoning_details) + _blocks(message)
    for call in message.tool_calls:
        try:
            arguments = call.parsed_arguments()
        except ValueError:
            arguments = {}
        blocks.append(
            {
                "type": "tool_use",
                "id": _tool_use_id(call.id),
                "name": call.name,
                "input": arguments if isinstance(arguments, dict) else {},
            }
        )
    return blocks


def _tool_result(message: Message) -> dict[str, Any]:
    blocks = _blocks(message)
    content: Any = blocks
    if all(block.get("type") == "text" and len(block) == 2 for block in blocks):
        content = "".join(block["text"] for block in blocks)
    return {
        "type": "tool_result",
        "tool_use_id": _tool_use_id(message.tool_call_id),
        "content": content,
    }


def conversation(messages: Sequence[Message]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(system blocks, messages)``: turns of one role in a row are joined into one."""
    system: list[dict[str, Any]] = []
    turns: list[dict[str, Any]] = []
    for message in messages:
        if message.role in ("system", "developer"):
            system.extend(_blocks(message))
            continue
        if message.role == "assistant":
            role, blocks = "assistant", _assistant_blocks(message)
        elif message.role == "tool":
            role, blocks = "user", [_tool_result(message)]
        else:
            role, blocks = "user", _blocks(message)
        if not blocks:
            continue
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    return system, turns


def anthropic_tool(tool: Tool | Mapping[str, Any]) -> dict[str, Any]:
    """A function tool in Anthropic's shape (``input_schema``), with its ``cache_control``;
    server tools pass as given, and the Responses API's ``web_search`` becomes Claude's."""
    function = options.function_tool(tool)
    if function is None and isinstance(tool, Mapping):
        if tool.get("type") == "web_search":
            return {"type": "web_search_20250305", "name": "web_search"}
        return dict(tool)
    assert function is not None
    wire: dict[str, Any] = {"name": function.name}
    if function.description:
        wire["description"] = function.description
    wire["input_schema"] = function.parameters
    cache = options.tool_cache_control(tool)
    if cache:
        wire["cache_control"] = cache
    return wire


def _tool_choice(request: ChatRequest) -> dict[str, Any] | None:
    mode, name = (
        options.choice_of(request.tool_choice) if request.tool_choice is not None else ("", None)
    )
    choice: dict[str, Any] | None
    if mode == "tool":
        choice = {"type": "tool", "name": name}
    elif mode == "required":
        choice = {"type": "any"}
    elif mode in ("auto", "none"):
        choice = {"type": mode}
    elif mode == "given":
        choice = dict(request.tool_choice)  # type: ignore[arg-type]
    else:
        choice = None
    if request.params.get("parallel_tool_calls") is False and (choice or {}).get("type") != "none":
        choice = {**(choice or {"type": "auto"}), "disable_parallel_tool_use": True}
    return choice


def _thinking(request: ChatRequest) -> tuple[dict[str, Any] | None, str | None]:
    """``(thinking, adaptive effort)``: ``thinking`` as given, else a budget from
    ``reasoning={"max_tokens": N}`` or from the effort (``"none"`` turns it off)."""
    given = request.params.get("thinking")
    effort = options.effort_of(request)
    if isinstance(given, Mapping):
        if given.get("type") == "adaptive" and effort:
            return dict(given), _ADAPTIVE_EFFORTS.get(effort, effort)
        return dict(given), None
    budget = (request.reasoning or {}).get("max_tokens")
    if isinstance(budget, int) and budget > 0:
        return {"type": "enabled", "budget_tokens": max(1024, budget)}, None
    if effort and effort != "none":
        return {"type": "enabled", "budget_tokens": THINKING_BUDGETS.get(effort, 8192)}, None
    return None, None


def messages_payload(request: ChatRequest, *, stream: bool = False) -> dict[str, Any]:
    options.check_request(request)
    params = request.params
    system, turns = conversation(request.messages)
    payload: dict[str, Any] = {"model": request.model, "messages": turns}
    payload.update((k, v) for k, v in params.items() if v is not None and k not in _NOT_HERE)
    thinking, adaptive_effort = _thinking(request)
    max_tokens = options.max_tokens_of(request) or DEFAULT_MAX_TOKENS
    budget = (thinking or {}).get("budget_tokens")
    if isinstance(budget, int) and budget >= max_tokens:
        max_tokens = budget + DEFAULT_MAX_TOKENS
    payload["max_tokens"] = max_tokens
    if thinking is not None:
        payload["thinking"] = thinking
    output_config = dict(payload.get("output_config") or {})
    if adaptive_effort:
        output_config["effort"] = adaptive_effort
    stop = params.get("stop")
    if stop:
        payload["stop_sequences"] = [stop] if isinstance(stop, str) else list(stop)
    if params.get("user") is not None:
        payload["metadata"] = {**(payload.get("metadata") or {}), "user_id": params["user"]}
    tools = [anthropic_tool(tool) for tool in request.tools or ()]
    search = params.get("web_search_options")
    if search is not None:
        tools.append({"type": "web_search_20250305", "name": "web_search"})
    if tools:
        payload["tools"] = tools
        choice = _tool_choice(request)
        if choice is not None:
            payload["tool_choice"] = choice
    structured = options.structured_schema(request)
    if structured is not None and structured[0] == "json_schema":
        output_config["format"] = {"type": "json_schema", "schema": structured[1]["schema"]}
    elif structured is not None:
        system.append({"type": "text", "text": _JSON_ONLY})
    if output_config:
        payload["output_config"] = output_config
    if system:
        payload["system"] = system
    options.finish_payload(payload, request, stream=stream)
    return payload
