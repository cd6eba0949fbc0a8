"""The class docstrings follow LangChain's integration template, every section in order."""

from __future__ import annotations

import re

from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix

CHAT_SECTIONS = [
    "Setup",
    "Key init args — completion params",
    "Key init args — client params",
    "Instantiate",
    "Invoke",
    "Stream",
    "Async",
    "Tool calling",
    "Structured output",
    "JSON mode",
    "Image input",
    "Token usage",
    "Logprobs",
    "Response metadata",
]
EMBEDDINGS_SECTIONS = [
    "Setup",
    "Key init args — embedding params",
    "Key init args — client params",
    "Instantiate",
    "Embed single text",
    "Embed multiple texts",
    "Async",
]


def _sections(doc: str | None) -> list[str]:
    return re.findall(r"^    (\S[^\n]*):\n", doc or "", flags=re.MULTILINE)


def test_chat_docstring_has_every_template_section_in_order() -> None:
    found = _sections(ChatAIHubMix.__doc__)
    assert [s for s in found if s in CHAT_SECTIONS] == CHAT_SECTIONS


def test_embeddings_docstring_has_every_template_section_in_order() -> None:
    found = _sections(AIHubMixEmbeddings.__doc__)
    assert [s for s in found if s in EMBEDDINGS_SECTIONS] == EMBEDDINGS_SECTIONS


def test_the_client_params_name_every_client_setting() -> None:
    doc = ChatAIHubMix.__doc__ or ""
    client = doc.split("Key init args — client params:")[1].split("Instantiate:")[0]
    for name in ("api_key", "base_url", "timeout", "max_retries", "default_headers", "http_client"):
        assert f"{name}:" in client, name
