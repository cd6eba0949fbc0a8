"""``AIHubMixRerank``: AIHubMix rerank models as a LangChain document compressor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import Callbacks
from langchain_core.documents import Document
from langchain_core.documents.compressor import BaseDocumentCompressor
from pydantic import Field

from aihubmix_core.media import DEFAULT_RERANK_MODEL, RerankResult

from ._errors import translate_errors
from ._media_settings import AIHubMixMediaSettings

__all__ = ["AIHubMixRerank"]


class AIHubMixRerank(AIHubMixMediaSettings, BaseDocumentCompressor):
    """Reorders retrieved documents by a rerank model's score (Jina, Cohere, BGE, Qwen, ...).

    Each document returned is a copy with ``relevance_score`` in its metadata, best first.

    Example:
        ```python
        from langchain_aihubmix import AIHubMixRerank

        reranker = AIHubMixRerank(top_n=2)
        best = reranker.compress_documents(documents, "what do foxes eat?")
        ```

    In a retriever: ``ContextualCompressionRetriever(base_compressor=reranker,
    base_retriever=vector_store.as_retriever())``.
    """

    model: str = DEFAULT_RERANK_MODEL
    """Rerank model id (the catalog lists them under ``types=rerank``)."""
    top_n: int | None = Field(default=3, ge=1)
    """Documents to keep; ``None`` keeps them all, reordered."""
    score_threshold: float | None = None
    """Drop documents scoring below this."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Other request fields, sent as given."""

    def _options(self) -> dict[str, Any]:
        return {"model": self.model, "top_n": self.top_n, "extra_body": self.model_kwargs or None}

    def _ranked(self, documents: Sequence[Document], results: list[RerankResult]) -> list[Document]:
        ranked = []
        for result in results:
            if self.score_threshold is not None and result.relevance_score < self.score_threshold:
                continue
            original = documents[result.index]
            metadata = {**original.metadata, "relevance_score": result.relevance_score}
            ranked.append(original.model_copy(update={"metadata": metadata}))
        return ranked

    def compress_documents(
        self, documents: Sequence[Document], query: str, callbacks: Callbacks | None = None
    ) -> Sequence[Document]:
        texts = [document.page_content for document in documents]
        with translate_errors():
            results = self._client.rerank(query, texts, **self._options())
        return self._ranked(documents, results)

    async def acompress_documents(
        self, documents: Sequence[Document], query: str, callbacks: Callbacks | None = None
    ) -> Sequence[Document]:
        texts = [document.page_content for document in documents]
        with translate_errors():
            results = await self._client.arerank(query, texts, **self._options())
        return self._ranked(documents, results)
