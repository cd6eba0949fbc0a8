"""Embedding requests and replies. Pure: batching, payloads, ordering by ``index``.

Vectors travel as base64 unless the caller asks otherwise: about a third of the bytes of
float lists and decoded in C, with the same float32 values. A gateway that rejects the
parameter gets the batch again without it (see ``retry_without_base64``).
"""

from __future__ import annotations

import base64
import sys
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from .chat.reply import parse_usage
from .errors import (
    AIHubMixError,
    APIResponseError,
    BadRequestError,
    ConfigurationError,
    ContextWindowExceededError,
)
from .secret_names import refuse_secret_names
from .types import EmbeddingResult, Usage

__all__ = [
    "BASE64",
    "DEFAULT_BATCH_SIZE",
    "EmbedOptions",
    "EmbeddingBatch",
    "EmbeddingSpec",
    "batches",
    "embedding_payload",
    "merge_results",
    "parse_embeddings",
    "retry_without_base64",
    "wire_encoding",
]

BASE64 = "base64"

DEFAULT_BATCH_SIZE = 256
"""Inputs per request: well under the gateway's 2,048-input limit and its body-size limits."""


def batches(texts: Sequence[str], size: int) -> Iterator[tuple[int, Sequence[str]]]:
    """(offset, batch) pairs covering ``texts`` in order."""
    if size < 1:
        raise ConfigurationError(f"batch size must be at least 1, got {size}")
    for start in range(0, len(texts), size):
        yield start, texts[start : start + size]


def wire_encoding(requested: str | None, base64_accepted: bool) -> str | None:
    """The ``encoding_format`` to send: the caller's, else base64 unless it was refused."""
    if requested is not None:
        return requested
    return BASE64 if base64_accepted else None


def retry_without_base64(error: AIHubMixError, requested: str | None, sent: str | None) -> bool:
    """Whether a failed batch deserves one more try without the base64 we chose ourselves.

    Only a plain bad request qualifies: gateways word the refusal differently, and a
    too-long input or an unknown model would fail the same way again.
    """
    return (
        requested is None
        and sent == BASE64
        and isinstance(error, BadRequestError)
        and not isinstance(error, ContextWindowExceededError)
    )


def embedding_payload(
    model: str,
    texts: Sequence[str],
    *,
    dimensions: int | None = None,
    encoding_format: str | None = None,
    extra_body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    if not model:
        raise ConfigurationError(
            "model must be a non-empty embedding model id, such as 'text-embedding-3-small'"
        )
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise ConfigurationError(
                f"embedding inputs must be strings; item {position} is {type(text).__name__}"
            )
    payload: dict[str, Any] = {"model": model, "input": list(texts)}
    if dimensions is not None:
        payload["dimensions"] = dimensions
    if encoding_format is not None:
        payload["encoding_format"] = encoding_format
    if extra_body:
        payload.update(extra_body)
    refuse_secret_names(payload, "An embedding request")
    return payload


def _vector(raw: Any) -> list[float]:
    if isinstance(raw, list):
        return raw
    if isinstance(raw, str):
        values = array("f")
        try:
            values.frombytes(base64.b64decode(raw, validate=True))
        except ValueError:  # bad alphabet or padding, or not whole float32s
            raise APIResponseError(
                f"an embedding is not valid base64 float32 data: {raw[:80]!r}", body=raw
            ) from None
        if sys.byteorder != "little":  # pragma: no cover - the wire format is little-endian
            values.byteswap()
        return values.tolist()
    raise APIResponseError(
        f"an embedding is neither a list nor base64 text: {str(raw)[:80]!r}", body=raw
    )


def parse_embeddings(body: Any, expected: int) -> EmbeddingResult:
    """Vectors in input order (by each item's ``index``), checked for count."""
    data = body.get("data") if isinstance(body, Mapping) else None
    if not isinstance(data, list):
        raise APIResponseError(
            "AIHubMix returned an embeddings reply without a data list", body=body
        )
    vectors: list[list[float] | None] = [None] * expected
    for position, item in enumerate(data):
        if not isinstance(item, Mapping):
            raise APIResponseError("an embeddings data item is not an object", body=body)
        index = item.get("index")
        if not isinstance(index, int):
            index = position
        if not 0 <= index < expected:
            raise APIResponseError(
                f"AIHubMix returned an embedding for index {index}, but {expected} inputs were sent",
                body=body,
            )
        vectors[index] = _vector(item.get("embedding"))
    missing = [i for i, vector in enumerate(vectors) if vector is None]
    if missing:
        raise APIResponseError(
            f"AIHubMix returned {expected - len(missing)} embeddings for {expected} inputs "
            f"(missing indexes {missing[:10]}); retry the request.",
            body=body,
        )
    return EmbeddingResult(
        vectors=[v for v in vectors if v is not None],
        model=body.get("model"),
        usage=parse_usage(body.get("usage")),
    )


def merge_results(parts: Sequence[EmbeddingResult]) -> EmbeddingResult:
    """Batch results, already in input order, as one result with summed usage."""
    vectors: list[list[float]] = []
    usage: Usage | None = None
    model = None
    for part in parts:
        vectors.extend(part.vectors)
        model = model or part.model
        if part.usage is not None:
            if usage is None:
                usage = Usage()
            usage.prompt_tokens += part.usage.prompt_tokens
            usage.total_tokens += part.usage.total_tokens
            usage.counted = usage.counted and part.usage.counted
    return EmbeddingResult(vectors=vectors, model=model, usage=usage)


class EmbedOptions(TypedDict, total=False):
    """What an embedding call accepts besides its texts and model."""

    dimensions: int | None
    batch_size: int
    encoding_format: str | None
    extra_body: Mapping[str, Any] | None
    progress: Callable[[int], object] | None


@dataclass(frozen=True, slots=True)
class EmbeddingSpec:
    """What every batch of one embedding call shares."""

    model: str
    dimensions: int | None = None
    encoding_format: str | None = None
    extra_body: Mapping[str, Any] | None = None

    @classmethod
    def of(cls, model: str, options: EmbedOptions) -> EmbeddingSpec:
        return cls(
            model,
            options.get("dimensions"),
            options.get("encoding_format"),
            options.get("extra_body"),
        )

    def batch(self, texts: Sequence[str], base64_accepted: bool) -> EmbeddingBatch:
        sent = wire_encoding(self.encoding_format, base64_accepted)
        payload = embedding_payload(
            self.model,
            texts,
            dimensions=self.dimensions,
            encoding_format=sent,
            extra_body=self.extra_body,
        )
        return EmbeddingBatch(self, len(texts), payload, sent)


@dataclass(frozen=True, slots=True)
class EmbeddingBatch:
    """One request of an embedding call: its body, and what to do if it is refused."""

    spec: EmbeddingSpec
    size: int
    payload: dict[str, Any]
    sent_encoding: str | None

    def parse(self, body: Any) -> EmbeddingResult:
        return parse_embeddings(body, self.size)

    def without_base64(self, error: AIHubMixError) -> EmbeddingBatch:
        """The same batch without the base64 we chose ourselves; raises ``error`` when
        that would not help."""
        if not retry_without_base64(error, self.spec.encoding_format, self.sent_encoding):
            raise error
        payload = {k: v for k, v in self.payload.items() if k != "encoding_format"}
        return EmbeddingBatch(self.spec, self.size, payload, None)
