"""AIHubMix (LlamaIndex) sends earlier reasoning back by the same policy as the core."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, TextBlock, ThinkingBlock, ToolCallBlock
from testkit import KEY


def _assistant(tag: str, *, call: bool) -> ChatMessage:
    blocks: list[Any] = [ThinkingBlock(content=f"thinking {tag}"), TextBlock(text="")]
    if call:
        blocks.append(ToolCallBlock(tool_call_id=f"c{tag}", tool_name="f", tool_kwargs={}))
    return ChatMessage(role="assistant", blocks=blocks)


HISTORY = [
    ChatMessage(role="user", content="first"),
    _assistant("1", call=True),
    ChatMessage(role="tool", content="r", additional_kwargs={"tool_call_id": "c1"}),
    _assistant("1b", call=False),
    ChatMessage(role="user", content="second"),
    _assistant("3", call=True),
    ChatMessage(role="tool", content="r", additional_kwargs={"tool_call_id": "c3"}),
]


def _carried(body: dict[str, Any]) -> list[str]:
    return [
        m["reasoning_content"].removeprefix("thinking ")
        for m in body["messages"]
        if "reasoning_content" in m
    ]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"model": "deepseek-reasoner"}, ["1", "1b", "3"]),
        ({"model": "claude-sonnet-4-5"}, ["1", "1b", "3"]),
        ({"model": "gpt-5-mini"}, ["3"]),
        ({"model": "gpt-5-mini", "reasoning_history": "all"}, ["1", "1b", "3"]),
        ({"model": "deepseek-reasoner", "reasoning_history": "never"}, []),
    ],
)
def test_policy_and_defaults(
    mock_llm: Any, make_completion: Any, settings: dict[str, Any], expected: list[str]
) -> None:
    llm, sent = mock_llm(body=make_completion("ok"), api_key=KEY, **settings)
    llm.chat(HISTORY)
    assert _carried(sent.last) == expected
    assert "reasoning_history" not in sent.last


def test_per_call(mock_llm: Any, make_completion: Any) -> None:
    llm, sent = mock_llm(body=make_completion("ok"), api_key=KEY, model="deepseek-reasoner")
    llm.chat(HISTORY, reasoning_history="current_turn")
    assert _carried(sent.last) == ["3"]
