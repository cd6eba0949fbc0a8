"""``AIHubMixEmbedding``: AIHubMix embedding models as a LlamaIndex ``BaseEmbedding``."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.callbacks import CallbackManager
from pydantic import SecretStr

from aihubmix_core import DEFAULT_BASE_URL, AIHubMixClient

from ._client_owner import ClientOwner
from ._settings import route_unknown_kwargs

__all__ = ["DEFAULT_EMBEDDING_MODEL", "DEFAULT_EMBED_BATCH_SIZE", "AIHubMixEmbedding"]

DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small"
DEFAULT_EMBED_BATCH_SIZE = 100
"""Texts per request: 100 chunks of LlamaIndex's default 1,024 tokens stay far below the
providers' per-request token caps, and ten times fewer requests than LlamaIndex's default."""
DEFAULT_NUM_WORKERS = 4


class AIHubMixEmbedding(ClientOwner, BaseEmbedding):
    """Embeddings from any AIHubMix embedding model, returned in input order.

    Async batches run at most ``num_workers`` at a time per event loop, whichever
    LlamaIndex code path schedules them. The key never appears in ``repr`` or ``to_dict()``.

    Example:
        .. code-block:: python

            from llama_index.embeddings.aihubmix import AIHubMixEmbedding

            embed = AIHubMixEmbedding(model_name="text-embedding-3-small", dimensions=256)
            vector = embed.get_text_embedding("hello")
    """

    model_name: str = Field(default=DEFAULT_EMBEDDING_MODEL, description="The embedding model id.")
    api_base: str = Field(default=DEFAULT_BASE_URL, description="API base URL.")
    dimensions: int | None = Field(
        default=None, gt=0, description="Vector size, for models that can shorten them."
    )
    timeout: float | None = Field(default=600.0, description="Seconds for one request.")
    max_retries: int = Field(default=2, ge=0, description="Retries for failed requests.")
    default_headers: dict[str, str] | None = Field(default=None)
    app_code: str | None = Field(default=None)
    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Extra request fields sent with every call."
    )

    _client: AIHubMixClient = PrivateAttr()
    # A plain dict pruned of closed loops: a semaphore refers to its loop, so weak keys
    # would never be released.
    _gates: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = PrivateAttr(default_factory=dict)

    def __init__(
        self,
        model_name: str = DEFAULT_EMBEDDING_MODEL,
        *,
        api_key: str | SecretStr | None = None,
        api_base: str | None = None,
        dimensions: int | None = None,
        embed_batch_size: int = DEFAULT_EMBED_BATCH_SIZE,
        num_workers: int | None = DEFAULT_NUM_WORKERS,
        timeout: float | None = 600.0,
        max_retries: int = 2,
        default_headers: dict[str, str] | None = None,
        app_code: str | None = None,
        additional_kwargs: dict[str, Any] | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        callback_manager: CallbackManager | None = None,
        **kwargs: Any,
    ) -> None:
        client = AIHubMixClient(
            api_key=api_key,
            base_url=api_base,
            app_code=app_code,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            async_http_client=async_http_client,
            user_agent_suffix="llama-index",
        )
        # One dict: BaseEmbedding's synthesized __init__ does not know this class's fields.
        settings: dict[str, Any] = {
            "model_name": model_name,
            "api_base": client.config.base_url,
            "dimensions": dimensions,
            "embed_batch_size": embed_batch_size,
            "num_workers": num_workers,
            "timeout": timeout,
            "max_retries": max_retries,
            "default_headers": default_headers,
            "app_code": client.config.app_code,
            "callback_manager": callback_manager or CallbackManager([]),
        }
        known, settings["additional_kwargs"] = route_unknown_kwargs(
            type(self), kwargs, additional_kwargs
        )
        super().__init__(**settings, **known)
        self._client = client

    @classmethod
    def class_name(cls) -> str:
        return "AIHubMixEmbedding"

    def __getstate__(self) -> dict[str, Any]:
        """The per-loop gates hold their loops, which cannot be pickled; a copy gets new ones."""
        gates, self._gates = self._gates, {}
        try:
            state: dict[str, Any] = super().__getstate__()
        finally:
            self._gates = gates
        return state

    def _gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            for stale in [known for known in self._gates if known.is_closed()]:
                del self._gates[stale]
            gate = self._gates[loop] = asyncio.Semaphore(
                max(1, self.num_workers or DEFAULT_NUM_WORKERS)
            )
        return gate

    def _embed(self, texts: list[str]) -> list[list[float]]:
        result = self._client.embed(
            texts,
            model=self.model_name,
            dimensions=self.dimensions,
            batch_size=self.embed_batch_size,
            extra_body=self.additional_kwargs,
        )
        return result.vectors

    async def _aembed(self, texts: list[str]) -> list[list[float]]:
        async with self._gate():
            result = await self._client.aembed(
                texts,
                model=self.model_name,
                dimensions=self.dimensions,
                batch_size=self.embed_batch_size,
                extra_body=self.additional_kwargs,
                concurrency=1,
            )
        return result.vectors

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return (await self._aembed([query]))[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([text])[0]

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return (await self._aembed([text]))[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed(texts)

    async def _aget_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return await self._aembed(texts)
