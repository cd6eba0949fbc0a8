"""Deterministic embeddings: hashed bags of words, so texts sharing words are close."""

from __future__ import annotations

import base64
import hashlib
import math
import struct
from typing import Any

from . import text as t


def embed(text: str, dimensions: int) -> list[float]:
    vector = [0.0] * dimensions
    for word in t.words(text):
        if word in t.STOPWORDS:
            continue
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        slot = int.from_bytes(digest[:4], "little") % dimensions
        vector[slot] += 1.0 if digest[4] & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vector))
    if norm == 0:
        vector[0] = 1.0
        return vector
    return [round(v / norm, 6) for v in vector]


def response(body: dict[str, Any]) -> dict[str, Any]:
    inputs = body.get("input")
    if isinstance(inputs, str):
        inputs = [inputs]
    dimensions = body.get("dimensions") or (3072 if "large" in str(body.get("model")) else 1536)
    as_base64 = body.get("encoding_format") == "base64"
    data = []
    for index, text in enumerate(inputs or []):
        vector = embed(str(text), dimensions)
        embedding: Any = (
            base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
            if as_base64
            else vector
        )
        data.append({"object": "embedding", "index": index, "embedding": embedding})
    tokens = sum(len(t.words(str(x))) for x in inputs or [])
    return {
        "object": "list",
        # Reversed on purpose: the API promises an index per item, not an order.
        "data": list(reversed(data)),
        "model": body.get("model"),
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }
