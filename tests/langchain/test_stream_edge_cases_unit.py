"""Usage counts sent as strings, and a stream with no choice, as a LangChain user sees them."""

from __future__ import annotations

from typing import Any

import pytest
from testkit import completion

from aihubmix_core import APIResponseError


def test_usage_counts_sent_as_strings_reach_usage_metadata(mock_chat: Any) -> None:
    body = completion(
        "Hi", usage={"prompt_tokens": "5", "completion_tokens": "2", "total_tokens": "7"}
    )
    model, _ = mock_chat(body=body)
    usage = model.invoke("Hello").usage_metadata
    assert usage is not None
    assert (usage["input_tokens"], usage["output_tokens"], usage["total_tokens"]) == (5, 2, 7)


def test_a_stream_with_no_choice_raises_as_invoke_does(mock_chat: Any) -> None:
    model, _ = mock_chat(chunks=[{"id": "chatcmpl-empty", "choices": []}])
    with pytest.raises(APIResponseError, match="no choices"):
        list(model.stream("Hello"))
