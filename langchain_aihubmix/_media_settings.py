"""The settings every LangChain media class shares (rerank, tools, transcription parser):
the chat model's client settings, declared once in ``_client_settings``."""

from __future__ import annotations

from langchain_core.utils import secret_from_env
from pydantic import ConfigDict, Field, SecretStr

from aihubmix_core import AIHubMixClient

from ._client_settings import ClientSettings

__all__ = ["AIHubMixMediaSettings"]


class AIHubMixMediaSettings(ClientSettings):
    """Key, URL, timeouts, retries and headers, as on ``ChatAIHubMix``."""

    model_config = ConfigDict(
        populate_by_name=True, arbitrary_types_allowed=True, hide_input_in_errors=True
    )

    api_key: SecretStr | None = Field(
        default_factory=secret_from_env("AIHUBMIX_API_KEY", default=None), exclude=True, repr=False
    )
    """AIHubMix key; ``AIHUBMIX_API_KEY`` when not given."""

    @property
    def client(self) -> AIHubMixClient:
        """The core client, for what the LangChain interface does not cover."""
        return self._client
