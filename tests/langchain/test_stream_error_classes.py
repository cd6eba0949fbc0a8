"""A wrong model reported inside a 200 reply or a stream is LangChain's model-not-found
error, with the hint to check the id, not "retry the request"."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.exceptions import ModelNotFoundError

from langchain_aihubmix import AIHubMixModelNotAvailableError

WRONG_MODEL = {
    "error": {"message": "Incorrect model ID gpt-9", "type": "invalid_request_error"},
}


@pytest.mark.parametrize("streamed", [False, True], ids=["invoke", "stream"])
def test_a_wrong_model_in_a_200_reply(mock_chat: Any, streamed: bool) -> None:
    if streamed:
        model, sent = mock_chat(chunks=[WRONG_MODEL], model="gpt-9")
    else:
        model, sent = mock_chat(body=WRONG_MODEL, model="gpt-9")
    with pytest.raises(ModelNotFoundError) as info:
        list(model.stream("hi")) if streamed else model.invoke("hi")
    assert isinstance(info.value, AIHubMixModelNotAvailableError)
    text = str(info.value)
    assert "retry the request" not in text and "status 500" not in text
    assert "https://aihubmix.com/models" in text
    assert len(sent.requests) == 1
