"""langchain-tests' standard integration suite on the Responses and Messages routes,
replayed from cassettes (recorded from the loopback emulator, or live with ``make record``).

The same suite runs on chat completions in test_standard_integration.py; here the model
is the same class with ``route="responses"`` (an OpenAI model) or ``route="messages"``
(Claude), so a passing suite shows the routes are interchangeable for LangChain users.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage
from langchain_tests.integration_tests import ChatModelIntegrationTests

from langchain_aihubmix import ChatAIHubMix

pytestmark = pytest.mark.vcr

UsageDetail = Literal[
    "audio_input", "audio_output", "reasoning_output", "cache_read_input", "cache_creation_input"
]


@pytest.fixture(scope="module")
def vcr_config(vcr_config: dict[str, Any]) -> dict[str, Any]:
    """Repeated playback: the standard ``test_stream_time`` replays one stream many times."""
    return {**vcr_config, "allow_playback_repeats": True}


@pytest.fixture(autouse=True)
def _repeatable_example_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """``tool_example_to_messages`` gives each example tool call a random uuid4 id."""
    import langchain_core.utils.function_calling as function_calling

    counter = iter(range(1, 1_000_000))
    monkeypatch.setattr(function_calling.uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))


def _rules(topic: str) -> str:
    """A system prompt long enough (> 1024 tokens) for the upstream's prompt cache."""
    return f"You are the help desk for {topic}. " + " ".join(
        f"Rule {i}: answer politely, name the tool needed, keep it under fifty words."
        for i in range(120)
    )


def _call(model: ChatAIHubMix, prompt: list[Any], *, stream: bool) -> AIMessage:
    if not stream:
        return model.invoke(prompt)  # type: ignore[return-value]
    full: AIMessageChunk | None = None
    for chunk in model.stream(prompt):
        full = chunk if full is None else full + chunk
    assert full is not None
    return full  # type: ignore[return-value]


class _RouteSuite(ChatModelIntegrationTests):
    route: str
    model_id: str

    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return ChatAIHubMix

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": self.model_id, "temperature": 0, "route": self.route}

    @property
    def enable_vcr_tests(self) -> bool:
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


class TestResponsesRouteStandardIntegration(_RouteSuite):
    route = "responses"
    model_id = "gpt-4o-mini"

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def model_override_value(self) -> str:
        return "gpt-4.1-mini"

    @property
    def supported_usage_metadata_details(
        self,
    ) -> dict[Literal["invoke", "stream"], list[UsageDetail]]:
        return {
            "invoke": ["reasoning_output", "cache_read_input"],
            "stream": ["reasoning_output", "cache_read_input"],
        }

    def invoke_with_cache_read_input(self, *, stream: bool = False) -> AIMessage:
        model = ChatAIHubMix(model="gpt-4o-mini", temperature=0, route="responses")
        prompt = [("system", _rules("a bicycle shop")), ("human", "How do I fix a flat tyre?")]
        return _call(model, prompt, stream=stream)

    def invoke_with_reasoning_output(self, *, stream: bool = False) -> AIMessage:
        model = ChatAIHubMix(model="gpt-5-mini", route="responses", reasoning_effort="low")
        return _call(model, ["What is 17 * 23? Think it through."], stream=stream)


class TestMessagesRouteStandardIntegration(_RouteSuite):
    route = "messages"
    model_id = "claude-sonnet-4-5"

    @property
    def model_override_value(self) -> str:
        return "claude-haiku-4-5"

    @property
    def supported_usage_metadata_details(
        self,
    ) -> dict[Literal["invoke", "stream"], list[UsageDetail]]:
        return {
            "invoke": ["cache_read_input", "cache_creation_input"],
            "stream": ["cache_read_input", "cache_creation_input"],
        }

    def _cached(self, topic: str, question: str, *, stream: bool) -> AIMessage:
        """A call whose system prompt is marked for Claude's prompt cache."""
        model = ChatAIHubMix(model="claude-sonnet-4-5", temperature=0, route="messages")
        system = [{"type": "text", "text": _rules(topic), "cache_control": {"type": "ephemeral"}}]
        prompt = [SystemMessage(system), HumanMessage(question)]  # type: ignore[arg-type]
        return _call(model, prompt, stream=stream)

    def invoke_with_cache_creation_input(self, *, stream: bool = False) -> AIMessage:
        topic = f"a ski shop ({'streamed' if stream else 'invoked'})"
        message = self._cached(topic, "How do I wax skis?", stream=stream)
        assert message.usage_metadata["input_token_details"]["cache_creation"] > 0  # type: ignore[index]
        return message

    def invoke_with_cache_read_input(self, *, stream: bool = False) -> AIMessage:
        topic = f"a bicycle shop ({'streamed' if stream else 'invoked'})"
        # The first question writes the cached system prompt, the second reads it (the
        # requests differ, so a replay cannot answer one with the other's reply).
        self._cached(topic, "What do you sell?", stream=stream)
        message = self._cached(topic, "How do I fix a flat tyre?", stream=stream)
        assert message.usage_metadata["input_token_details"]["cache_read"] > 0  # type: ignore[index]
        return message
