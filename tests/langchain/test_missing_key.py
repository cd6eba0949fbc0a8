"""A missing key is LangChain's authentication error, still naming AIHUBMIX_API_KEY."""

from __future__ import annotations

import pytest
from langchain_core.exceptions import ModelAuthenticationError

import aihubmix_core
import langchain_aihubmix
from langchain_aihubmix import AIHubMixEmbeddings, AIHubMixMissingAPIKeyError, ChatAIHubMix


def test_invoke_without_a_key_is_a_model_authentication_error() -> None:
    model = ChatAIHubMix(model="gpt-4o-mini")
    with pytest.raises(ModelAuthenticationError, match="AIHUBMIX_API_KEY") as info:
        model.invoke("hi")
    assert isinstance(info.value, AIHubMixMissingAPIKeyError)
    assert isinstance(
        info.value, aihubmix_core.MissingAPIKeyError
    )  # the core class still catches it


async def test_stream_and_embed_without_a_key_too() -> None:
    with pytest.raises(ModelAuthenticationError, match="AIHUBMIX_API_KEY"):
        list(ChatAIHubMix(model="gpt-4o-mini").stream("hi"))
    with pytest.raises(ModelAuthenticationError, match="AIHUBMIX_API_KEY"):
        await ChatAIHubMix(model="gpt-4o-mini").ainvoke("hi")
    with pytest.raises(ModelAuthenticationError, match="AIHUBMIX_API_KEY"):
        AIHubMixEmbeddings().embed_query("hi")


def test_the_class_is_listed_with_the_other_errors() -> None:
    assert "AIHubMixMissingAPIKeyError" in langchain_aihubmix.__all__
