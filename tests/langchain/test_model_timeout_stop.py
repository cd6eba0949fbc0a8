"""ChatOpenAI's habits for ``model``, ``timeout`` and ``stop``: ``llm.model`` reads the
id, ``timeout`` takes seconds, a ``(connect, read)`` pair or an ``httpx.Timeout``, and
``stop`` takes a string or a list, with ``stop=[]`` on a call clearing the default."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix

REPLY = {
    "id": "chatcmpl-1",
    "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}}],
}


def test_model_reads_the_model_id() -> None:
    assert ChatAIHubMix(model="claude-sonnet-4-5").model == "claude-sonnet-4-5"
    assert ChatAIHubMix(model_name="deepseek-chat").model == "deepseek-chat"


@pytest.mark.parametrize("cls", [ChatAIHubMix, AIHubMixEmbeddings])
@pytest.mark.parametrize(
    ("timeout", "read", "connect"),
    [
        (30, 30.0, 10.0),
        ((3, 45), 45.0, 3.0),
        (httpx.Timeout(50.0, connect=4.0), 50.0, 4.0),
    ],
    ids=["seconds", "pair", "httpx"],
)
def test_timeout_in_every_form_reaches_the_client(
    cls: type, timeout: Any, read: float, connect: float
) -> None:
    model = cls(model="gpt-4o-mini", timeout=timeout)
    assert model.timeout == timeout
    config = model._client.config
    assert (config.timeout, config.connect_timeout) == (read, connect)


def test_a_bad_timeout_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="timeout"):
        ChatAIHubMix(model="gpt-4o-mini", timeout=(1, 2, 3))


def test_stop_as_a_string_or_a_list(mock_chat: Any) -> None:
    model, sent = mock_chat(body=REPLY, stop="END")
    assert model.stop == ["END"]
    model.invoke("hi")
    assert sent.last["stop"] == ["END"]
    model.invoke("hi", stop="HALT")
    assert sent.last["stop"] == ["HALT"]
    model.invoke("hi", stop=["A", "B"])
    assert sent.last["stop"] == ["A", "B"]


def test_an_empty_stop_on_a_call_clears_the_default(mock_chat: Any) -> None:
    model, sent = mock_chat(body=REPLY, stop=["END"])
    model.invoke("hi", stop=[])
    assert "stop" not in sent.last
    model.bind(stop=[]).invoke("hi")
    assert "stop" not in sent.last
    model.invoke("hi")
    assert sent.last["stop"] == ["END"]
