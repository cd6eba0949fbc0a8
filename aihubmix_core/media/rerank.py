"""Reranking on ``/rerank`` in the Jina shape. Pure.

``{model, query, documents, top_n?, return_documents?}`` in;
``{results: [{index, relevance_score, document?}], usage}`` out, returned best first with
each result's ``index`` into the documents given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from ..errors import APIResponseError, InvalidInputError
from .flow import check_body
from .types import RerankResult

__all__ = ["DEFAULT_RERANK_MODEL", "RERANK", "RerankOptions", "parse_rerank", "rerank_payload"]

RERANK = "rerank"
DEFAULT_RERANK_MODEL = "jina-reranker-v2-base-multilingual"

Document = str | Mapping[str, Any]


class RerankOptions(TypedDict, total=False):
    model: str
    top_n: int | None
    return_documents: bool
    extra_body: Mapping[str, Any] | None


def rerank_payload(
    query: str, documents: Sequence[Document], options: RerankOptions
) -> dict[str, Any]:
    if not isinstance(query, str) or not query.strip():
        raise InvalidInputError("the rerank query is empty")
    for position, document in enumerate(documents):
        if not isinstance(document, str | Mapping):
            raise InvalidInputError(
                f"rerank documents must be strings or objects; item {position} is {type(document).__name__}"
            )
    top_n = options.get("top_n")
    if top_n is not None and top_n < 1:
        raise InvalidInputError(f"top_n must be at least 1, got {top_n}")
    payload: dict[str, Any] = {
        "model": options.get("model") or DEFAULT_RERANK_MODEL,
        "query": query,
        "documents": [d if isinstance(d, str) else dict(d) for d in documents],
    }
    if top_n is not None:
        payload["top_n"] = min(top_n, len(documents))
    if "return_documents" in options:
        payload["return_documents"] = bool(options["return_documents"])
    payload.update(options.get("extra_body") or {})
    return payload


def _document_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("text"), str):
        return str(value["text"])
    return None


def parse_rerank(
    body: Any, count: int, request_id: str | None = None, top_n: int | None = None
) -> list[RerankResult]:
    """Results best first, each index checked against the ``count`` documents sent."""
    results = check_body(body, request_id).get("results")
    if not isinstance(results, list):
        raise APIResponseError("AIHubMix returned a rerank reply without results", body=body)
    parsed = []
    for entry in results:
        index = entry.get("index") if isinstance(entry, Mapping) else None
        score = entry.get("relevance_score") if isinstance(entry, Mapping) else None
        if (
            not isinstance(index, int)
            or not 0 <= index < count
            or not isinstance(score, int | float)
        ):
            raise APIResponseError(
                f"a rerank result has no valid index (0 to {count - 1}) and score: {entry!r}",
                body=body,
            )
        parsed.append(RerankResult(index, float(score), _document_text(entry.get("document"))))
    parsed.sort(key=lambda result: (-result.relevance_score, result.index))
    return parsed if top_n is None else parsed[:top_n]
