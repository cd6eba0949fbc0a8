"""Token counting without a download: ``get_num_tokens_from_messages`` and
``trim_messages(..., token_counter=llm)``, as LangChain's memory how-tos use them, work
offline for every model, with the documented estimate (never an ImportError)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, trim_messages
from pydantic import BaseModel

from aihubmix_core.token_estimate import estimate_text_tokens
from langchain_aihubmix import ChatAIHubMix

HISTORY = [
    SystemMessage("You are a helpful assistant."),
    HumanMessage("Hi, I'm Bob."),
    AIMessage("Hello Bob! How can I help?"),
    HumanMessage("What is the capital of France?"),
    AIMessage("Paris."),
    HumanMessage("And of Italy?"),
]


class GetWeather(BaseModel):
    """Current weather in a city."""

    city: str


@pytest.mark.parametrize("model", ["gpt-4o-mini", "claude-sonnet-4-5", "deepseek-chat"])
def test_counts_messages_for_any_model(model: str) -> None:
    llm = ChatAIHubMix(model=model)
    count = llm.get_num_tokens_from_messages(HISTORY)
    texts = sum(estimate_text_tokens(str(m.content)) for m in HISTORY)
    assert count == texts + 3 * len(HISTORY) + 3
    assert llm.get_num_tokens("abcdefgh") == 2
    assert llm.get_num_tokens_from_messages(HISTORY, tools=[GetWeather]) > count


def test_trim_messages_with_the_model_as_token_counter() -> None:
    llm = ChatAIHubMix(model="gpt-4o-mini")
    trimmed = trim_messages(
        HISTORY,
        max_tokens=40,
        strategy="last",
        token_counter=llm,
        include_system=True,
        start_on="human",
    )
    assert trimmed[0] == HISTORY[0] and trimmed[-1] == HISTORY[-1]
    assert 2 < len(trimmed) < len(HISTORY)
    assert llm.get_num_tokens_from_messages(trimmed) <= 40


def test_a_tokenizer_of_your_own_replaces_the_estimate() -> None:
    llm = ChatAIHubMix(model="gpt-4o-mini", custom_get_token_ids=lambda text: [0] * len(text))
    assert llm.get_num_tokens("abcdefgh") == 8
    assert llm.get_token_ids("abc") == [0, 0, 0]
    assert llm.get_num_tokens_from_messages([HumanMessage("abc")]) == 3 + 3 + 3


def test_token_ids_need_a_tokenizer_and_say_so() -> None:
    with pytest.raises(NotImplementedError, match="custom_get_token_ids"):
        ChatAIHubMix(model="gpt-4o-mini").get_token_ids("hello")


def test_counting_needs_neither_transformers_nor_tiktoken() -> None:
    code = (
        "import importlib.abc, sys\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('transformers', 'tiktoken'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from langchain_core.messages import HumanMessage\n"
        "from langchain_aihubmix import ChatAIHubMix\n"
        "print(ChatAIHubMix(model='gpt-4o').get_num_tokens_from_messages([HumanMessage('hi')]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout) == 3 + 1 + 3
