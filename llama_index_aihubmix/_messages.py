"""LlamaIndex messages to core messages and core results back to LlamaIndex responses. Pure.

``ChatMessage.additional_kwargs`` is LlamaIndex's metadata bag, shared with every other
integration, so only the wire fields named in ``_WIRE_KEYS`` travel from it to the API;
everything else stays on the message.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    AudioBlock,
    CachePoint,
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    DocumentBlock,
    ImageBlock,
    LogProb,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)

from aihubmix_core import (
    AudioPart,
    ChatResult,
    FilePart,
    ImagePart,
    Message,
    TextPart,
    ToolCall,
    Usage,
    tool_calls_field,
    tool_calls_of,
    with_cache_control,
)
from aihubmix_core.types import ContentPart, Role

from ._cost import cost_kwargs

__all__ = [
    "chat_response",
    "completion_response",
    "raw_of",
    "to_core_messages",
    "usage_kwargs",
]

_ROLES: dict[MessageRole, Role] = {
    MessageRole.SYSTEM: "system",
    MessageRole.DEVELOPER: "developer",
    MessageRole.USER: "user",
    MessageRole.ASSISTANT: "assistant",
    MessageRole.TOOL: "tool",
    MessageRole.FUNCTION: "tool",  # LlamaIndex's older name for a tool result
    MessageRole.CHATBOT: "assistant",
    MessageRole.MODEL: "assistant",
}
# Wire fields of an assistant/tool message a caller may set through additional_kwargs.
_WIRE_KEYS = ("refusal", "audio", "annotations", "cache_control")


# --- LlamaIndex -> core ------------------------------------------------------------------


def _image_part(block: ImageBlock) -> ImagePart:
    if block.image is None and block.path is None and block.url is not None:
        return ImagePart(url=str(block.url), detail=block.detail)
    data = block.resolve_image(as_base64=True).read()
    return ImagePart.from_base64(
        data.decode("ascii"), block.image_mimetype or "image/png", detail=block.detail
    )


def _audio_part(block: AudioBlock) -> AudioPart:
    data = block.resolve_audio(as_base64=True).read().decode("ascii")
    return AudioPart(data, block.format)


def _document_part(block: DocumentBlock) -> FilePart:
    data = base64.b64encode(block.resolve_document().read()).decode("ascii")
    mime = block.document_mimetype or "application/pdf"
    return FilePart(data=data, mime_type=mime, filename=block.title or "document")


def _with_cache_control(part: ContentPart, point: CachePoint) -> ContentPart:
    """A cache point marks the part before it, as ``cache_control`` on that part."""
    control = point.cache_control
    return with_cache_control(part, {"type": control.type, "ttl": control.ttl})


def _tool_call_from_block(block: ToolCallBlock, position: int) -> ToolCall:
    kwargs = block.tool_kwargs
    arguments = kwargs if isinstance(kwargs, str) else json.dumps(kwargs, ensure_ascii=False)
    return ToolCall(
        id=block.tool_call_id or f"call_{position}", name=block.tool_name, arguments=arguments
    )


def _with_extras(calls: list[ToolCall], listed: list[ToolCall]) -> list[ToolCall]:
    """The calls of a message's blocks, each with the provider fields (a Gemini thought
    signature) it arrived with, found by id in the message's ``additional_kwargs`` list."""
    if not calls:
        return listed  # a message built by hand in the OpenAI shape, or with SDK objects
    kept = {call.id: call.extra for call in listed}
    for call in calls:
        call.extra = {**kept.get(call.id, {}), **call.extra}
    return calls


def _unsupported(block: object, role: str) -> ValueError:
    return ValueError(
        f"{type(block).__name__} is not supported in a {role} message sent to AIHubMix; "
        "use TextBlock, ImageBlock, AudioBlock or DocumentBlock content."
    )


def to_core_message(message: ChatMessage) -> Message:
    role = _ROLES.get(message.role)
    if role is None:
        raise ValueError(
            f"message role {message.role!r} has no AIHubMix equivalent; "
            f"use one of {sorted(known.value for known in _ROLES)}"
        )
    parts: list[ContentPart] = []
    texts_only = True
    reasoning: list[str] = []
    calls: list[ToolCall] = []
    for block in message.blocks:
        if isinstance(block, TextBlock):
            parts.append(TextPart(block.text))
        elif isinstance(block, ImageBlock):
            parts.append(_image_part(block))
            texts_only = False
        elif isinstance(block, ThinkingBlock):
            if block.content:
                reasoning.append(block.content)
        elif isinstance(block, ToolCallBlock):
            calls.append(_tool_call_from_block(block, len(calls)))
        elif isinstance(block, AudioBlock):
            parts.append(_audio_part(block))
            texts_only = False
        elif isinstance(block, DocumentBlock):
            parts.append(_document_part(block))
            texts_only = False
        elif isinstance(block, CachePoint) and parts:
            parts[-1] = _with_cache_control(parts[-1], block)
            texts_only = False
        else:
            raise _unsupported(block, message.role.value)

    extra = message.additional_kwargs
    calls = _with_extras(calls, tool_calls_of(extra))
    content: str | list[ContentPart] | None
    if texts_only:
        content = "\n".join(part.text for part in parts if isinstance(part, TextPart))
    else:
        content = parts
    core = Message(role=role, content=content)
    if role == "tool":
        call_id = extra.get("tool_call_id")
        if not call_id:
            raise ValueError(
                "a tool message needs the id of the call it answers in "
                "additional_kwargs['tool_call_id']"
            )
        core.tool_call_id = str(call_id)
    if extra.get("name"):
        core.name = str(extra["name"])
    if role == "assistant":
        core.tool_calls = calls
        details = extra.get("reasoning_details")
        if details:
            core.reasoning_details = list(details)
        # Which messages send it back is the request's reasoning_history policy.
        if reasoning or extra.get("reasoning_content"):
            core.reasoning_content = extra.get("reasoning_content") or "".join(reasoning)
    for key in _WIRE_KEYS:
        if key in extra:
            core.extra[key] = extra[key]
    return core


def to_core_messages(messages: Sequence[ChatMessage]) -> list[Message]:
    return [to_core_message(message) for message in messages]


# --- core -> LlamaIndex ------------------------------------------------------------------


def usage_kwargs(usage: Usage | None) -> dict[str, Any]:
    """Token counts as the flat keys LlamaIndex integrations put in ``additional_kwargs``."""
    if usage is None:
        return {}
    counts: dict[str, Any] = {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
    }
    for key in ("cached_tokens", "cache_write_tokens", "reasoning_tokens"):
        value = getattr(usage, key)
        if value is not None:
            counts[key] = value
    return counts


def raw_of(result: ChatResult) -> dict[str, Any]:
    """The reply's metadata as a dict; ``usage`` is the API's own usage object."""
    raw: dict[str, Any] = {
        "id": result.id,
        "model": result.model,
        "created": result.created,
        "finish_reason": result.finish_reason,
    }
    for key in ("system_fingerprint", "service_tier", "request_id"):
        if getattr(result, key):
            raw[key] = getattr(result, key)
    if result.usage is not None:
        raw["usage"] = result.usage.raw or {
            "prompt_tokens": result.usage.prompt_tokens,
            "completion_tokens": result.usage.completion_tokens,
            "total_tokens": result.usage.total_tokens,
        }
    if result.extra:
        raw.update({key: value for key, value in result.extra.items() if key not in raw})
    return raw


def tool_call_block(call: ToolCall) -> ToolCallBlock:
    """Arguments as a dict when they are a JSON object, else the text as received."""
    kwargs: dict[str, Any] | str = call.arguments
    try:
        parsed = call.parsed_arguments()
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        kwargs = parsed
    return ToolCallBlock(tool_call_id=call.id, tool_name=call.name, tool_kwargs=kwargs)


def _assistant_message(message: Message, usage: Usage | None) -> ChatMessage:
    blocks: list[Any] = []
    if message.reasoning_content:
        blocks.append(
            ThinkingBlock(
                content=message.reasoning_content,
                num_tokens=usage.reasoning_tokens if usage is not None else None,
            )
        )
    blocks.append(TextBlock(text=message.text))
    blocks.extend(tool_call_block(call) for call in message.tool_calls)
    kwargs = dict(message.extra)
    if message.tool_calls:
        # LlamaIndex's structured streaming looks here to see whether a reply holds calls;
        # the list also keeps each call's provider fields for the next turn.
        kwargs.update(tool_calls_field(message.tool_calls))
    if message.reasoning_details:
        kwargs["reasoning_details"] = message.reasoning_details
    return ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs=kwargs)


def _logprobs(raw: Any) -> list[list[LogProb]] | None:
    content = raw.get("content") if isinstance(raw, Mapping) else None
    if not isinstance(content, list) or not content:
        return None
    tokens: list[list[LogProb]] = []
    for item in content:
        if not isinstance(item, Mapping):
            continue
        options = item.get("top_logprobs") or [item]
        tokens.append(
            [
                LogProb(
                    token=str(option.get("token", "")),
                    logprob=float(option.get("logprob", 0.0)),
                    bytes=list(option.get("bytes") or []),
                )
                for option in options
                if isinstance(option, Mapping)
            ]
        )
    return tokens


def chat_response(result: ChatResult) -> ChatResponse:
    choice_logprobs = result.choices[0].logprobs if result.choices else None
    return ChatResponse(
        message=_assistant_message(result.message, result.usage),
        raw=raw_of(result),
        logprobs=_logprobs(choice_logprobs),
        additional_kwargs=usage_kwargs(result.usage) | cost_kwargs(result),
    )


def completion_response(response: ChatResponse) -> CompletionResponse:
    """The completion view of a chat response: its text, with nothing else lost."""
    kwargs = dict(response.additional_kwargs)
    for key, value in response.message.additional_kwargs.items():
        kwargs.setdefault(key, value)
    thinking = [b.content for b in response.message.blocks if isinstance(b, ThinkingBlock)]
    if thinking and thinking[0]:
        kwargs.setdefault("thinking", thinking[0])
    return CompletionResponse.model_construct(
        text=response.message.content or "",
        delta=response.delta,
        raw=response.raw,
        logprobs=response.logprobs,
        additional_kwargs=kwargs,
    )
