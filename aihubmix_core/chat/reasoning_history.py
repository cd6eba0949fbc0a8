"""Which earlier assistant messages carry their reasoning back to the model. Pure.

A reply's reasoning (``reasoning_content``, and Claude's signed ``reasoning_details``)
stays on the message; upstreams differ on whether they want it back:

- ``"never"``: no reasoning is sent back;
- ``"current_turn"``: only within the running tool loop, the assistant messages after
  the last user message when one of them called a tool; a plain chat history then
  carries none;
- ``"tool_turns"``: every turn (user message to user message) that called a tool, earlier
  ones included. DeepSeek's thinking mode refuses a request whose tool-calling turns lack
  their ``reasoning_content``; a gateway in front of Claude may refuse an earlier
  tool-calling turn without its signed thinking (Anthropic itself drops it from the
  context, so sending it costs nothing). Both ignore it elsewhere;
- ``"all"``: every assistant message.

``default_reasoning_history`` picks ``"tool_turns"`` for DeepSeek and Claude models and
``"current_turn"`` for the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Literal, get_args

from ..errors import ConfigurationError
from ..types import Message

__all__ = ["REASONING_HISTORY", "ReasoningHistory", "default_reasoning_history", "keeps_reasoning"]

ReasoningHistory = Literal["never", "current_turn", "tool_turns", "all"]
REASONING_HISTORY: tuple[str, ...] = get_args(ReasoningHistory)


@lru_cache(maxsize=512)  # asked on every call; model ids repeat
def default_reasoning_history(model: str) -> ReasoningHistory:
    """The policy for a model family when none is set."""
    name = model.lower()
    return "tool_turns" if "deepseek" in name or "claude" in name else "current_turn"


def _turns(messages: Sequence[Message]) -> list[list[int]]:
    """Positions of the messages, grouped from one user message to the next."""
    turns: list[list[int]] = [[]]
    for position, message in enumerate(messages):
        if message.role == "user" and turns[-1]:
            turns.append([])
        turns[-1].append(position)
    return turns


def keeps_reasoning(messages: Sequence[Message], policy: str | None, model: str) -> list[bool]:
    """For each message, whether its reasoning goes on the wire under ``policy`` (the
    model family's default when ``None``)."""
    chosen = default_reasoning_history(model) if policy is None else policy
    if chosen not in REASONING_HISTORY:
        raise ConfigurationError(
            f"reasoning_history must be one of {', '.join(REASONING_HISTORY)}, got {chosen!r}"
        )
    keep = [chosen == "all"] * len(messages)
    if chosen == "never" or chosen == "all":
        return keep
    for message in messages:  # a loop, not any(): asked on every call
        if message.tool_calls:
            break
    else:
        return keep
    turns = _turns(messages)
    chosen_turns = turns[-1:] if chosen == "current_turn" else turns
    for turn in chosen_turns:
        if any(messages[i].tool_calls for i in turn):  # a tool loop
            for position in turn:
                keep[position] = True  # only assistant messages have reasoning to send
    return keep
