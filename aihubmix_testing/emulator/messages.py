"""``POST /v1/messages``: Anthropic's Messages protocol, in the shapes and event grammar of
Anthropic's API reference (the ``Message`` object, its content blocks and the
``message_start`` ... ``message_stop`` stream events).

The request is read into the chat body the scripted model understands; its reply is
rendered as content blocks: signed thinking, web search calls and results with cited
text, text, and ``tool_use``. Usage counts prompt caching as Anthropic does: the prefix
up to the last ``cache_control`` marker (tools, then system, then messages) is written
to the cache the first time and read from it afterwards, when it is long enough.
Errors have Anthropic's shape, ``{"type": "error", "error": {"type", "message"}}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import protocols as p
from . import text as t
from .brain import ApiError, Reply, decide, short_hash
from .messages_events import stream_events

VERSION_HEADER = "anthropic-version"
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
_STOP = {"tool_calls": "tool_use", "length": "max_tokens"}


def error(status: int, message: str) -> ApiError:
    kind = ERROR_TYPES.get(status, "api_error")
    return ApiError(status, {"type": "error", "error": {"type": kind, "message": message}})


def anthropic_error(failure: ApiError) -> ApiError:
    """A gateway error from the scripted model, in Anthropic's shape."""
    inner = failure.body.get("error") if isinstance(failure.body, Mapping) else None
    message = inner.get("message") if isinstance(inner, Mapping) else str(failure.body)
    return error(failure.status, str(message))


def check_headers(headers: Any) -> None:
    """The key as ``x-api-key`` only, and the protocol version."""
    if headers.get("Authorization"):
        raise error(
            400,
            "send the key as x-api-key only: a request to /v1/messages that also carries "
            "an Authorization header is refused upstream",
        )
    if not headers.get(VERSION_HEADER):
        raise error(400, "anthropic-version: header is required")


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return " ".join(
        str(block.get("text", "")) for block in content or [] if isinstance(block, dict)
    )


def _user(content: Any) -> list[dict[str, Any]]:
    """A user turn as chat messages: its tool results first, then what the user wrote."""
    if isinstance(content, str):
        return [{"role": "user", "content": content}]
    found: list[dict[str, Any]] = []
    parts: list[dict[str, Any]] = []
    for block in content or []:
        kind = block.get("type")
        if kind == "tool_result":
            inner = block.get("content")
            found.append(
                {"role": "tool", "tool_call_id": block.get("tool_use_id"), "content": _text(inner)}
            )
        elif kind == "text":
            parts.append({"type": "text", "text": block.get("text", "")})
        elif kind == "image":
            source = block.get("source") or {}
            url = (
                source.get("url") or f"data:{source.get('media_type')};base64,{source.get('data')}"
            )
            parts.append({"type": "image_url", "image_url": {"url": url}})
        elif kind == "document":
            parts.append({"type": "text", "text": f"(document {block.get('title') or ''})"})
    if parts:
        found.append({"role": "user", "content": parts})
    return found


def _assistant(content: Any) -> dict[str, Any]:
    if isinstance(content, str):
        return {"role": "assistant", "content": content}
    message: dict[str, Any] = {"role": "assistant", "content": ""}
    for block in content or []:
        kind = block.get("type")
        if kind == "text":
            message["content"] += block.get("text", "")
        elif kind == "thinking":
            detail = {
                "type": "reasoning.text",
                "text": block.get("thinking"),
                "signature": block.get("signature"),
            }
            message.setdefault("reasoning_details", []).append(detail)
        elif kind == "tool_use":
            arguments = json.dumps(block.get("input") or {})
            call = {
                "id": block.get("id"),
                "type": "function",
                "function": {"name": block.get("name"), "arguments": arguments},
            }
            message.setdefault("tool_calls", []).append(call)
    return message


def _check_thinking(body: dict[str, Any]) -> int | None:
    thinking = body.get("thinking") or {}
    if thinking.get("type") == "adaptive":
        return 4096
    if thinking.get("type") != "enabled":
        return None
    budget = thinking.get("budget_tokens")
    if not isinstance(budget, int) or budget < 1024:
        raise error(
            400, "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
        )
    if budget >= body["max_tokens"]:
        raise error(400, "`max_tokens` must be greater than `thinking.budget_tokens`.")
    return budget


def chat_body(body: dict[str, Any]) -> dict[str, Any]:
    """The chat request the scripted model answers, after the Messages API's own checks."""
    if not isinstance(body.get("max_tokens"), int):
        raise error(400, "max_tokens: Field required")
    messages: list[dict[str, Any]] = []
    if body.get("system"):
        messages.append({"role": "system", "content": _text(body["system"])})
    for turn in body.get("messages") or []:
        if turn.get("role") == "assistant":
            messages.append(_assistant(turn.get("content")))
        else:
            messages.extend(_user(turn.get("content")))
    chat: dict[str, Any] = {
        "model": body.get("model"),
        "messages": messages,
        "max_tokens": body["max_tokens"],
    }
    tools = [
        {
            "type": "function",
            "function": {
                "name": tool["name"],
                "description": tool.get("description", ""),
                "parameters": tool["input_schema"],
            },
        }
        for tool in body.get("tools") or []
        if "input_schema" in tool
    ]
    choice = body.get("tool_choice") or {}
    if tools:
        chat["tools"] = tools
        kind = choice.get("type")
        if kind == "tool":
            chat["tool_choice"] = {"type": "function", "function": {"name": choice.get("name")}}
        elif kind in ("auto", "none", "any"):
            chat["tool_choice"] = "required" if kind == "any" else kind
    if choice.get("disable_parallel_tool_use"):
        chat["parallel_tool_calls"] = False
    budget = _check_thinking(body)
    if budget is not None:
        chat["reasoning"] = {"max_tokens": budget}
    output_format = (body.get("output_config") or {}).get("format") or {}
    if output_format.get("type") == "json_schema":
        chat["response_format"] = {
            "type": "json_schema",
            "json_schema": {"schema": output_format.get("schema")},
        }
    if body.get("stop_sequences"):
        chat["stop"] = body["stop_sequences"]
    return chat


def _cache_prefix(body: dict[str, Any]) -> str:
    """The request up to its last ``cache_control`` marker, in Anthropic's order; the
    markers themselves are not part of what is cached."""
    segments: list[Any] = list(body.get("tools") or [])
    system = body.get("system")
    segments += (
        [{"type": "text", "text": system}] if isinstance(system, str) else list(system or [])
    )
    for turn in body.get("messages") or []:
        content = turn.get("content")
        segments += (
            [{"type": "text", "text": content}] if isinstance(content, str) else list(content or [])
        )
    marked = [
        i
        for i, segment in enumerate(segments)
        if isinstance(segment, dict) and segment.get("cache_control")
    ]
    if not marked:
        return ""
    prefix = [
        {k: v for k, v in segment.items() if k != "cache_control"}
        if isinstance(segment, dict)
        else segment
        for segment in segments[: marked[-1] + 1]
    ]
    return json.dumps(prefix)


def content_blocks(
    body: dict[str, Any], reply: Reply, seed: str, prompt: str
) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for detail in reply.reasoning_details or []:
        blocks.append(
            {"type": "thinking", "thinking": detail["text"], "signature": detail["signature"]}
        )
    searched = not reply.tool_calls and any(
        str(tool.get("type", "")).startswith("web_search") for tool in body.get("tools") or []
    )
    if searched:
        sources = p.search_sources(prompt)
        call_id = f"srvtoolu_{seed[:24]}"
        blocks.append(
            {
                "type": "server_tool_use",
                "id": call_id,
                "name": "web_search",
                "input": {"query": prompt[:80]},
            }
        )
        results = [
            {
                "type": "web_search_result",
                "url": s["url"],
                "title": s["title"],
                "encrypted_content": short_hash(s["url"]),
                "page_age": None,
            }
            for s in sources
        ]
        blocks.append(
            {"type": "web_search_tool_result", "tool_use_id": call_id, "content": results}
        )
    if reply.content:
        blocks.append({"type": "text", "text": reply.content})
    if searched:
        for source in sources:
            sentence = f" According to {source['title']}, this is well documented."
            citation = {
                "type": "web_search_result_location",
                "url": source["url"],
                "title": source["title"],
                "encrypted_index": short_hash(source["title"]),
                "cited_text": sentence.strip(),
            }
            blocks.append({"type": "text", "text": sentence, "citations": [citation]})
    for call in reply.tool_calls:
        blocks.append(
            {
                "type": "tool_use",
                "id": "toolu_" + call.id.removeprefix("call_"),
                "name": call.name,
                "input": json.loads(call.arguments or "{}"),
            }
        )
    return blocks


def message_object(
    body: dict[str, Any],
    reply: Reply,
    blocks: list[dict[str, Any]],
    usage: dict[str, Any],
    seed: str,
) -> dict[str, Any]:
    return {
        "id": f"msg_{seed[:24]}",
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": blocks,
        "stop_reason": _STOP.get(reply.finish_reason, "end_turn"),
        "stop_sequence": None,
        "usage": usage,
    }


def answer(body: dict[str, Any], cache: p.PromptCache) -> tuple[Any, bool]:
    """``(reply body or SSE parts, streamed)``; refusals raise ``ApiError`` in Anthropic's shape."""
    try:
        chat = chat_body(body)
        prompt = p.prompt_of(chat["messages"])
        failure = p.failure_asked(prompt)
        if failure == "rate_limit":
            raise error(429, "Number of request tokens has exceeded your per-minute rate limit")
        reply = decide(chat)
    except ApiError as failure_error:
        if isinstance(failure_error.body, Mapping) and failure_error.body.get("type") == "error":
            raise
        raise anthropic_error(failure_error) from None
    seed = short_hash(body)
    blocks = content_blocks(body, reply, seed, prompt)
    written, read = cache.use(_cache_prefix(body))
    whole = t.approx_tokens(
        json.dumps([body.get("tools"), body.get("system"), body.get("messages")])
    )
    usage: dict[str, Any] = {
        "input_tokens": max(1, whole - written - read),
        "cache_creation_input_tokens": written,
        "cache_read_input_tokens": read,
        "output_tokens": reply.completion_tokens,
        "service_tier": "standard",
    }
    if any(block["type"] == "server_tool_use" for block in blocks):
        usage["server_tool_use"] = {"web_search_requests": 1}
    message = message_object(body, reply, blocks, usage, seed)
    if not body.get("stream"):
        if failure == "stream":
            raise error(529, "Overloaded")
        return message, False
    return p.named_events(stream_events(message, failed=failure == "stream")), True
