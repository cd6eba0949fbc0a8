"""``AIHubMixRerank``: AIHubMix rerank models as a LlamaIndex node postprocessor."""

from __future__ import annotations

from typing import Any

from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import MetadataMode, NodeWithScore, QueryBundle
from typing_extensions import Unpack

from aihubmix_core import AIHubMixClient
from aihubmix_core.media import DEFAULT_RERANK_MODEL, RerankResult

from ._client_settings import ClientOwner
from ._media_client import MediaSettings, media_client

__all__ = ["AIHubMixRerank"]


class AIHubMixRerank(ClientOwner, BaseNodePostprocessor):
    """Reorders retrieved nodes by a rerank model's score and keeps the ``top_n`` best; each
    ``NodeWithScore`` carries the rerank score.

    Example:
        .. code-block:: python

            from llama_index.postprocessor.aihubmix_rerank import AIHubMixRerank

            engine = index.as_query_engine(node_postprocessors=[AIHubMixRerank(top_n=2)])
    """

    model: str = Field(default=DEFAULT_RERANK_MODEL, description="The rerank model id.")
    top_n: int = Field(default=2, ge=1, description="Nodes to keep.")
    api_base: str | None = Field(default=None, description="API base URL.")

    _client: AIHubMixClient = PrivateAttr()

    def __init__(
        self,
        model: str = DEFAULT_RERANK_MODEL,
        top_n: int = 2,
        **settings: Unpack[MediaSettings],
    ) -> None:
        client = media_client(settings)
        # One dict: the base class's synthesized __init__ does not know this class's fields.
        fields: dict[str, Any] = {
            "model": model,
            "top_n": top_n,
            "api_base": client.config.base_url,
        }
        super().__init__(**fields)
        self._client = client

    @classmethod
    def class_name(cls) -> str:
        return "AIHubMixRerank"

    @staticmethod
    def _texts(nodes: list[NodeWithScore], query_bundle: QueryBundle | None) -> list[str]:
        if query_bundle is None:
            raise ValueError("AIHubMixRerank needs the query: pass query_str= or query_bundle=")
        return [node.node.get_content(metadata_mode=MetadataMode.EMBED) for node in nodes]

    @staticmethod
    def _ranked(nodes: list[NodeWithScore], results: list[RerankResult]) -> list[NodeWithScore]:
        return [
            NodeWithScore(node=nodes[result.index].node, score=result.relevance_score)
            for result in results
        ]

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        texts = self._texts(nodes, query_bundle)
        query = query_bundle.query_str if query_bundle else ""
        return self._ranked(nodes, self._client.rerank(query, texts, **self._options()))

    async def _apostprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        texts = self._texts(nodes, query_bundle)
        query = query_bundle.query_str if query_bundle else ""
        return self._ranked(nodes, await self._client.arerank(query, texts, **self._options()))

    def _options(self) -> dict[str, Any]:
        return {"model": self.model, "top_n": self.top_n}
