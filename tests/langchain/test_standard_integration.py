"""langchain-tests' standard integration suites, replayed from cassettes.

Recorded from the loopback emulator (``AIHUBMIX_RECORD_MODE=all``) or the live service
(``make record``); see aihubmix_testing/cassettes.py.
"""

from __future__ import annotations

import os
import uuid
from typing import Any, Literal

import pytest
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_tests.integration_tests import (
    ChatModelIntegrationTests,
    EmbeddingsIntegrationTests,
)

from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix

pytestmark = pytest.mark.vcr


@pytest.fixture(scope="module")
def vcr_config(vcr_config: dict[str, Any]) -> dict[str, Any]:
    """The folder's settings, plus repeated playback: the standard ``test_stream_time``
    benchmark replays one recorded stream many times."""
    return {**vcr_config, "allow_playback_repeats": True}


@pytest.fixture(autouse=True)
def _identify_sample_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audio test downloads its sample from Wikimedia, which asks clients to say who
    they are; when recording live, this is who."""
    if not os.environ.get("LANGCHAIN_TESTS_USER_AGENT"):
        monkeypatch.setenv(
            "LANGCHAIN_TESTS_USER_AGENT",
            "aihubmix-integrations-tests/0.1 (langchain-tests standard suite, recorded once "
            "into cassettes) python-httpx",
        )


@pytest.fixture(autouse=True)
def _repeatable_example_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """``tool_example_to_messages`` (used by a standard test) gives each example tool call
    a random uuid4 id, which would make the request differ from the recorded one."""
    import langchain_core.utils.function_calling as function_calling

    counter = iter(range(1, 1_000_000))
    monkeypatch.setattr(function_calling.uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))


# Long enough (> 1024 tokens) for the upstream to serve part of it from its prompt cache.
_LONG_SYSTEM_PROMPT = "You are a concise assistant for a bicycle repair shop. " + " ".join(
    f"Rule {i}: answer politely, name the tool needed, and keep the answer under fifty words."
    for i in range(120)
)


def _call(model: ChatAIHubMix, prompt: list[tuple[str, str]] | str, *, stream: bool) -> AIMessage:
    if not stream:
        return model.invoke(prompt)  # type: ignore[return-value]
    full: AIMessageChunk | None = None
    for chunk in model.stream(prompt):
        full = chunk if full is None else full + chunk
    assert full is not None
    return full  # type: ignore[return-value]


class TestChatAIHubMixStandardIntegration(ChatModelIntegrationTests):
    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return ChatAIHubMix

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": "gpt-4o-mini", "temperature": 0}

    @property
    def enable_vcr_tests(self) -> bool:
        return True

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def supports_image_inputs(self) -> bool:
        return True

    @property
    def supports_image_urls(self) -> bool:
        return True

    @property
    def supports_pdf_inputs(self) -> bool:
        return True

    @property
    def supports_audio_inputs(self) -> bool:
        return True

    @property
    def supports_image_tool_message(self) -> bool:
        return True

    @property
    def supports_pdf_tool_message(self) -> bool:
        return True

    @property
    def supports_anthropic_inputs(self) -> bool:
        return True

    @property
    def returns_usage_metadata(self) -> bool:
        return True

    @property
    def supported_usage_metadata_details(
        self,
    ) -> dict[
        Literal["invoke", "stream"],
        list[
            Literal[
                "audio_input",
                "audio_output",
                "reasoning_output",
                "cache_read_input",
                "cache_creation_input",
            ]
        ],
    ]:
        return {
            "invoke": ["reasoning_output", "cache_read_input"],
            "stream": ["reasoning_output", "cache_read_input"],
        }

    @property
    def model_override_value(self) -> str:
        return "gpt-4.1-mini"

    @pytest.fixture
    def model(self, request: Any) -> BaseChatModel:
        """The standard fixture, but for test_anthropic_inputs: its history has an earlier
        turn with Claude's signed thinking, which the default reasoning_history does not
        send back (tests/core/test_reasoning_history.py). Its cassette was recorded
        sending it, and the test is about converting the blocks, so it runs with "all"."""
        params = {**self.standard_chat_model_params, **self.chat_model_params}
        params.update(getattr(request, "param", None) or {})
        if request.node.originalname == "test_anthropic_inputs":
            params["reasoning_history"] = "all"
        return self.chat_model_class(**params)

    def invoke_with_cache_read_input(self, *, stream: bool = False) -> AIMessage:
        model = ChatAIHubMix(model="gpt-4o-mini", temperature=0)
        prompt = [("system", _LONG_SYSTEM_PROMPT), ("human", "How do I fix a flat tyre?")]
        return _call(model, prompt, stream=stream)

    def invoke_with_reasoning_output(self, *, stream: bool = False) -> AIMessage:
        model = ChatAIHubMix(model="deepseek-reasoner")
        return _call(model, "What is 17 * 23? Think it through.", stream=stream)


class TestAIHubMixEmbeddingsStandardIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[Embeddings]:
        return AIHubMixEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"model": "text-embedding-3-small"}
