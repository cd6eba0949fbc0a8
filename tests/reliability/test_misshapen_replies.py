"""Replies that are right but for one odd field: the answer still arrives, through both
adapters, streamed or not, and the odd field is never priced or shown as something it is
not. (Found by a review that sent each field in every shape JSON allows.)"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessageChunk
from llama_index.core.base.llms.types import ChatMessage
from testkit import KEY, MockHTTP, Recorder, completion, delta_chunk

from aihubmix_core import APIResponseError, parse_usage
from langchain_aihubmix import ChatAIHubMix, get_aihubmix_usage
from llama_index_aihubmix import AIHubMix

UNPRICED = "my-own-alias"  # an id no catalog knows: cost falls back to the reply's model
GOOD_USAGE = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}


@pytest.fixture
def mock_chat(mock_http: MockHTTP) -> Any:
    def make(*, chunks: Any = None, body: Any = None, model: str = "gpt-4o-mini") -> Any:
        recorder = Recorder.answering(chunks=chunks, body=body, status=200)
        client = mock_http.client(recorder)
        return ChatAIHubMix(model=model, api_key=KEY, max_retries=0, http_client=client), recorder

    return make


@pytest.fixture
def mock_llm(mock_http: MockHTTP) -> Any:
    def make(
        *, chunks: Any = None, body: Any = None, model: str = "gpt-4o-mini", api_key: str = KEY
    ) -> Any:
        recorder = Recorder.answering(chunks=chunks, body=body, status=200)
        client = mock_http.client(recorder)
        return AIHubMix(model=model, api_key=api_key, max_retries=0, http_client=client), recorder

    return make


def _chunks(model: Any, usage: dict[str, Any]) -> list[dict[str, Any]]:
    chunks = [delta_chunk("Hi"), delta_chunk(finish="stop")]
    for chunk in chunks:
        chunk["model"] = model
    return [*chunks, {"id": "c", "model": model, "choices": [], "usage": usage}]


@pytest.mark.parametrize("model", [123, True, ["gpt-4o-mini"], {"id": "gpt-4o-mini"}])
def test_a_model_field_that_is_not_a_string_is_not_a_name(
    mock_chat: Any, mock_llm: Any, model: Any
) -> None:
    body = completion("Hi", usage=GOOD_USAGE)
    body["model"] = model
    chat, _ = mock_chat(body=body, model=UNPRICED)
    message = chat.invoke("hi")
    assert message.content == "Hi"
    assert message.response_metadata["model_name"] == UNPRICED
    assert "cost" not in message.response_metadata
    streamer, _ = mock_chat(chunks=_chunks(model, GOOD_USAGE), model=UNPRICED)
    total = AIMessageChunk(content="")
    for chunk in streamer.stream("hi"):
        total += chunk
    assert total.content == "Hi" and total.response_metadata["model_name"] == UNPRICED
    llm, _ = mock_llm(body=body, model=UNPRICED, api_key=KEY)
    assert llm.chat([ChatMessage(role="user", content="hi")]).message.content == "Hi"
    streaming, _ = mock_llm(chunks=_chunks(model, GOOD_USAGE), model=UNPRICED, api_key=KEY)
    last = list(streaming.stream_chat([ChatMessage(role="user", content="hi")]))[-1]
    assert last.message.content == "Hi" and "cost" not in last.additional_kwargs


@pytest.mark.parametrize(
    "usage",
    [
        {"prompt_tokens": 10**309, "completion_tokens": 5, "total_tokens": 15},
        {"prompt_tokens": "9" * 5000, "completion_tokens": 5},
        {"prompt_tokens": None, "completion_tokens": 5, "total_tokens": 15},
        {"prompt_tokens": -10, "completion_tokens": 5},
        {"prompt_tokens": "n/a", "completion_tokens": 5},
        {},
    ],
    ids=["beyond-float", "5000-digits", "null", "negative", "text", "empty"],
)
def test_unreadable_counts_give_the_answer_and_no_cost(
    mock_chat: Any, mock_llm: Any, usage: dict[str, Any]
) -> None:
    chat, _ = mock_chat(body=completion("Hi", usage=usage))
    with get_aihubmix_usage() as meter:
        message = chat.invoke("hi")
        streamed = list(mock_chat(chunks=_chunks("gpt-4o-mini", usage))[0].stream("hi"))
    assert message.content == "Hi"
    assert "cost" not in message.response_metadata  # not a made-up $0
    assert all("cost" not in chunk.response_metadata for chunk in streamed)
    assert meter.cost == {}
    llm, _ = mock_llm(body=completion("Hi", usage=usage), api_key=KEY)
    response = llm.chat([ChatMessage(role="user", content="hi")])
    assert response.message.content == "Hi" and "cost" not in response.additional_kwargs


def test_output_counted_only_in_the_total_is_still_priced() -> None:
    usage = parse_usage({"prompt_tokens": 10, "total_tokens": 15})
    assert usage is not None and usage.counted
    assert usage.completion_tokens == 5


@pytest.mark.parametrize("choices", [[None], ["x"], [[]], [1, None]])
def test_choices_that_are_not_objects_are_no_choices(
    mock_chat: Any, mock_llm: Any, choices: list[Any]
) -> None:
    body = completion("Hi")
    body["choices"] = choices
    chat, _ = mock_chat(body=body)
    with pytest.raises(APIResponseError, match="no choices"):
        chat.invoke("hi")
    llm, _ = mock_llm(body=body, api_key=KEY)
    with pytest.raises(APIResponseError, match="no choices"):
        llm.chat([ChatMessage(role="user", content="hi")])
