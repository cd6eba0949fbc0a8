"""The client settings every LangChain class here takes, declared once.

Each setting has the name it has in ``aihubmix_core.ClientConfig`` and the core's
default; the values go to ``ClientConfig.resolve`` as they are, so the environment
fallbacks and the checks are the core's too.
"""

from __future__ import annotations

from typing import Any

import httpx
from langchain_core.utils import from_env, secret_from_env
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    SecretStr,
    model_validator,
)
from typing_extensions import Self

import aihubmix_core as core
from aihubmix_core import AIHubMixClient, ClientConfig
from aihubmix_core.settings import TimeoutArg

from ._keywords import rename_openai_keywords

__all__ = ["ClientSettings", "seal_api_key"]

USER_AGENT_SUFFIX = "langchain"
CLIENT_SETTINGS = (
    "api_key",
    "base_url",
    "app_code",
    "timeout",
    "connect_timeout",
    "stream_idle_timeout",
    "max_retries",
    "default_headers",
)
"""The fields below that ``ClientConfig.resolve`` takes, by the same names."""


def seal_api_key(values: Any) -> Any:
    """The arguments with ``api_key`` as a ``SecretStr``; pydantic records the input it
    validated in every error (``errors()[i]["input"]``), so a clear key would end up there."""
    if isinstance(values, dict) and isinstance(values.get("api_key"), str):
        return {**values, "api_key": SecretStr(values["api_key"])}
    return values


class ClientSettings(BaseModel):
    """Connection settings and the core client built from them."""

    # hide_input_in_errors: a validation error must not echo the arguments, the key among them.
    model_config = ConfigDict(arbitrary_types_allowed=True, hide_input_in_errors=True)

    api_key: SecretStr | None = Field(
        default_factory=secret_from_env("AIHUBMIX_API_KEY", default=None)
    )
    """AIHubMix key; ``AIHUBMIX_API_KEY`` when not given."""
    base_url: str | None = Field(default_factory=from_env("AIHUBMIX_BASE_URL", default=None))
    """API base URL; ``https://aihubmix.com/v1`` when neither this nor the env var is set."""
    app_code: str | None = None
    """``APP-Code`` attribution header (or ``AIHUBMIX_APP_CODE``); never sent unless set."""
    timeout: TimeoutArg = core.DEFAULT_TIMEOUT
    """Seconds per request, a ``(connect, read)`` pair, or an ``httpx.Timeout``."""
    connect_timeout: float | None = core.DEFAULT_CONNECT_TIMEOUT
    """Seconds to open a connection."""
    stream_idle_timeout: float | None = core.DEFAULT_STREAM_IDLE_TIMEOUT
    """Seconds a stream may stay silent before it is abandoned."""
    max_retries: int | None = Field(default=core.DEFAULT_MAX_RETRIES, ge=0)
    """Retries for connection errors, 429 and 5xx."""
    default_headers: dict[str, str] | None = None
    """Headers added to every request."""
    http_client: httpx.Client | None = Field(default=None, exclude=True)
    """Your own ``httpx.Client`` (proxies, custom transport)."""
    http_async_client: httpx.AsyncClient | None = Field(default=None, exclude=True)
    """Your own ``httpx.AsyncClient``."""

    _client: AIHubMixClient = PrivateAttr()

    def client_config(self) -> ClientConfig:
        settings = {name: getattr(self, name) for name in CLIENT_SETTINGS}
        if "connect_timeout" not in self.model_fields_set:
            settings["connect_timeout"] = None  # a (connect, read) timeout's, else the default
        return ClientConfig.resolve(**settings, user_agent_suffix=USER_AGENT_SUFFIX)

    @model_validator(mode="after")
    def _build_client(self) -> Self:
        self._client = AIHubMixClient(
            config=self.client_config(),
            http_client=self.http_client,
            async_http_client=self.http_async_client,
        )
        return self

    @model_validator(mode="wrap")
    @classmethod
    def _seal_api_key(cls, values: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        # Outermost of all validators, subclasses' too: none of their errors sees the key,
        # under our name or ChatOpenAI's.
        return handler(seal_api_key(rename_openai_keywords(cls, values)))
