"""``AIHubMixEmbedding``: AIHubMix embedding models as a LlamaIndex ``BaseEmbedding``."""

from __future__ import annotations

import asyncio
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.bridge.pydantic import Field, PrivateAttr

from ._client_settings import ClientSettings, open_client

__all__ = ["DEFAULT_EMBEDDING_MODEL", "DEFAULT_EMBED_BATCH_SIZE", "AIHubMixEmbedding"]

DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small"
DEFAULT_EMBED_BATCH_SIZE = 100
"""Texts per request: 100 chunks of LlamaIndex's default 1,024 tokens stay far below the
providers' per-request token caps, and ten times fewer requests than LlamaIndex's default."""
DEFAULT_NUM_WORKERS = 4


class AIHubMixEmbedding(ClientSettings, BaseEmbedding):
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
    dimensions: int | None = Field(
        default=None, gt=0, description="Vector size, for models that can shorten them."
    )
    embed_batch_size: int = Field(
        default=DEFAULT_EMBED_BATCH_SIZE, gt=0, le=2048, description="Texts per request."
    )
    num_workers: int | None = Field(
        default=DEFAULT_NUM_WORKERS, description="Async batches in flight at once, per loop."
    )
    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Extra request fields sent with every call."
    )

    # A plain dict pruned of closed loops: a semaphore refers to its loop, so weak keys
    # would never be released.
    _gates: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = PrivateAttr(default_factory=dict)

    @classmethod
    def class_name(cls) -> str:
        return "AIHubMixEmbedding"

    def __init__(self, model_name: str | None = None, **kwargs: Any) -> None:
        """Every field is a keyword (``model_name`` also as ``model``), the client settings
        of ``AIHubMix`` among them, and ``api_key``, ``http_client``, ``async_http_client``.
        Other keywords are sent to the API, with a warning."""
        client, fields = open_client(type(self), {"model_name": model_name, **kwargs})
        model = fields.get("model_name") or DEFAULT_EMBEDDING_MODEL
        super().__init__(**{**fields, "model_name": model})
        self._client = client

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
