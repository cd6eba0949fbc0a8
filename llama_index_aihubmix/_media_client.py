"""The client settings the LlamaIndex media classes take, by the names ``AIHubMix`` uses."""

from __future__ import annotations

from typing import TypedDict

import httpx
from pydantic import SecretStr

from aihubmix_core import AIHubMixClient

__all__ = ["MediaSettings", "media_client"]


class MediaSettings(TypedDict, total=False):
    """Key, URL, timeouts, retries and headers; the key lives in the client only."""

    api_key: str | SecretStr | None
    api_base: str | None
    app_code: str | None
    timeout: float | None
    max_retries: int | None
    default_headers: dict[str, str] | None
    http_client: httpx.Client | None
    async_http_client: httpx.AsyncClient | None


def media_client(settings: MediaSettings) -> AIHubMixClient:
    return AIHubMixClient(
        api_key=settings.get("api_key"),
        base_url=settings.get("api_base"),
        app_code=settings.get("app_code"),
        timeout=settings.get("timeout"),
        max_retries=settings.get("max_retries"),
        default_headers=settings.get("default_headers"),
        http_client=settings.get("http_client"),
        async_http_client=settings.get("async_http_client"),
        user_agent_suffix="llama-index",
    )
