"""``POST /v1/responses``: OpenAI's Responses API, in the shapes and event grammar of
OpenAI's API reference (the ``Response`` object and its ``response.*`` stream events).

The request is read into the chat body the scripted model understands; its reply is
rendered as output items: a reasoning item (summary and encrypted content when asked
for), built-in tool calls (web search, image generation), the message with its
citations, and function calls. Rules a client can get wrong are enforced as the real
API does: no chat-only parameters, encrypted reasoning only for reasoning models and
verified when it comes back, ``previous_response_id`` only for stored responses.
"""

from __future__ import annotations

import json
from typing import Any

from . import protocols as p
from .brain import (
    REASONING_PREFIXES,
    ApiError,
    Reply,
    base_model,
    decide,
    gateway_error,
    short_hash,
)
from .responses_events import stream_events
from .wire import CREATED

ENCRYPTED = "reasoning.encrypted_content"
_REFUSED = ("messages", "stop", "max_tokens", "max_completion_tokens", "response_format")


def _invalid(message: str, param: str | None = None, code: str | None = None) -> ApiError:
    error = {"message": message, "type": "invalid_request_error", "param": param, "code": code}
    return ApiError(400, {"error": error})


def _content(content: Any) -> Any:
    if not isinstance(content, list):
        return content
    parts = []
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind in ("input_text", "output_text"):
            parts.append({"type": "text", "text": part.get("text", "")})
        elif kind == "input_image":
            parts.append({"type": "image_url", "image_url": {"url": part.get("image_url")}})
        elif kind == "input_file":
            parts.append({"type": "text", "text": f"(file {part.get('filename') or 'document'})"})
    return parts


def _messages(body: dict[str, Any], stored: p.ResponseStore) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    previous = body.get("previous_response_id")
    if previous:
        earlier = stored.load(str(previous))
        if earlier is None:
            raise _invalid(
                f"Previous response with id '{previous}' not found.",
                "previous_response_id",
                "previous_response_not_found",
            )
        messages = [m for m in earlier if m.get("role") != "system"]
    if body.get("instructions"):
        messages.insert(0, {"role": "system", "content": body["instructions"]})
    items = body.get("input")
    if isinstance(items, str):
        items = [{"role": "user", "content": items}]
    for item in items if isinstance(items, list) else []:
        kind = item.get("type") or "message"
        if kind == "message":
            messages.append({"role": item.get("role"), "content": _content(item.get("content"))})
        elif kind == "function_call":
            call = {
                "id": item.get("call_id"),
                "type": "function",
                "function": {"name": item.get("name"), "arguments": item.get("arguments")},
            }
            last = messages[-1] if messages else {}
            if last.get("role") == "assistant":
                last.setdefault("tool_calls", []).append(call)
            else:
                messages.append({"role": "assistant", "content": None, "tool_calls": [call]})
        elif kind == "function_call_output":
            output = item.get("output")
            text = output if isinstance(output, str) else json.dumps(_content(output))
            messages.append({"role": "tool", "tool_call_id": item.get("call_id"), "content": text})
        elif (
            kind == "reasoning"
            and "encrypted_content" in item
            and not p.verify_reasoning(item["encrypted_content"])
        ):
            raise _invalid(
                f"The encrypted content for item {item.get('id')} could not be verified.",
                code="invalid_encrypted_content",
            )
    return messages


def _reasons(model: str) -> bool:
    return base_model(model).startswith(REASONING_PREFIXES)


def chat_body(body: dict[str, Any], stored: p.ResponseStore) -> dict[str, Any]:
    """The chat request the scripted model answers, after the Responses API's own checks."""
    for name in _REFUSED:
        if name in body:
            raise _invalid(
                f"Unsupported parameter: '{name}'. In the Responses API, use "
                f"{'input' if name == 'messages' else 'the Responses parameters'}.",
                name,
            )
    model = str(body.get("model") or "")
    if ENCRYPTED in (body.get("include") or []) and not _reasons(model):
        raise _invalid("Encrypted content is not supported with this model.", "include")
    chat: dict[str, Any] = {"model": model, "messages": _messages(body, stored)}
    tools = [
        {"type": "function", "function": {k: v for k, v in tool.items() if k != "type"}}
        for tool in body.get("tools") or []
        if tool.get("type") == "function"
    ]
    if tools:
        chat["tools"] = tools
        choice = body.get("tool_choice")
        if isinstance(choice, dict) and choice.get("type") == "function":
            choice = {"type": "function", "function": {"name": choice.get("name")}}
        if choice is not None:
            chat["tool_choice"] = choice
    for key in ("parallel_tool_calls", "temperature"):
        if key in body:
            chat[key] = body[key]
    text_format = (body.get("text") or {}).get("format") or {}
    if text_format.get("type") == "json_schema":
        chat["response_format"] = {"type": "json_schema", "json_schema": text_format}
    elif text_format.get("type") == "json_object":
        chat["response_format"] = {"type": "json_object"}
    if body.get("max_output_tokens"):
        chat["max_completion_tokens"] = body["max_output_tokens"]
    effort = (body.get("reasoning") or {}).get("effort")
    if effort:
        chat["reasoning_effort"] = effort
    return chat


def _builtin(body: dict[str, Any], kind: str) -> bool:
    return any(tool.get("type") == kind for tool in body.get("tools") or [])


def output_items(
    body: dict[str, Any], reply: Reply, seed: str, prompt: str
) -> list[dict[str, Any]]:
    """The finished output items, in order."""
    items: list[dict[str, Any]] = []
    if _reasons(body["model"]):
        summary = (body.get("reasoning") or {}).get("summary")
        item: dict[str, Any] = {
            "id": f"rs_{seed[:40]}",
            "type": "reasoning",
            "summary": [{"type": "summary_text", "text": reply.reasoning}] if summary else [],
        }
        if ENCRYPTED in (body.get("include") or []):
            item["encrypted_content"] = p.encrypted_reasoning(reply.reasoning)
        items.append(item)
    text, citations = reply.content, []
    if not reply.tool_calls and _builtin(body, "web_search"):
        sources = p.search_sources(prompt)
        items.append(
            {
                "id": f"ws_{seed[:40]}",
                "type": "web_search_call",
                "status": "completed",
                "action": {"type": "search", "query": prompt[:80], "sources": sources},
            }
        )
        text, spans = p.cited_answer(reply, sources)
        citations = [
            {"type": "url_citation", "start_index": a, "end_index": b, **source}
            for a, b, source in spans
        ]
    if not reply.tool_calls and _builtin(body, "image_generation"):
        items.append(
            {
                "id": f"ig_{seed[:40]}",
                "type": "image_generation_call",
                "status": "completed",
                "output_format": "png",
                "revised_prompt": reply.content[:80],
                "result": p.PNG_1X1,
            }
        )
    if text:
        part = {"type": "output_text", "text": text, "annotations": citations, "logprobs": []}
        items.append(
            {
                "id": f"msg_{seed[:40]}",
                "type": "message",
                "status": "completed",
                "role": "assistant",
                "content": [part],
            }
        )
    for call in reply.tool_calls:
        items.append(
            {
                "id": f"fc_{short_hash(seed, call.id, length=40)}",
                "type": "function_call",
                "status": "completed",
                "call_id": call.id,
                "name": call.name,
                "arguments": call.arguments,
            }
        )
    return items


def response_object(
    body: dict[str, Any], reply: Reply | None, items: list[dict[str, Any]], seed: str
) -> dict[str, Any]:
    """The ``Response``; with no reply yet, the in-progress one that opens a stream."""
    response: dict[str, Any] = {
        "id": f"resp_{seed[:48]}",
        "object": "response",
        "created_at": CREATED,
        "status": "in_progress",
        "error": None,
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "model": body["model"],
        "output": items,
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": body.get("previous_response_id"),
        "reasoning": body.get("reasoning") or {"effort": None, "summary": None},
        "store": body.get("store", True),
        "temperature": body.get("temperature", 1.0),
        "text": body.get("text") or {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools") or [],
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": None,
        "metadata": {},
    }
    if reply is not None:
        if reply.finish_reason == "length":
            response["status"] = "incomplete"
            response["incomplete_details"] = {"reason": "max_output_tokens"}
        else:
            response["status"] = "completed"
        response["usage"] = {
            "input_tokens": reply.prompt_tokens,
            "input_tokens_details": {"cached_tokens": reply.cached_tokens},
            "output_tokens": reply.completion_tokens,
            "output_tokens_details": {"reasoning_tokens": reply.reasoning_tokens},
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        }
    return response


def answer(body: dict[str, Any], stored: p.ResponseStore) -> tuple[Any, bool]:
    """``(reply body or SSE parts, streamed)``; refusals raise ``ApiError``."""
    chat = chat_body(body, stored)
    seed = short_hash(body)
    prompt = p.prompt_of(chat["messages"])
    failure = p.failure_asked(prompt)
    if failure == "rate_limit":
        raise gateway_error(
            429, f"The {body['model']} model Too many requests; please try again later.", seed
        )
    reply = decide(chat)
    items = output_items(body, reply, seed, prompt)
    final = response_object(body, reply, items, seed)
    if body.get("store", True):
        history = chat["messages"] + [_assistant(reply)]
        stored.save(final["id"], history)
    if not body.get("stream"):
        if failure == "stream":
            raise gateway_error(500, "The upstream model is overloaded", seed)
        return final, False
    return p.named_events(stream_events(final, failed=failure == "stream")), True


def _assistant(reply: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.content}
    if reply.tool_calls:
        message["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in reply.tool_calls
        ]
    return message
