"""LangChain's own entry points: the string form cannot name this package (LangChain's
provider list is closed), an instance works wherever a model is taken. If LangChain ever
opens the list, the first test fails and the quickstart's note must change."""

from __future__ import annotations

import pytest
from langchain.agents import create_agent
from langchain.chat_models import init_chat_model

from langchain_aihubmix import ChatAIHubMix


@pytest.mark.parametrize("name", ["aihubmix:gpt-4o-mini", "aihubmix:claude-sonnet-4-5"])
def test_the_provider_string_is_not_known_to_langchain(name: str) -> None:
    with pytest.raises(ValueError, match="provider"):
        init_chat_model(name)


def test_an_instance_is_taken_by_create_agent() -> None:
    llm = ChatAIHubMix(model="gpt-4o-mini", api_key="sk-entry-points-0123456789")
    agent = create_agent(model=llm, tools=[])
    assert agent is not None
