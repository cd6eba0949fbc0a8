"""Every client setting reaches the core client from all four adapter classes, under the
name ``ClientConfig`` gives it, with the core's defaults when not given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import aihubmix_core as core
from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix
from llama_index_aihubmix import AIHubMix, AIHubMixEmbedding

CLASSES: list[Callable[..., Any]] = [
    lambda **kw: ChatAIHubMix(model="gpt-4o-mini", **kw),
    lambda **kw: AIHubMixEmbeddings(**kw),
    lambda **kw: AIHubMix(**kw),
    lambda **kw: AIHubMixEmbedding(**kw),
]
IDS = ["ChatAIHubMix", "AIHubMixEmbeddings", "AIHubMix", "AIHubMixEmbedding"]
SETTINGS = {
    "base_url": "https://proxy.example.com/v1",
    "app_code": "APP-1",
    "timeout": 12.0,
    "connect_timeout": 3.0,
    "stream_idle_timeout": 45.0,
    "max_retries": 5,
    "default_headers": {"X-Team": "search"},
}


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AIHUBMIX_API_KEY", "AIHUBMIX_BASE_URL", "AIHUBMIX_APP_CODE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("make", CLASSES, ids=IDS)
def test_every_setting_reaches_the_client_by_its_core_name(make: Callable[..., Any]) -> None:
    config = make(api_key="sk-parity-0123456789", **SETTINGS)._client.config
    assert config.secret() == "sk-parity-0123456789"
    for name, value in SETTINGS.items():
        assert getattr(config, name) == value, name


@pytest.mark.parametrize("make", CLASSES, ids=IDS)
def test_defaults_are_the_cores(make: Callable[..., Any]) -> None:
    model = make()
    config = model._client.config
    expected = {
        "timeout": core.DEFAULT_TIMEOUT,
        "connect_timeout": core.DEFAULT_CONNECT_TIMEOUT,
        "stream_idle_timeout": core.DEFAULT_STREAM_IDLE_TIMEOUT,
        "max_retries": core.DEFAULT_MAX_RETRIES,
    }
    for name, value in expected.items():
        assert getattr(config, name) == value == getattr(model, name), name
    assert config.base_url == core.DEFAULT_BASE_URL


@pytest.mark.parametrize("cls", [AIHubMix, AIHubMixEmbedding])
def test_llama_index_takes_the_base_url_under_either_name(cls: type) -> None:
    assert cls(base_url="https://a.example/v1").api_base == "https://a.example/v1"
    assert cls(api_base="https://b.example/v1/").api_base == "https://b.example/v1"
    with pytest.raises(core.ConfigurationError, match="once"):
        cls(base_url="https://a.example/v1", api_base="https://b.example/v1")
