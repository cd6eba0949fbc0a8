"""The names LlamaIndex users bring: ``model_name`` for the LLM's ``model``, ``model``
for the embedding's ``model_name``, and OpenAILike's own names with their meaning. No
extra keyword overrides the model, the messages, ``stream``, the URL or the key, and a
keyword named like a key, token or secret is refused."""

from __future__ import annotations

import json
import warnings
from typing import Any

import httpx
import pytest
from llama_index.core.base.llms.types import ChatMessage
from testkit import KEY, MockHTTP, Recorder

from aihubmix_core import ConfigurationError
from llama_index_aihubmix import AIHubMix, AIHubMixEmbedding

SECRET = "sk-LEAKED-VALUE-0123456789"
HI = [ChatMessage(role="user", content="hi")]
EMBEDDING = {"data": [{"index": 0, "embedding": [0.5, 0.5]}], "model": "m"}


def test_model_name_is_the_llms_model(mock_llm: Any, make_completion: Any) -> None:
    llm, sent = mock_llm(body=make_completion("ok"), api_key=KEY, model_name="claude-sonnet-4-5")
    assert llm.model == "claude-sonnet-4-5" and llm.metadata.model_name == "claude-sonnet-4-5"
    llm.chat(HI)
    assert sent.last["model"] == "claude-sonnet-4-5" and "model_name" not in sent.last


def test_model_is_the_embeddings_model_name(mock_http: MockHTTP) -> None:
    recorder = Recorder.answering(body=EMBEDDING)
    embed = AIHubMixEmbedding(
        api_key=KEY, model="text-embedding-3-large", http_client=mock_http.client(recorder)
    )
    assert embed.model_name == "text-embedding-3-large"
    assert embed.to_dict()["model_name"] == "text-embedding-3-large"
    embed.get_text_embedding("hi")
    assert recorder.last["model"] == "text-embedding-3-large"


@pytest.mark.parametrize(
    ("cls", "both"),
    [
        (AIHubMix, {"model": "a", "model_name": "b"}),
        (AIHubMixEmbedding, {"model": "a", "model_name": "b"}),
    ],
)
def test_the_model_given_under_both_names_is_refused(cls: type, both: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError, match="once"):
        cls(**both)


def test_openai_like_names_keep_their_meaning(mock_llm: Any, make_completion: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        llm, sent = mock_llm(
            body=make_completion("ok"),
            api_key=KEY,
            api_base="https://proxy.example.com/v1",
            timeout=(3, 40),
            max_retries=1,
            additional_kwargs={"user": "u-1"},
            context_window=9000,
            is_chat_model=False,
            is_function_calling_model=False,
            default_headers={"X-Team": "a"},
            reuse_client=False,
            logprobs=True,
            top_logprobs=2,
        )
    config = llm.client.config
    assert (config.timeout, config.connect_timeout, config.max_retries) == (40.0, 3.0, 1)
    assert (llm.timeout, llm.connect_timeout) == (40.0, 3.0)  # the fields show what is used
    metadata = llm.metadata
    assert metadata.context_window == 9000
    assert metadata.is_chat_model is False and metadata.is_function_calling_model is False
    llm.chat(HI)
    body = sent.last
    assert body["user"] == "u-1" and body["logprobs"] is True and body["top_logprobs"] == 2
    assert not {"reuse_client", "is_chat_model", "api_base", "timeout"} & set(body)
    json.dumps(llm.to_dict())  # every field stays serialisable


def test_embedding_takes_openai_like_names() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        embed = AIHubMixEmbedding(
            api_key=KEY, timeout=httpx.Timeout(30.0, connect=2.0), reuse_client=True
        )
    assert (embed.client.config.timeout, embed.client.config.connect_timeout) == (30.0, 2.0)
    json.dumps(embed.to_dict())


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("api_version", "no equivalent"),
        ("tokenizer", "max_tokens"),
        ("openai_client", "http_client"),
        ("azure_endpoint", "api_base"),
    ],
)
def test_openai_names_with_no_use_here_are_refused(name: str, advice: str) -> None:
    with pytest.raises(ConfigurationError, match=name) as info:
        AIHubMix(**{name: "x"})
    assert advice in str(info.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"messages": [{"role": "user", "content": "x"}]},
        {"stream": True},
        {"url": "https://elsewhere.example/v1"},
        {"additional_kwargs": {"model": "gpt-4o"}},
        {"additional_kwargs": {"stream": True}},
        {"additional_kwargs": {"base_url": "https://elsewhere.example/v1"}},
    ],
    ids=str,
)
@pytest.mark.parametrize("cls", [AIHubMix, AIHubMixEmbedding])
def test_no_extra_keyword_overrides_what_the_client_sets(cls: type, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError, match="cannot be set"):
        cls(**kwargs)


def test_embedding_input_cannot_be_overridden() -> None:
    with pytest.raises(ConfigurationError, match="input"):
        AIHubMixEmbedding(additional_kwargs={"input": ["other"]})


@pytest.mark.parametrize("name", ["openai_api_key", "hf_token", "client_secret", "password"])
@pytest.mark.parametrize("where", ["keyword", "additional_kwargs"])
@pytest.mark.parametrize("cls", [AIHubMix, AIHubMixEmbedding])
def test_a_secret_looking_keyword_is_refused_without_its_value(
    cls: type, where: str, name: str
) -> None:
    kwargs = {name: SECRET} if where == "keyword" else {"additional_kwargs": {name: SECRET}}
    with pytest.raises(ConfigurationError, match=name) as info:
        cls(**kwargs)
    assert SECRET not in str(info.value) and "api_key" in str(info.value)


def test_a_secret_looking_call_keyword_is_never_sent(mock_llm: Any, make_completion: Any) -> None:
    llm, sent = mock_llm(body=make_completion("ok"), api_key=KEY)
    with pytest.raises(ConfigurationError, match="api_token"):
        llm.chat(HI, api_token=SECRET)
    assert sent.requests == []
