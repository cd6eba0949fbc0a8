"""The client settings ``AIHubMix`` and ``AIHubMixEmbedding`` take, declared once, and
the core client they own.

Each setting has the name it has in ``aihubmix_core.ClientConfig`` and the core's
default. The base URL is stored as ``api_base``, LlamaIndex's usual name; ``base_url``
is taken too. LlamaIndex copies components (``deepcopy``) and pickles them for worker
processes (``IngestionPipeline(num_workers=...)``); it rebuilds a pickled component by
calling ``__init__`` with its public fields, which would lose the key held by the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llama_index.core.bridge.pydantic import BaseModel, Field, PrivateAttr

from aihubmix_core import (
    DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES,
    DEFAULT_STREAM_IDLE_TIMEOUT,
    DEFAULT_TIMEOUT,
    AIHubMixClient,
    ClientConfig,
    ConfigurationError,
)

from ._unknown_kwargs import check_openai_like_names, route_unknown_kwargs

__all__ = ["ClientOwner", "ClientSettings", "open_client"]

USER_AGENT_SUFFIX = "llama-index"
_RESOLVED = ("timeout", "connect_timeout", "stream_idle_timeout", "max_retries")


class ClientOwner:
    """What every LlamaIndex class here does with the core client it holds.

    LlamaIndex copies components (``deepcopy``) and pickles them for worker processes;
    copies share the client, and an unpickled component keeps the client's key."""

    if TYPE_CHECKING:
        _client: AIHubMixClient

    @property
    def client(self) -> AIHubMixClient:
        """The core client, for what LlamaIndex has no API for (model lists, catalog)."""
        return self._client

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Any:
        """Copies share the client: its pooled connections cannot be copied, and need not be."""
        memo = {} if memo is None else memo
        memo[id(self._client)] = self._client
        return super().__deepcopy__(memo)  # type: ignore[misc]

    def __setstate__(self, state: dict[str, Any]) -> None:
        client = (state.get("__pydantic_private__") or {}).get("_client")
        super().__setstate__(state)  # type: ignore[misc]
        if isinstance(client, AIHubMixClient):
            self._client = client


class ClientSettings(ClientOwner, BaseModel):
    """Connection settings, and the core client built from them (see ``open_client``)."""

    api_base: str = Field(
        default=DEFAULT_BASE_URL,
        description="API base URL (also taken as base_url); AIHUBMIX_BASE_URL when not given.",
    )
    app_code: str | None = Field(
        default=None, description="AIHubMix APP-Code attribution; AIHUBMIX_APP_CODE when not given."
    )
    timeout: float | None = Field(default=DEFAULT_TIMEOUT, description="Seconds for one request.")
    connect_timeout: float | None = Field(
        default=DEFAULT_CONNECT_TIMEOUT, description="Seconds to open a connection."
    )
    stream_idle_timeout: float | None = Field(
        default=DEFAULT_STREAM_IDLE_TIMEOUT,
        description="Seconds a stream may go without an event (keep-alive comments do not count).",
    )
    max_retries: int = Field(
        default=DEFAULT_MAX_RETRIES, ge=0, description="Retries for failed requests."
    )
    default_headers: dict[str, str] | None = Field(
        default=None, description="Headers added to every request."
    )
    reuse_client: bool = Field(
        default=True,
        description="OpenAI's switch, taken for compatibility: connections are always pooled, "
        "one pool per process and one per event loop, so sharing one across event loops "
        "(what reuse_client=False works around in OpenAI's client) cannot happen.",
    )

    _client: AIHubMixClient = PrivateAttr()

    if TYPE_CHECKING:  # the classes built on this one pass their own fields through too

        def __init__(self, **data: Any) -> None: ...


def open_client(
    cls: type[BaseModel], kwargs: dict[str, Any]
) -> tuple[AIHubMixClient, dict[str, Any]]:
    """The core client for a constructor's keywords, and the keywords for its fields.

    ``api_key``, ``http_client`` and ``async_http_client`` go to the client only, and
    ``base_url`` is ``api_base``. The base URL and app code become the values in use (the
    environment's when not given), so the fields show what is sent. Keywords that name
    no field are sent to the API in every request body (see ``_unknown_kwargs``).
    """
    settings = check_openai_like_names(cls, kwargs)
    api_key = settings.pop("api_key", None)
    http_client = settings.pop("http_client", None)
    async_http_client = settings.pop("async_http_client", None)
    base_url = settings.pop("base_url", None)
    if base_url and settings.get("api_base") and base_url != settings["api_base"]:
        raise ConfigurationError("give the base URL once, as api_base or base_url, not both")
    config = ClientConfig.resolve(
        api_key=api_key,
        base_url=settings.get("api_base") or base_url,
        app_code=settings.get("app_code"),
        default_headers=settings.get("default_headers"),
        user_agent_suffix=USER_AGENT_SUFFIX,
        **{name: settings.get(name) for name in _RESOLVED},
    )
    # The fields show what is used: the environment's URL and app code when not given,
    # and a (connect, read) or httpx.Timeout timeout as its two numbers.
    settings["api_base"] = config.base_url
    settings["app_code"] = config.app_code
    settings["timeout"] = config.timeout
    settings["connect_timeout"] = config.connect_timeout
    fields, extra = route_unknown_kwargs(cls, settings, settings.get("additional_kwargs"))
    fields["additional_kwargs"] = extra
    client = AIHubMixClient(
        config=config, http_client=http_client, async_http_client=async_http_client
    )
    return client, fields
