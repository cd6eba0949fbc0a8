"""Which assistant messages carry their reasoning back: a policy per request, with a
default per model family."""

from __future__ import annotations

from typing import Any

import pytest

from aihubmix_core import ChatRequest, ConfigurationError, Message, ToolCall
from aihubmix_core.chat.reasoning_history import default_reasoning_history


def _assistant(tag: str, *, calls: bool) -> Message:
    return Message(
        role="assistant",
        content="" if calls else f"answer {tag}",
        tool_calls=[ToolCall(f"c{tag}", "f", "{}")] if calls else [],
        reasoning_content=f"thinking {tag}",
        reasoning_details=[{"type": "reasoning.text", "text": tag, "signature": "sig"}],
    )


HISTORY = [
    Message(role="user", content="first question"),
    _assistant("1a", calls=True),
    Message(role="tool", content="result", tool_call_id="c1a"),
    _assistant("1b", calls=False),
    Message(role="user", content="small talk"),
    _assistant("2", calls=False),
    Message(role="user", content="second question"),
    _assistant("3a", calls=True),
    Message(role="tool", content="result", tool_call_id="c3a"),
]


def _carrying(model: str, policy: Any = None) -> list[str]:
    payload = ChatRequest(model=model, messages=HISTORY, reasoning_history=policy).to_payload()
    tagged = []
    for wire in payload["messages"]:
        if "reasoning_content" in wire:
            assert "reasoning_details" in wire
            tagged.append(wire["reasoning_content"].removeprefix("thinking "))
        else:
            assert "reasoning_details" not in wire
    return tagged


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("never", []),
        ("current_turn", ["3a"]),
        ("tool_turns", ["1a", "1b", "3a"]),
        ("all", ["1a", "1b", "2", "3a"]),
    ],
)
def test_each_policy(policy: str, expected: list[str]) -> None:
    assert _carrying("gpt-4o-mini", policy) == expected


@pytest.mark.parametrize(
    ("model", "policy"),
    [
        ("deepseek-reasoner", "tool_turns"),
        ("deepseek-chat", "tool_turns"),
        ("deepseek/deepseek-v3.2", "tool_turns"),
        ("claude-sonnet-4-5", "tool_turns"),
        ("anthropic/Claude-Opus-4-1", "tool_turns"),
        ("gpt-4o-mini", "current_turn"),
        ("some-new-model", "current_turn"),
    ],
)
def test_defaults_per_model_family(model: str, policy: str) -> None:
    assert default_reasoning_history(model) == policy
    assert _carrying(model) == _carrying("x", policy)


def test_an_unknown_policy_is_refused_by_name() -> None:
    with pytest.raises(ConfigurationError, match="reasoning_history"):
        ChatRequest(model="m", messages=HISTORY, reasoning_history="sometimes").to_payload()  # type: ignore[arg-type]
