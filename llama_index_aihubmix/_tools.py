"""Tools in, tool calls out: LlamaIndex's ``BaseTool`` and ``ToolSelection`` shapes. Pure."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from llama_index.core.base.llms.types import ChatResponse, ToolCallBlock
from llama_index.core.llms.llm import ToolSelection
from llama_index.core.llms.utils import parse_partial_json

from aihubmix_core import TOOL_CHOICE_MODES, named_tool_choice, tool_from_wire, tool_to_wire

if TYPE_CHECKING:
    from llama_index.core.tools.types import BaseTool

__all__ = ["keep_first_call", "resolve_tool_choice", "tool_selections", "tool_specs"]

logger = logging.getLogger("llama_index_aihubmix")


def tool_specs(tools: Sequence[BaseTool], strict: bool | None = None) -> list[dict[str, Any]]:
    """The tools in the wire shape; ``strict``, when set, applies to each."""
    specs = []
    for tool in tools:
        spec = tool_from_wire(tool.metadata.to_openai_tool(skip_length_check=True))
        if strict is not None:
            spec.strict = strict
        specs.append(tool_to_wire(spec))
    return specs


def resolve_tool_choice(
    tool_choice: str | Mapping[str, Any] | None, tool_required: bool, names: Sequence[str]
) -> str | dict[str, Any]:
    """``None`` means auto (or required); a bare tool name forces that tool, and must be
    one of ``names`` (the tools given), or the gateway would refuse the call."""
    if tool_choice is None:
        return "required" if tool_required else "auto"
    if isinstance(tool_choice, Mapping):
        return dict(tool_choice)
    if tool_choice in TOOL_CHOICE_MODES:
        return tool_choice
    return named_tool_choice(tool_choice, names)


def _arguments(block: ToolCallBlock) -> dict[str, Any]:
    if isinstance(block.tool_kwargs, dict):
        return block.tool_kwargs
    text = block.tool_kwargs.strip()
    if not text:
        return {}
    try:
        parsed = parse_partial_json(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        return parsed
    # DEBUG, not WARNING: streamed structured output passes every partial call through here.
    logger.debug(
        "tool call %s to %r has arguments that are not (yet) a JSON object: %r",
        block.tool_call_id,
        block.tool_name,
        text[:200],
    )
    return {}


def tool_selections(response: ChatResponse, error_on_no_tool_call: bool) -> list[ToolSelection]:
    calls = [block for block in response.message.blocks if isinstance(block, ToolCallBlock)]
    if not calls and error_on_no_tool_call:
        refusal = response.message.additional_kwargs.get("refusal")
        if isinstance(refusal, str) and refusal:
            raise ValueError(f"The model refused instead of calling a tool: {refusal[:500]!r}")
        raise ValueError(
            "Expected the model to call a tool, but the reply has no tool calls: "
            f"{(response.message.content or '')[:200]!r}"
        )
    return [
        ToolSelection(
            tool_id=block.tool_call_id or "",
            tool_name=block.tool_name,
            tool_kwargs=_arguments(block),
        )
        for block in calls
    ]


def keep_first_call(response: ChatResponse) -> None:
    """LlamaIndex's contract when parallel calls are not allowed: one call per reply.
    ``parallel_tool_calls: false`` is sent, but some upstreams ignore it."""
    blocks = response.message.blocks
    calls = [block for block in blocks if isinstance(block, ToolCallBlock)]
    if len(calls) > 1:
        logger.warning(
            "the model made %d tool calls although parallel calls were not allowed; "
            "keeping the first (%r), as LlamaIndex expects",
            len(calls),
            calls[0].tool_name,
        )
        response.message.blocks = [
            block for block in blocks if not isinstance(block, ToolCallBlock)
        ] + calls[:1]
