"""A stream request the server answers with one JSON reply (a proxy or an upstream that
does not stream): LlamaIndex still gets its responses, the last one whole and priced."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage
from testkit import completion

QUESTION = [ChatMessage(role="user", content="Hi")]
USAGE = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}


def test_stream_answered_whole_gives_the_reply_with_its_cost(mock_llm: Any) -> None:
    llm, _ = mock_llm(
        body=completion("Hello there", usage=USAGE), model="gpt-4o-mini", api_key="sk-test-0000"
    )
    responses = list(llm.stream_chat(QUESTION))
    assert responses, "the stream gave no response"
    last = responses[-1]
    assert last.message.content == "Hello there"
    assert last.additional_kwargs["prompt_tokens"] == USAGE["prompt_tokens"]
    assert last.additional_kwargs["cost"] > 0


async def test_async_stream_answered_whole_gives_the_reply(mock_llm: Any) -> None:
    llm, _ = mock_llm(
        body=completion("Hello there", usage=USAGE), model="gpt-4o-mini", api_key="sk-test-0000"
    )
    responses = [r async for r in await llm.astream_chat(QUESTION)]
    assert responses[-1].message.content == "Hello there"
    assert responses[-1].additional_kwargs["cost"] > 0


@pytest.mark.parametrize("model", ["no-such-model-anywhere"])
def test_unpriced_model_has_no_cost_on_a_whole_stream(mock_llm: Any, model: str) -> None:
    body = completion("Hello there", usage=USAGE)
    body["model"] = model
    llm, _ = mock_llm(body=body, model=model, api_key="sk-test-0000")
    last = list(llm.stream_chat(QUESTION))[-1]
    assert "cost" not in last.additional_kwargs
