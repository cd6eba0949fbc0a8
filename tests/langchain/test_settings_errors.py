"""Bad settings fail with pydantic's ValidationError, which must not echo the key back."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix

KEY = "sk-test-RECOGNISABLE-not-a-key-0001"


@pytest.mark.parametrize(
    ("cls", "bad"),
    [
        (ChatAIHubMix, {"model": "gpt-4o-mini", "max_retries": -1}),
        (ChatAIHubMix, {"max_tokens": 0}),
        (AIHubMixEmbeddings, {"base_url": "not-a-url"}),
        (AIHubMixEmbeddings, {"chunk_size": 0}),
    ],
)
def test_validation_errors_do_not_echo_the_key(cls: type, bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        cls(api_key=KEY, **bad)
    shown = str(info.value) + repr(info.value) + repr(info.value.errors())
    assert "RECOGNISABLE" not in shown
    field = next(iter(k for k in bad if k != "model"))
    assert field in str(info.value) or "base_url" in str(info.value)
