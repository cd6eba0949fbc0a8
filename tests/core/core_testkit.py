"""Helpers shared by the core tests: reply bodies, SSE bodies, the wire captures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CAPTURES = Path(__file__).resolve().parents[1] / "data" / "wire-captures"
KEY = "sk-test-0123456789abcdef"


def completion(text: str = "Hello!", *, model: str = "gpt-4o-mini", **extra: Any) -> dict[str, Any]:
    """A minimal chat completion body."""
    body: dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
    }
    body.update(extra)
    return body


def sse(*chunks: Any, done: bool = True) -> bytes:
    """An SSE body: each chunk (dict or raw string) behind ``data: ``, then ``[DONE]``."""
    parts = [f"data: {c if isinstance(c, str) else json.dumps(c)}\n\n" for c in chunks]
    if done:
        parts.append("data: [DONE]\n\n")
    return "".join(parts).encode()


def delta_chunk(
    content: str | None = None, *, finish: str | None = None, **delta: Any
) -> dict[str, Any]:
    """One stream chunk for choice 0."""
    if content is not None:
        delta["content"] = content
    return {
        "id": "chatcmpl-s",
        "object": "chat.completion.chunk",
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def capture_names() -> list[str]:
    return sorted(p.name[: -len(".chunks.txt")] for p in CAPTURES.glob("*.chunks.txt"))


def capture_lines(name: str) -> list[str]:
    text = (CAPTURES / f"{name}.chunks.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def capture_sse(name: str, *, newline: str = "\n") -> bytes:
    """The SSE body the server sent for a capture, as PROVENANCE.md describes it."""
    lines = [*capture_lines(name), "[DONE]"]
    return "".join(f"data: {line}{newline}{newline}" for line in lines).encode("utf-8")


def capture_json(name: str) -> Any:
    return json.loads((CAPTURES / f"{name}.json").read_text(encoding="utf-8"))
