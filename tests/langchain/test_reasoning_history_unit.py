"""ChatAIHubMix's reasoning_history: the policy for sending earlier reasoning back."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from pydantic import ValidationError

from langchain_aihubmix import ChatAIHubMix

REPLY = {
    "id": "chatcmpl-1",
    "model": "deepseek-reasoner",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Done"}}],
}


def _thinking(tag: str, *, call: bool) -> AIMessage:
    calls = [{"name": "f", "args": {}, "id": f"c{tag}", "type": "tool_call"}] if call else []
    return AIMessage(
        "" if call else f"answer {tag}",
        tool_calls=calls,
        additional_kwargs={"reasoning_content": f"thinking {tag}"},
    )


HISTORY = [
    HumanMessage("first"),
    _thinking("1", call=True),
    ToolMessage("r", tool_call_id="c1"),
    _thinking("1b", call=False),
    HumanMessage("chat"),
    _thinking("2", call=False),
    HumanMessage("second"),
    _thinking("3", call=True),
    ToolMessage("r", tool_call_id="c3"),
]


def _carried(body: dict[str, Any]) -> list[str]:
    return [
        m["reasoning_content"].removeprefix("thinking ")
        for m in body["messages"]
        if "reasoning_content" in m
    ]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("deepseek-reasoner", ["1", "1b", "3"]),
        ("claude-sonnet-4-5", ["1", "1b", "3"]),
        ("gpt-5-mini", ["3"]),
    ],
)
def test_the_default_follows_the_model_family(
    mock_chat: Any, model: str, expected: list[str]
) -> None:
    llm, sent = mock_chat(body=REPLY, model=model)
    llm.invoke(HISTORY)
    assert _carried(sent.last) == expected


def test_set_on_the_model_or_per_call(mock_chat: Any) -> None:
    llm, sent = mock_chat(body=REPLY, model="deepseek-reasoner", reasoning_history="never")
    llm.invoke(HISTORY)
    assert _carried(sent.last) == []
    llm.invoke(HISTORY, reasoning_history="all")
    assert _carried(sent.last) == ["1", "1b", "2", "3"]
    assert "reasoning_history" not in sent.last


def test_an_unknown_policy_is_refused() -> None:
    with pytest.raises(ValidationError, match="reasoning_history"):
        ChatAIHubMix(model="deepseek-reasoner", reasoning_history="sometimes")
