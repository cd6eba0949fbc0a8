"""ChatOpenAI's (and OpenAIEmbeddings') constructor names: those that map to a setting
here are taken under their ChatOpenAI name, the others are refused with an error naming
what to use instead, and nothing named like a key, token or secret is ever sent."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from langchain_core.load import dumpd, dumps
from testkit import KEY, MockHTTP, Recorder

from aihubmix_core import ConfigurationError
from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix

SECRET = "sk-LEAKED-VALUE-0123456789"
REPLY = {
    "id": "chatcmpl-1",
    "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}}],
}


def _shown(model: Any) -> str:
    return repr(model) + str(model) + dumps(model) + json.dumps(dumpd(model)) + str(model.to_json())


def test_chat_openai_client_names_become_our_settings(mock_http: MockHTTP) -> None:
    recorder = Recorder.answering(body=REPLY)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # taken as settings: no "moved to model_kwargs" warning
        model = ChatAIHubMix(
            model="gpt-4o-mini",
            openai_api_key=SECRET,
            openai_api_base="https://proxy.example.com/v1",
            request_timeout=(3, 40),
            stream_chunk_timeout=90,
            max_retries=0,
            max_completion_tokens=64,
            http_client=mock_http.client(recorder),
        )
    config = model._client.config
    assert config.secret() == SECRET and config.base_url == "https://proxy.example.com/v1"
    assert (config.timeout, config.connect_timeout) == (40.0, 3.0)
    assert config.stream_idle_timeout == 90.0 and model.max_tokens == 64
    assert model.model_kwargs == {}
    model.invoke("hi")
    assert recorder.headers[-1]["authorization"] == f"Bearer {SECRET}"
    assert SECRET not in json.dumps(recorder.last) and recorder.last["max_tokens"] == 64
    assert SECRET not in _shown(model)


def test_embeddings_take_openai_embeddings_names(mock_http: MockHTTP) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        embeddings = AIHubMixEmbeddings(
            openai_api_key=SECRET, openai_api_base="https://proxy.example.com/v1", request_timeout=9
        )
    assert embeddings._client.config.secret() == SECRET
    assert embeddings._client.config.timeout == 9.0
    assert SECRET not in repr(embeddings)


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("organization", "no equivalent"),
        ("openai_organization", "no equivalent"),
        ("default_query", "extra_body"),
        ("include_response_headers", "request_id"),
        ("openai_proxy", "http_client"),
        ("tiktoken_model_name", "get_num_tokens_from_messages"),
        ("azure_endpoint", "base_url"),
        ("api_version", "no equivalent"),
    ],
)
def test_other_chat_openai_names_are_refused_with_our_equivalent(name: str, advice: str) -> None:
    with pytest.raises(ValueError, match=name) as info:
        ChatAIHubMix(model="gpt-4o-mini", **{name: "x"})
    assert advice in str(info.value)


@pytest.mark.parametrize(
    "name",
    ["anthropic_api_key", "x_api_key", "hf_token", "access_token", "client_secret", "password"],
)
@pytest.mark.parametrize("cls", [ChatAIHubMix, AIHubMixEmbeddings])
def test_a_secret_looking_keyword_is_refused_without_its_value(cls: type, name: str) -> None:
    with pytest.raises(ValueError, match=name) as info:
        cls(model="gpt-4o-mini", **{name: SECRET})
    shown = str(info.value) + repr(info.value)
    assert SECRET not in shown and "LEAKED" not in shown
    assert "api_key" in shown  # says where the AIHubMix key goes


@pytest.mark.parametrize("where", ["model_kwargs", "extra_body"])
def test_secret_looking_request_fields_are_refused(where: str) -> None:
    with pytest.raises(ValueError, match="auth_token") as info:
        ChatAIHubMix(model="gpt-4o-mini", **{where: {"auth_token": SECRET}})
    assert SECRET not in str(info.value)


def test_a_secret_looking_call_keyword_is_never_sent(mock_chat: Any) -> None:
    model, sent = mock_chat(body=REPLY)
    with pytest.raises(ConfigurationError, match="api_token") as info:
        model.invoke("hi", api_token=SECRET)
    assert SECRET not in str(info.value) and sent.requests == []


def test_token_counts_are_not_secrets(mock_chat: Any) -> None:
    with pytest.warns(UserWarning, match="max_output_tokens"):
        model, sent = mock_chat(body=REPLY, max_output_tokens=5)
    model.invoke("hi", top_logprobs=2, logprobs=True)
    assert sent.last["max_output_tokens"] == 5


def test_a_setting_given_under_both_names_is_refused() -> None:
    with pytest.raises(ValueError, match="once"):
        ChatAIHubMix(model="gpt-4o-mini", api_key=KEY, openai_api_key=KEY)


@pytest.mark.parametrize("cls", [ChatAIHubMix, AIHubMixEmbeddings])
def test_unknown_keywords_go_to_model_kwargs_with_a_warning_at_the_callers_line(cls: type) -> None:
    with pytest.warns(UserWarning, match="not a .* parameter") as caught:
        model = cls(model="gpt-4o-mini", some_gateway_option=1)
    assert model.model_kwargs == {"some_gateway_option": 1}
    assert caught[0].filename == __file__


def test_embeddings_send_their_model_kwargs(mock_http: MockHTTP) -> None:
    body = {"data": [{"index": 0, "embedding": [0.5, 0.5]}], "model": "m"}
    recorder = Recorder.answering(body=body)
    with pytest.warns(UserWarning):
        embeddings = AIHubMixEmbeddings(
            api_key=KEY, user="u-1", http_client=mock_http.client(recorder)
        )
    embeddings.embed_query("hi")
    assert recorder.last["user"] == "u-1"
