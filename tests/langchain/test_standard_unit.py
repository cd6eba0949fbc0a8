"""langchain-tests' standard unit suites for ChatAIHubMix and AIHubMixEmbeddings."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_tests.unit_tests import ChatModelUnitTests, EmbeddingsUnitTests
from langchain_tests.unit_tests import chat_models as standard_chat_tests

from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix

_ENV = {"AIHUBMIX_API_KEY": "sk-from-env", "AIHUBMIX_BASE_URL": "https://example.test/v1"}


@pytest.fixture(autouse=True)
def _admit_chat_model_to_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """The standard serdes test calls ``load()`` with ``allowed_objects="all"`` (older
    langchain-tests: the default, ``"core"``). Both admit only the classes listed in
    ``langchain_core.load.mapping``, LangChain's own packages, so no other package's class
    passes. A user admits ChatAIHubMix through ``load()``'s public parameters (see
    docs/configuration.md); here the test's call gets the one meant for ``"all"`` and
    ``"core"``: ``additional_import_mappings``, whose class paths join the allowlist."""
    path = tuple(ChatAIHubMix.lc_id())
    standard_load = standard_chat_tests.load

    def load(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("additional_import_mappings", {path: path})
        return standard_load(*args, **kwargs)

    monkeypatch.setattr(standard_chat_tests, "load", load)


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
