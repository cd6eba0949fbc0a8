"""Pure translation between LangChain messages and ``aihubmix_core`` types.

Sync and async calls, streamed or not, all go through these functions, so there is
one place that decides how a message, a delta or a usage record looks on either side
(content blocks are in ``_content_blocks``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    InvalidToolCall,
    SystemMessage,
    ToolCall,
    ToolCallChunk,
    ToolMessage,
)
from langchain_core.messages.ai import InputTokenDetails, OutputTokenDetails, UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from aihubmix_core import ChatDelta, Message, TextPart, Usage
from aihubmix_core import ChatResult as CoreResult
from aihubmix_core import ToolCall as CoreToolCall
from aihubmix_core.types import Role

from ._content_blocks import (
    content_to_core,
    reasoning_details_from_blocks,
    reasoning_from_blocks,
    tool_calls_from_blocks,
)
from ._cost import cost_metadata

__all__ = [
    "MODEL_PROVIDER",
    "chunk_from_delta",
    "final_chunk",
    "result_to_chat_result",
    "to_core_messages",
    "usage_to_metadata",
]

MODEL_PROVIDER = "aihubmix"
_ROLES: dict[str, Role] = {
    "system": "system",
    "developer": "developer",
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "tool": "tool",
}


# LangChain -> core


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


def _assistant(message: AIMessage) -> Message:
    extra = message.additional_kwargs
    reasoning = extra.get("reasoning_content")
    if not isinstance(reasoning, str):
        reasoning = reasoning_from_blocks(message.content)
    details = extra.get("reasoning_details")
    if not isinstance(details, list):
        details = reasoning_details_from_blocks(message.content)
    calls = [_tool_call_to_core(call) for call in message.tool_calls]
    calls += [_invalid_call_to_core(call) for call in message.invalid_tool_calls]
    if not calls and isinstance(extra.get("tool_calls"), list):
        # A message built by hand in the OpenAI shape.
        calls = [
            CoreToolCall(
                id=str(raw.get("id") or ""),
                name=str((raw.get("function") or {}).get("name") or ""),
                arguments=str((raw.get("function") or {}).get("arguments") or ""),
            )
            for raw in extra["tool_calls"]
            if isinstance(raw, Mapping)
        ]
    calls += tool_calls_from_blocks(message.content, {call.id for call in calls})
    return Message(
        role="assistant",
        content=content_to_core(message.content, "assistant"),
        name=message.name,
        tool_calls=calls,
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


def _user(message: HumanMessage) -> list[Message]:
    """A user message; Anthropic-style ``tool_result`` blocks in it become tool messages
    placed first, as the tool calls they answer must be followed by their results."""
    content = message.content
    if isinstance(content, list) and any(
        isinstance(block, Mapping) and block.get("type") == "tool_result" for block in content
    ):
        results = [
            _tool_result(block)
            for block in content
            if isinstance(block, Mapping) and block.get("type") == "tool_result"
        ]
        rest = [
            block
            for block in content
            if not (isinstance(block, Mapping) and block.get("type") == "tool_result")
        ]
        if not rest:
            return results
        return [
            *results,
            Message(role="user", content=content_to_core(rest, "user"), name=message.name),
        ]
    return [Message(role="user", content=content_to_core(content, "user"), name=message.name)]


def to_core_message(message: BaseMessage) -> list[Message]:
    """One LangChain message as core messages (usually one; a user message carrying
    Anthropic tool results gives several). Unknown message types are refused clearly."""
    if isinstance(message, AIMessage):
        return [_assistant(message)]
    if isinstance(message, HumanMessage):
        return _user(message)
    if isinstance(message, SystemMessage):
        role: Role = (
            "developer"
            if message.additional_kwargs.get("__openai_role__") == "developer"
            else "system"
        )
        return [
            Message(role=role, content=content_to_core(message.content, role), name=message.name)
        ]
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
        return [
            Message(
                role=chat_role,
                content=content_to_core(message.content, chat_role),
                name=message.name,
            )
        ]
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


# core -> LangChain


def usage_to_metadata(usage: Usage) -> UsageMetadata:
    """Token counts in LangChain's shape, with cache and reasoning details when reported.

    Some upstreams count reasoning tokens outside ``completion_tokens``; then the total
    shows it and the output count includes them, so details never exceed the totals.
    """
    output = usage.completion_tokens
    reasoning = usage.reasoning_tokens
    if reasoning and usage.total_tokens >= usage.prompt_tokens + output + reasoning:
        output += reasoning
    metadata = UsageMetadata(
        input_tokens=usage.prompt_tokens,
        output_tokens=output,
        total_tokens=usage.total_tokens or usage.prompt_tokens + output,
    )
    input_details = InputTokenDetails()
    if usage.cached_tokens is not None:
        input_details["cache_read"] = usage.cached_tokens
    if usage.cache_write_tokens is not None:
        input_details["cache_creation"] = usage.cache_write_tokens
    if input_details:
        metadata["input_token_details"] = input_details
    if reasoning is not None:
        metadata["output_token_details"] = OutputTokenDetails(reasoning=reasoning)
    return metadata


def _parse_calls(calls: Sequence[CoreToolCall]) -> tuple[list[ToolCall], list[InvalidToolCall]]:
    valid: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    for call in calls:
        try:
            args = call.parsed_arguments()
        except ValueError as error:
            invalid.append(
                InvalidToolCall(
                    type="invalid_tool_call",
                    id=call.id,
                    name=call.name,
                    args=call.arguments,
                    error=f"arguments are not valid JSON: {error}",
                )
            )
            continue
        if not isinstance(args, dict):
            invalid.append(
                InvalidToolCall(
                    type="invalid_tool_call",
                    id=call.id,
                    name=call.name,
                    args=call.arguments,
                    error=f"arguments must be a JSON object, got {type(args).__name__}",
                )
            )
            continue
        valid.append(ToolCall(type="tool_call", id=call.id, name=call.name, args=args))
    return valid, invalid


def _additional_kwargs(message: Message) -> dict[str, Any]:
    extra: dict[str, Any] = dict(message.extra)
    if message.reasoning_content:
        extra["reasoning_content"] = message.reasoning_content
    if message.reasoning_details:
        extra["reasoning_details"] = message.reasoning_details
    return extra


def _response_metadata(
    result: CoreResult, requested_model: str, finish_reason: str | None
) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "model_name": result.model or requested_model,
        "model_provider": MODEL_PROVIDER,
        "finish_reason": finish_reason,
        "id": result.id,
        "system_fingerprint": result.system_fingerprint,
    }
    if result.service_tier:
        metadata["service_tier"] = result.service_tier
    if result.request_id:
        metadata["request_id"] = result.request_id
    metadata.update(cost_metadata(result, requested_model))
    return metadata


def result_to_chat_result(result: CoreResult, requested_model: str) -> ChatResult:
    """A whole reply (every choice) as LangChain's ``ChatResult``."""
    usage = usage_to_metadata(result.usage) if result.usage is not None else None
    generations = []
    for choice in result.choices:
        tool_calls, invalid = _parse_calls(choice.message.tool_calls)
        metadata = _response_metadata(result, requested_model, choice.finish_reason)
        if choice.logprobs is not None:
            metadata["logprobs"] = choice.logprobs
        message = AIMessage(
            content=choice.message.text,
            additional_kwargs=_additional_kwargs(choice.message),
            tool_calls=tool_calls,
            invalid_tool_calls=invalid,
            usage_metadata=usage,
            response_metadata=metadata,
            id=result.id,
        )
        info: dict[str, Any] = {"finish_reason": choice.finish_reason}
        if choice.logprobs is not None:
            info["logprobs"] = choice.logprobs
        generations.append(ChatGeneration(message=message, generation_info=info))
    llm_output: dict[str, Any] = {
        "token_usage": dict(result.usage.raw) if result.usage is not None else {},
        "model_name": result.model or requested_model,
        "model_provider": MODEL_PROVIDER,
        "id": result.id,
        "system_fingerprint": result.system_fingerprint,
    }
    return ChatResult(generations=generations, llm_output=llm_output)


def _add_usage(total: dict[str, Any], part: Mapping[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float):
            total[key] = total.get(key, 0) + value
        elif isinstance(value, Mapping):
            _add_usage(total.setdefault(key, {}), value)


def combine_llm_outputs(outputs: Sequence[Mapping[str, Any] | None]) -> dict[str, Any]:
    """``generate()``'s ``llm_output`` over several prompts: token usage summed (nested
    details too), the model and fingerprint of the first reply."""
    usage: dict[str, Any] = {}
    combined: dict[str, Any] = {}
    for output in outputs:
        if not output:
            continue
        _add_usage(usage, output.get("token_usage") or {})
        for key in ("model_name", "model_provider", "system_fingerprint"):
            if output.get(key) is not None:
                combined.setdefault(key, output[key])
    return {"token_usage": usage, **combined}


def chunk_from_delta(delta: ChatDelta) -> ChatGenerationChunk | None:
    """One stream delta as a chunk; ``None`` when it adds nothing a user can see.

    Usage, finish reason, ids and the merged ``reasoning_details`` go on the final chunk
    (see ``final_chunk``), so each is set exactly once in the summed message. Plain text
    deltas, the bulk of a stream, take the shortest path.
    """
    calls = delta.tool_calls
    if not delta.reasoning and not calls and delta.logprobs is None:
        if not delta.content:
            return None
        return ChatGenerationChunk(message=AIMessageChunk(content=delta.content))
    fields: dict[str, Any] = {"content": delta.content}
    if delta.reasoning:
        fields["additional_kwargs"] = {"reasoning_content": delta.reasoning}
    if calls:
        fields["tool_call_chunks"] = [
            ToolCallChunk(
                type="tool_call_chunk",
                id=call.id,
                name=call.name,
                args=call.arguments,
                index=call.index,
            )
            for call in calls
        ]
    chunk = AIMessageChunk(**fields)
    if delta.logprobs is not None:
        return ChatGenerationChunk(message=chunk, generation_info={"logprobs": delta.logprobs})
    return ChatGenerationChunk(message=chunk)


def final_chunk(result: CoreResult | None, requested_model: str) -> ChatGenerationChunk:
    """The closing chunk: usage, response metadata and merged reasoning details."""
    if result is None:
        return ChatGenerationChunk(
            message=AIMessageChunk(
                content="",
                chunk_position="last",
                response_metadata={"model_name": requested_model, "model_provider": MODEL_PROVIDER},
            )
        )
    message = result.message
    kwargs: dict[str, Any] = {}
    if message.reasoning_details:
        kwargs["reasoning_details"] = message.reasoning_details
    for key, value in message.extra.items():
        kwargs[key] = value
    return ChatGenerationChunk(
        message=AIMessageChunk(
            content="",
            additional_kwargs=kwargs,
            usage_metadata=usage_to_metadata(result.usage) if result.usage is not None else None,
            response_metadata=_response_metadata(result, requested_model, result.finish_reason),
            chunk_position="last",
            id=result.id,
        ),
        generation_info={"finish_reason": result.finish_reason},
    )
