"""The reference pages name everything they promise to: a new parameter, error class or
renamed test file makes these fail until the page is updated."""

from __future__ import annotations

import inspect
import re

import pytest
import testkit
from langchain_core.language_models.chat_models import BaseChatModel

import aihubmix_core
import langchain_aihubmix
from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix
from llama_index_aihubmix import AIHubMix, AIHubMixEmbedding

DOCS = testkit.ROOT / "docs"


def _named(page: str, section: str | None = None) -> set[str]:
    """Everything written as `code` on the page, or in its ``## section`` only."""
    text = (DOCS / page).read_text(encoding="utf-8")
    if section is not None:
        start = text.index(f"\n## {section}")
        end = text.find("\n## ", start + 1)
        text = text[start : end if end >= 0 else len(text)]
    return set(re.findall(r"`([^`\s]+)`", text))


def _init_parameters(cls: type) -> set[str]:
    skip = {"self", "args", "kwargs"}
    return {name for name in inspect.signature(cls.__init__).parameters if name not in skip}


def _own_fields(cls: type, base: type) -> set[str]:
    fields = cls.model_fields  # type: ignore[attr-defined]
    inherited = base.model_fields  # type: ignore[attr-defined]
    return {field.alias or name for name, field in fields.items() if name not in inherited}


@pytest.mark.parametrize(
    ("cls", "parameters"),
    [
        (ChatAIHubMix, _own_fields(ChatAIHubMix, BaseChatModel)),
        (AIHubMixEmbeddings, set(AIHubMixEmbeddings.model_fields)),
        (AIHubMix, _init_parameters(AIHubMix) | {"strict"}),
        (AIHubMixEmbedding, _init_parameters(AIHubMixEmbedding)),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_configuration_page_lists_every_parameter(cls: type, parameters: set[str]) -> None:
    section = _named("configuration.md", f"`{cls.__name__}`")
    missing = sorted(parameters - section)
    assert not missing, f"docs/configuration.md's {cls.__name__} table lacks {missing}"


def test_configuration_page_lists_every_environment_variable() -> None:
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("aihubmix_core", "langchain_aihubmix", "llama_index_aihubmix")
        for path in (testkit.ROOT / folder).glob("*.py")
    )
    used = set(re.findall(r"AIHUBMIX_[A-Z_]+", source)) | {
        "AIHUBMIX_RECORD_MODE",
        "AIHUBMIX_CASSETTE_SOURCE",
    }
    missing = sorted(used - _named("configuration.md"))
    assert not missing, f"docs/configuration.md does not describe {missing}"


def test_errors_page_lists_every_error_class() -> None:
    core = {name for name in aihubmix_core.errors.__all__ if name.endswith("Error")}
    dual = {name for name in langchain_aihubmix.__all__ if name.endswith("Error")}
    missing = sorted((core | dual) - _named("errors.md"))
    assert not missing, f"docs/errors.md does not describe {missing}"


def test_feature_table_cites_test_files_that_exist() -> None:
    cited = {name for name in _named("features.md") if name.startswith("tests/")}
    assert cited, "the feature table names no test file"
    absent = sorted(name for name in cited if not (testkit.ROOT / name).exists())
    assert not absent, f"docs/features.md cites tests that do not exist: {absent}"
