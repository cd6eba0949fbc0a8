"""A model that refuses a structured answer says so in the error (as ChatOpenAI's
OpenAIRefusalError does), and a LlamaIndex tool_choice naming no given tool is refused
before the call, as LangChain's bind_tools does."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel
from testkit import KEY, completion

from aihubmix_core import ModelRefusalError
from langchain_aihubmix import AIHubMixRefusalError, ChatAIHubMix
from llama_index_aihubmix import AIHubMix

REFUSED = completion(None, message={"refusal": "I can't help with that."})


class Person(BaseModel):
    name: str


def _answering(body: dict[str, Any], sent: list[httpx.Request]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=body)

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_langchain_structured_output_refused_raises_with_the_refusal() -> None:
    chat = ChatAIHubMix(
        model="gpt-4o-mini", api_key=KEY, max_retries=0, http_client=_answering(REFUSED, [])
    )
    structured = chat.with_structured_output(Person, method="json_schema")
    with pytest.raises(AIHubMixRefusalError, match="I can't help with that") as info:
        structured.invoke("Who is it?")
    assert isinstance(info.value, ModelRefusalError)
    assert info.value.refusal == "I can't help with that."


def test_a_refusal_without_a_requested_format_is_an_answer() -> None:
    chat = ChatAIHubMix(
        model="gpt-4o-mini", api_key=KEY, max_retries=0, http_client=_answering(REFUSED, [])
    )
    message = chat.invoke("hi")
    assert message.additional_kwargs["refusal"] == "I can't help with that."


def _add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


def test_llama_index_structured_predict_refused_names_the_refusal() -> None:
    llm = AIHubMix(
        model="gpt-4o-mini", api_key=KEY, max_retries=0, http_client=_answering(REFUSED, [])
    )
    with pytest.raises(ValueError, match=r"refused.*I can't help with that"):
        llm.structured_predict(Person, prompt=_prompt())


def _prompt() -> Any:
    from llama_index.core.prompts import PromptTemplate

    return PromptTemplate("Who is it?")


def test_llama_index_tool_choice_naming_no_given_tool_is_refused_before_the_call() -> None:
    sent: list[httpx.Request] = []
    llm = AIHubMix(
        model="gpt-4o-mini",
        api_key=KEY,
        max_retries=0,
        http_client=_answering(completion("hi"), sent),
    )
    tool = FunctionTool.from_defaults(fn=_add)
    with pytest.raises(ValueError, match=r"'nope'.*_add"):
        llm.chat_with_tools([tool], user_msg="add 1 and 2", tool_choice="nope")
    assert sent == []
    llm.chat_with_tools([tool], user_msg="add 1 and 2", tool_choice="_add")
    assert len(sent) == 1
    assert llm.chat([ChatMessage(role="user", content="hi")]).message.content == "hi"
