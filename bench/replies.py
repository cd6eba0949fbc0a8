"""The bytes the benchmark server answers with, built once and cached.

Shapes follow a real OpenAI reply through the gateway (see
tests/data/wire-captures/openai-text.*), so every client parses what it would parse in
production. Every SSE event is its own HTTP chunk, as a real gateway sends them.
"""

from __future__ import annotations

import base64
import json
import random
from array import array
from functools import lru_cache

__all__ = ["REPLY", "chat_body", "embeddings_body", "sse_body", "stream_size"]

_ID = "chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0"
_CREATED = 1770933892
_FINGERPRINT = "fp_de604bd877"
_WORDS = ("The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".")
REPLY = "".join(_WORDS * 12)
_VECTOR_POOL = 16


def stream_size(model: str) -> int:
    """Streams are as long as the number ending the model id (``bench-2000``); 20 otherwise."""
    tail = model.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 20


def _usage(prompt: int, completion: int) -> dict[str, object]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def _dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


@lru_cache(maxsize=8)
def chat_body(model: str) -> bytes:
    """A non-streamed chat completion of about 120 tokens."""
    return _dumps(
        {
            "id": _ID,
            "object": "chat.completion",
            "created": _CREATED,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": REPLY,
                        "refusal": None,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": _usage(16, 120),
            "service_tier": "default",
            "system_fingerprint": _FINGERPRINT,
        }
    )


def _chunk(model: str, delta: dict[str, object], finish: str | None) -> dict[str, object]:
    return {
        "id": _ID,
        "object": "chat.completion.chunk",
        "created": _CREATED,
        "model": model,
        "service_tier": "default",
        "system_fingerprint": _FINGERPRINT,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        "usage": None,
        "obfuscation": "yhjoJbEF",
    }


def _http_chunk(event: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(event), event)


@lru_cache(maxsize=8)
def sse_body(model: str, include_usage: bool) -> bytes:
    """The chunked-encoded SSE body: a role chunk, ``n`` content chunks, the finish, usage, DONE."""
    n = stream_size(model)
    events = [_chunk(model, {"role": "assistant", "content": "", "refusal": None}, None)]
    template = _dumps(_chunk(model, {"content": "\x00"}, None))
    before, after = template.split(b"\\u0000")
    content = [
        b"data: " + before + json.dumps(word).encode()[1:-1] + after + b"\n\n" for word in _WORDS
    ]
    tail = [_chunk(model, {}, "stop")]
    if include_usage:
        usage = _chunk(model, {}, None)
        usage["choices"] = []
        usage["usage"] = _usage(16, n)
        tail.append(usage)
    parts = [_http_chunk(b"data: " + _dumps(events[0]) + b"\n\n")]
    parts.extend(_http_chunk(content[i % len(content)]) for i in range(n))
    parts.extend(_http_chunk(b"data: " + _dumps(event) + b"\n\n") for event in tail)
    parts.append(_http_chunk(b"data: [DONE]\n\n"))
    parts.append(b"0\r\n\r\n")
    return b"".join(parts)


@lru_cache(maxsize=4)
def _vectors(dimensions: int) -> tuple[list[bytes], list[bytes]]:
    """A pool of unit-scale float32 vectors as JSON float lists and as base64 text."""
    rng = random.Random(dimensions)
    as_json: list[bytes] = []
    as_base64: list[bytes] = []
    for _ in range(_VECTOR_POOL):
        values = array("f", (rng.gauss(0.0, 0.025) for _ in range(dimensions)))
        as_json.append(("[" + ",".join(f"{v:.9g}" for v in values) + "]").encode())
        as_base64.append(b'"' + base64.b64encode(values.tobytes()) + b'"')
    return as_json, as_base64


@lru_cache(maxsize=32)
def embeddings_body(count: int, dimensions: int, base64_format: bool, model: str) -> bytes:
    """``count`` embeddings in index order, floats or base64 as the request asked."""
    as_json, as_base64 = _vectors(dimensions)
    pool = as_base64 if base64_format else as_json
    items = b",".join(
        b'{"object":"embedding","index":%d,"embedding":%s}' % (i, pool[i % _VECTOR_POOL])
        for i in range(count)
    )
    usage = b'{"prompt_tokens":%d,"total_tokens":%d}' % (count * 8, count * 8)
    return (
        b'{"object":"list","data":['
        + items
        + b'],"model":'
        + json.dumps(model).encode()
        + b',"usage":'
        + usage
        + b"}"
    )
