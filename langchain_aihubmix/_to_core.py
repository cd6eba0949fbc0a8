"""LangChain messages as ``aihubmix_core`` messages. Pure.

Content blocks become core parts in ``_content_blocks``; here each message type finds
its role, and an assistant message its tool calls (with the provider fields kept for
them under ``additional_kwargs["tool_call_extras"]``) and its reasoning.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    InvalidToolCall,
    SystemMessage,
    ToolCall,
    ToolMessage,
)

from aihubmix_core import Message, TextPart, tool_calls_of
from aihubmix_core import ToolCall as CoreToolCall
from aihubmix_core.types import Role

from ._content_blocks import (
    content_to_core,
    reasoning_details_from_blocks,
    reasoning_from_blocks,
    tool_calls_from_blocks,
)

__all__ = ["TOOL_CALL_EXTRAS", "to_core_message", "to_core_messages"]

TOOL_CALL_EXTRAS = "tool_call_extras"
"""The ``additional_kwargs`` key holding each tool call's provider fields, by call id."""

_ROLES: dict[str, Role] = {
    "system": "system",
    "developer": "developer",
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "tool": "tool",
}


def _tool_call_to_core(call: ToolCall) -> CoreToolCall:
    return CoreToolCall(
        id=call.get("id") or "",
        name=call["name"],
        arguments=json.dumps(call["args"], ensure_ascii=False),
    )


def _invalid_call_to_core(call: InvalidToolCall) -> CoreToolCall:
    return CoreToolCall(
        id=call.get("id") or "", name=call.get("name") or "", arguments=call.get("args") or ""
    )


def _with_extras(calls: list[CoreToolCall], kwargs: Mapping[str, Any]) -> list[CoreToolCall]:
    """Each call gets back the provider fields it arrived with, found by its id: kept by
    this package, or on an OpenAI-shaped call list put in ``additional_kwargs`` by hand."""
    kept = {call.id: call.extra for call in tool_calls_of(kwargs) if call.extra}
    ours = kwargs.get(TOOL_CALL_EXTRAS)
    if isinstance(ours, Mapping):
        kept.update((key, dict(value)) for key, value in ours.items() if isinstance(value, Mapping))
    for call in calls:
        call.extra = {**kept.get(call.id, {}), **call.extra}
    return calls


def _assistant(message: AIMessage) -> Message:
    kwargs = message.additional_kwargs
    reasoning = kwargs.get("reasoning_content")
    if not isinstance(reasoning, str):
        reasoning = reasoning_from_blocks(message.content)
    details = kwargs.get("reasoning_details")
    if not isinstance(details, list):
        details = reasoning_details_from_blocks(message.content)
    calls = [_tool_call_to_core(call) for call in message.tool_calls]
    calls += [_invalid_call_to_core(call) for call in message.invalid_tool_calls]
    if not calls:
        calls = tool_calls_of(kwargs)  # a message built by hand in the OpenAI shape
    calls += tool_calls_from_blocks(message.content, {call.id for call in calls})
    return Message(
        role="assistant",
        content=content_to_core(message.content, "assistant"),
        name=message.name,
        tool_calls=_with_extras(calls, kwargs),
        reasoning_content=reasoning,
        reasoning_details=list(details) if details is not None else None,
    )


def _tool_result(block: Mapping[str, Any]) -> Message:
    """An Anthropic ``tool_result`` block as the tool message chat completions expect."""
    call_id = block.get("tool_use_id")
    if not call_id:
        raise ValueError(
            "A tool_result content block needs the 'tool_use_id' of the call it answers."
        )
    inner = block.get("content")
    content = content_to_core(inner if isinstance(inner, list) else str(inner or ""), "tool")
    if block.get("is_error"):
        # The wire has no error flag on tool messages; the model reads it from the text.
        if isinstance(content, str):
            content = f"Error: {content}"
        else:
            content = [TextPart("Error: "), *content]
    return Message(role="tool", content=content, tool_call_id=str(call_id))


def _is_tool_result(block: Any) -> TypeGuard[Mapping[str, Any]]:
    return isinstance(block, Mapping) and block.get("type") == "tool_result"


def _user(message: HumanMessage) -> list[Message]:
    """A user message; Anthropic-style ``tool_result`` blocks in it become tool messages
    placed first, as the tool calls they answer must be followed by their results."""
    content = message.content
    if isinstance(content, list) and any(_is_tool_result(block) for block in content):
        results = [_tool_result(block) for block in content if _is_tool_result(block)]
        rest = [block for block in content if not _is_tool_result(block)]
        if not rest:
            return results
        return [
            *results,
            Message(role="user", content=content_to_core(rest, "user"), name=message.name),
        ]
    return [Message(role="user", content=content_to_core(content, "user"), name=message.name)]


def _plain(message: BaseMessage, role: Role) -> Message:
    return Message(role=role, content=content_to_core(message.content, role), name=message.name)


def to_core_message(message: BaseMessage) -> list[Message]:
    """One LangChain message as core messages (usually one; a user message carrying
    Anthropic tool results gives several). Unknown message types are refused clearly."""
    if isinstance(message, AIMessage):
        return [_assistant(message)]
    if isinstance(message, HumanMessage):
        return _user(message)
    if isinstance(message, SystemMessage):
        developer = message.additional_kwargs.get("__openai_role__") == "developer"
        return [_plain(message, "developer" if developer else "system")]
    if isinstance(message, ToolMessage):
        return [
            Message(
                role="tool",
                content=content_to_core(message.content, "tool"),
                tool_call_id=message.tool_call_id,
            )
        ]
    if isinstance(message, ChatMessage):
        chat_role = _ROLES.get(message.role.lower())
        if chat_role is None:
            raise ValueError(
                f"ChatMessage role {message.role!r} is not a chat completions role; use one of "
                "'system', 'developer', 'user', 'assistant' or 'tool'."
            )
        return [_plain(message, chat_role)]
    if isinstance(message, FunctionMessage):
        raise ValueError(
            "FunctionMessage uses the retired OpenAI 'functions' API; send the result as a "
            "ToolMessage(content=..., tool_call_id=...) instead."
        )
    raise ValueError(
        f"Cannot send a {type(message).__name__} to AIHubMix; use SystemMessage, HumanMessage, "
        "AIMessage, ToolMessage or ChatMessage."
    )


def to_core_messages(messages: Sequence[BaseMessage]) -> list[Message]:
    return [core for message in messages for core in to_core_message(message)]
