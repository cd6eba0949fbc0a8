"""``aihubmix_core`` results and stream deltas as LangChain results and chunks. Pure.

Sync and async calls, streamed or not, all go through these functions, so a reply looks
the same however it was asked for. Fields LangChain has no place for stay in
``additional_kwargs``: content parts of unknown types under ``content_parts``, and each
tool call's provider fields (Gemini's thought signature) under ``tool_call_extras`` by
call id, set once per message so that adding chunks cannot concatenate them.

No message or chunk gets the provider's reply id as its ``id``: LangChain gives every
chunk of a run its run id, and a provider id on the closing chunk would win when chunks
are added, so the streamed chunks and the saved message would carry different ids (and
the ``n`` choices of one reply the same one). The provider id is ``response_metadata["id"]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    InvalidToolCall,
    ToolCall,
    ToolCallChunk,
)
from langchain_core.messages.ai import InputTokenDetails, OutputTokenDetails, UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from aihubmix_core import ChatDelta, Message, Usage
from aihubmix_core import ChatResult as CoreResult
from aihubmix_core import ToolCall as CoreToolCall

from ._citations import citation_blocks, register_citations
from ._cost import cost_metadata
from ._to_core import TOOL_CALL_EXTRAS

__all__ = [
    "MODEL_PROVIDER",
    "chunk_from_delta",
    "combine_llm_outputs",
    "final_chunk",
    "result_to_chat_result",
    "usage_to_metadata",
]

MODEL_PROVIDER = "aihubmix"
register_citations(MODEL_PROVIDER)


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


def _invalid(call: CoreToolCall, error: str) -> InvalidToolCall:
    return InvalidToolCall(
        type="invalid_tool_call", id=call.id, name=call.name, args=call.arguments, error=error
    )


def _parse_calls(calls: Sequence[CoreToolCall]) -> tuple[list[ToolCall], list[InvalidToolCall]]:
    valid: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    for call in calls:
        try:
            args = call.parsed_arguments()
        except ValueError as error:
            invalid.append(_invalid(call, f"arguments are not valid JSON: {error}"))
            continue
        if not isinstance(args, dict):
            kind = type(args).__name__
            invalid.append(_invalid(call, f"arguments must be a JSON object, got {kind}"))
            continue
        valid.append(ToolCall(type="tool_call", id=call.id, name=call.name, args=args))
    return valid, invalid


def _message_kwargs(message: Message) -> dict[str, Any]:
    """The message's fields LangChain has no attribute for, set once per message."""
    kwargs: dict[str, Any] = dict(message.extra)
    if message.reasoning_details:
        kwargs["reasoning_details"] = message.reasoning_details
    extras = {call.id: call.extra for call in message.tool_calls if call.extra}
    if extras:
        kwargs[TOOL_CALL_EXTRAS] = extras
    return kwargs


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
    for key in ("service_tier", "request_id"):
        if getattr(result, key):
            metadata[key] = getattr(result, key)
    metadata.update(cost_metadata(result))
    citations = citation_blocks(result.message.extra)
    if citations:
        metadata["citations"] = citations
    return metadata


def result_to_chat_result(result: CoreResult, requested_model: str) -> ChatResult:
    """A whole reply (every choice) as LangChain's ``ChatResult``."""
    usage = usage_to_metadata(result.usage) if result.usage is not None else None
    generations = []
    for choice in result.choices:
        tool_calls, invalid = _parse_calls(choice.message.tool_calls)
        metadata = _response_metadata(result, requested_model, choice.finish_reason)
        info: dict[str, Any] = {"finish_reason": choice.finish_reason}
        if choice.logprobs is not None:
            metadata["logprobs"] = info["logprobs"] = choice.logprobs
        kwargs = _message_kwargs(choice.message)
        if choice.message.reasoning_content:
            kwargs["reasoning_content"] = choice.message.reasoning_content
        if tool_calls or invalid:
            message = AIMessage(
                content=choice.message.text,
                additional_kwargs=kwargs,
                tool_calls=tool_calls,
                invalid_tool_calls=invalid,
                usage_metadata=usage,
                response_metadata=metadata,
            )
        else:  # empty call lists are the defaults; passing them costs a validation each
            message = AIMessage(
                content=choice.message.text,
                additional_kwargs=kwargs,
                usage_metadata=usage,
                response_metadata=metadata,
            )
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
        kind = type(value)
        if kind is int or kind is float:  # counts from JSON; never a bool or None
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

    Usage, finish reason, ids, the merged ``reasoning_details`` and the tool calls'
    provider fields go on the final chunk (see ``final_chunk``), so each is set exactly
    once in the summed message. Plain text deltas, the bulk of a stream, take the
    shortest path.
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
                type="tool_call_chunk", id=c.id, name=c.name, args=c.arguments, index=c.index
            )
            for c in calls
        ]
    chunk = AIMessageChunk(**fields)
    if delta.logprobs is not None:
        return ChatGenerationChunk(message=chunk, generation_info={"logprobs": delta.logprobs})
    return ChatGenerationChunk(message=chunk)


def final_chunk(result: CoreResult | None, requested_model: str) -> ChatGenerationChunk:
    """The closing chunk: usage, response metadata, and the message's fields set once."""
    if result is None:
        return ChatGenerationChunk(
            message=AIMessageChunk(
                content="",
                chunk_position="last",
                response_metadata={"model_name": requested_model, "model_provider": MODEL_PROVIDER},
            )
        )
    return ChatGenerationChunk(
        message=AIMessageChunk(
            content="",
            additional_kwargs=_message_kwargs(result.message),
            usage_metadata=usage_to_metadata(result.usage) if result.usage is not None else None,
            response_metadata=_response_metadata(result, requested_model, result.finish_reason),
            chunk_position="last",
        ),
        generation_info={"finish_reason": result.finish_reason},
    )
