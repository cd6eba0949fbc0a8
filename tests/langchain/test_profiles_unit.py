"""``ChatAIHubMix.profile`` for every listed chat model, from the snapshot or a fetched
catalog, and cost left out when it cannot be known."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from testkit import DATA, KEY, completion, delta_chunk

from aihubmix_core import AIHubMixClient, lookup_model
from aihubmix_core.catalog import snapshot
from langchain_aihubmix import ChatAIHubMix

REQUIRED = [
    "gpt-4o-mini",
    "gpt-5",
    "o3",
    "claude-sonnet-4-5",
    "gemini-2.5-pro",
    "deepseek-chat",
    "deepseek-reasoner",
    "qwen3-max",
]


def _profile(model: str) -> dict[str, Any]:
    profile = ChatAIHubMix(model=model, api_key=KEY).profile
    assert profile is not None
    return dict(profile)


@pytest.mark.parametrize("model", REQUIRED)
def test_profile_matches_the_snapshot_entry(model: str) -> None:
    info = snapshot()[model]
    profile = _profile(model)
    assert profile["max_input_tokens"] == (info.max_input_tokens or info.context_window)
    assert profile["max_output_tokens"] == info.max_output_tokens
    assert profile["tool_calling"] is profile["tool_choice"] is info.tools
    assert profile["structured_output"] is info.structured_output
    assert profile["reasoning_output"] is info.reasoning
    assert profile.get("reasoning_effort_levels", []) == list(info.reasoning_efforts)
    assert profile["image_inputs"] is ("image" in info.input_modalities)
    assert profile["pdf_inputs"] is ("pdf" in info.input_modalities)
    assert profile["audio_inputs"] is ("audio" in info.input_modalities)
    assert profile["video_inputs"] is ("video" in info.input_modalities)
    assert profile["text_outputs"] and not profile["image_outputs"]


def test_spot_values() -> None:
    assert _profile("gpt-5")["max_input_tokens"] == 272_000  # the input limit, not the window
    assert _profile("gpt-5")["reasoning_effort_levels"] == ["minimal", "low", "medium", "high"]
    assert _profile("gemini-2.5-pro")["video_inputs"] is True
    assert _profile("gpt-4o-mini")["structured_output"] is True
    assert _profile("deepseek-chat")["structured_output"] is False
    assert _profile("claude-sonnet-4-5")["pdf_inputs"] is True
    assert _profile("claude-sonnet-4-5-20250929") == _profile("claude-sonnet-4-5")


def test_every_listed_chat_model_has_a_profile() -> None:
    for info in snapshot().values():
        if info.is_chat:
            profile = ChatAIHubMix(model=info.id, api_key=KEY).profile
            assert profile is not None and profile["max_output_tokens"] == info.max_output_tokens


def test_unknown_ids_get_conservative_defaults_that_profile_overrides() -> None:
    profile = _profile("next-years-model")
    assert (profile["max_input_tokens"], profile["max_output_tokens"]) == (32_768, 4_096)
    assert profile["structured_output"] is False and profile["image_inputs"] is False
    mine = ChatAIHubMix(
        model="next-years-model",
        api_key=KEY,
        profile={"max_input_tokens": 500_000, "structured_output": True},
    )
    assert mine.profile == {"max_input_tokens": 500_000, "structured_output": True}


def test_a_fetched_catalog_shapes_later_profiles(mock_http: Any) -> None:
    reply = json.loads((DATA / "catalog" / "public-catalog.json").read_text(encoding="utf-8"))
    client = AIHubMixClient(
        api_key=None,
        http_client=mock_http.client(lambda request: httpx.Response(200, json=reply)),
    )
    client.fetch_catalog()
    profile = _profile("deepseek-chat")
    assert (profile["max_input_tokens"], profile["max_output_tokens"]) == (128_000, 8_192)
    assert _profile("brand-new-model")["max_input_tokens"] == 1_000_000
    assert lookup_model("brand-new-model").source == "catalog"


def test_model_provider_is_the_ls_provider_in_invoke_and_stream(mock_chat: Any) -> None:
    model, _ = mock_chat(body=completion("Hi"))
    provider = model._get_ls_params()["ls_provider"]
    assert model.invoke("hi").response_metadata["model_provider"] == provider
    streamer, _ = mock_chat(chunks=[delta_chunk("Hi"), delta_chunk(finish="stop")])
    for chunk in streamer.stream("hi"):
        if chunk.response_metadata:
            assert chunk.response_metadata["model_provider"] == provider


def test_no_price_or_no_usage_means_no_cost_key(mock_chat: Any) -> None:
    unknown, _ = mock_chat(body=completion("Hi", model="house-model"), model="house-model")
    assert "cost" not in unknown.invoke("hi").response_metadata
    no_usage, _ = mock_chat(body=completion("Hi", usage=None))
    assert "cost" not in no_usage.invoke("hi").response_metadata
    dated, _ = mock_chat(body=completion("Hi", model="gpt-4o-mini-2024-07-18"), model="house-alias")
    assert dated.invoke("hi").response_metadata["cost"] > 0  # priced by the id the reply names
