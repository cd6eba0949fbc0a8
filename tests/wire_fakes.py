"""Fakes for adapter unit tests: SSE bodies, and a MockTransport handler that records.

Shared by tests/langchain and tests/llama_index so both check the wire the same way.
"""

from __future__ import annotations

import json
from typing import Any

import httpx


def sse_body(chunks: list[dict[str, Any]]) -> bytes:
    events = [f"data: {json.dumps(chunk)}\n\n" for chunk in chunks]
    return ("".join(events) + "data: [DONE]\n\n").encode()


class Recorder:
    """Answers every request with one canned response and keeps the JSON bodies and headers sent."""

    def __init__(self, status: int, body: bytes, content_type: str) -> None:
        self.status, self.body, self.content_type = status, body, content_type
        self.requests: list[dict[str, Any]] = []
        self.headers: list[httpx.Headers] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(json.loads(request.content) if request.content else {})
        self.headers.append(request.headers)
        return httpx.Response(
            self.status, content=self.body, headers={"content-type": self.content_type}
        )

    @property
    def last(self) -> dict[str, Any]:
        return self.requests[-1]
