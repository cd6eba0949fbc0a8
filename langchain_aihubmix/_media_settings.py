"""The settings every LangChain media class shares (rerank, tools, transcription parser),
and the core client built from them; the key is sealed before pydantic sees it."""

from __future__ import annotations

from typing import Any

import httpx
from langchain_core.utils import from_env, secret_from_env
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator
from typing_extensions import Self

from aihubmix_core import AIHubMixClient

from ._secrets import seal_api_key

__all__ = ["AIHubMixMediaSettings"]

_SETTINGS = (
    "api_key",
    "base_url",
    "app_code",
    "timeout",
    "max_retries",
    "default_headers",
    "http_client",
)


class AIHubMixMediaSettings(BaseModel):
    """Key, URL, timeouts, retries and headers, as on ``ChatAIHubMix``."""

    model_config = ConfigDict(
        populate_by_name=True, arbitrary_types_allowed=True, hide_input_in_errors=True
    )

    api_key: SecretStr | None = Field(
        default_factory=secret_from_env("AIHUBMIX_API_KEY", default=None), exclude=True, repr=False
    )
    """AIHubMix key; ``AIHUBMIX_API_KEY`` when not given."""
    base_url: str | None = Field(default_factory=from_env("AIHUBMIX_BASE_URL", default=None))
    """API base URL; ``https://aihubmix.com/v1`` when neither this nor the env var is set."""
    app_code: str | None = None
    timeout: float | None = None
    """Seconds for one request (not for a whole video wait: see ``wait_timeout``)."""
    max_retries: int | None = Field(default=None, ge=0)
    default_headers: dict[str, str] | None = None
    http_client: httpx.Client | None = Field(default=None, exclude=True)
    http_async_client: httpx.AsyncClient | None = Field(default=None, exclude=True)

    _client: AIHubMixClient = PrivateAttr()

    @model_validator(mode="before")
    @classmethod
    def _seal_api_key(cls, values: Any) -> Any:
        return seal_api_key(values)  # before validation, so no error can quote the key

    @model_validator(mode="after")
    def _build_client(self) -> Self:
        settings = {name: getattr(self, name) for name in _SETTINGS}
        settings["async_http_client"] = self.http_async_client
        self._client = AIHubMixClient(**settings, user_agent_suffix="langchain")
        return self

    @property
    def client(self) -> AIHubMixClient:
        """The core client, for what the LangChain interface does not cover."""
        return self._client
