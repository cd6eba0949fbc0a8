"""langchain-tests' standard unit suites for ChatAIHubMix and AIHubMixEmbeddings."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_tests.unit_tests import ChatModelUnitTests, EmbeddingsUnitTests

from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix

_ENV = {"AIHUBMIX_API_KEY": "sk-from-env", "AIHUBMIX_BASE_URL": "https://example.test/v1"}


@pytest.fixture(autouse=True)
def _allow_loading_chat_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The standard serdes test loads with ``allowed_objects="all"``, which LangChain
    limits to the classes listed in langchain_core.load.mapping (its own monorepo). Users
    pass ``allowed_objects=[ChatAIHubMix]`` instead (see test_chat_unit.py); here the
    class is added to that default list for the test's duration."""
    load_module = importlib.import_module("langchain_core.load.load")

    allowed = set(load_module._get_default_allowed_class_paths("all"))
    allowed.add(tuple(ChatAIHubMix.lc_id()))
    monkeypatch.setitem(load_module._default_class_paths_cache, "all", allowed)


class TestChatAIHubMixUnit(ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return ChatAIHubMix

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": "gpt-4o-mini"}

    @property
    def supports_image_inputs(self) -> bool:
        return True

    @property
    def supports_image_urls(self) -> bool:
        return True

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def model_override_value(self) -> str:
        return "gpt-4.1-mini"

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return (
            _ENV,
            {"model": "gpt-4o-mini"},
            {"api_key": "sk-from-env", "base_url": _ENV["AIHUBMIX_BASE_URL"]},
        )


class TestAIHubMixEmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[Embeddings]:
        return AIHubMixEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"model": "text-embedding-3-small"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return (
            _ENV,
            {"model": "text-embedding-3-small"},
            {"api_key": "sk-from-env", "base_url": _ENV["AIHUBMIX_BASE_URL"]},
        )
