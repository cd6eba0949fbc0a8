"""The shared test kit: what more than one suite under tests/ needs, in one place.

Import it as ``testkit`` (tests/ is on pytest's ``pythonpath``). The fixtures built on it
(``mock_http``, ``aihubmix_env``) are in tests/conftest.py; the record-and-replay rules
are :mod:`aihubmix_testing.cassettes`, shared with the demo.

- paths: ``ROOT``, ``CASSETTES``, ``DATA``, ``CAPTURES``, ``cassette_dir``
- test values: ``KEY``, ``MODEL``, ``USAGE``
- environment: ``AIHUBMIX_SETTINGS``, ``clean_env``
- reply builders: ``completion``, ``delta_chunk``, ``sse``
- fake HTTP: ``Recorder``, ``MockHTTP``
- wire captures: ``capture_names``, ``capture_lines``, ``capture_sse``, ``capture_json``
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

# ------------------------------------------------------------------------------- paths

ROOT = Path(__file__).resolve().parent.parent
"""The repository root."""
CASSETTES = ROOT / "cassettes"
DATA = ROOT / "tests" / "data"
CAPTURES = DATA / "wire-captures"
"""Real provider traffic, byte for byte (see PROVENANCE.md there)."""


def cassette_dir(test_file: Path) -> str:
    """cassettes/<folder under tests>/<module name without test_>/ (naming only)."""
    relative = test_file.resolve().relative_to(ROOT / "tests")
    stem = relative.stem.removeprefix("test_")
    return str(CASSETTES / relative.parent / stem)


# ------------------------------------------------------------------------- test values

KEY = "sk-test-0123456789abcdef"
"""The API key unit tests pass; shaped like one, but no scanner takes it for a real key."""
MODEL = "gpt-4o-mini"
USAGE: dict[str, Any] = {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}


# ------------------------------------------------------------------------- environment

AIHUBMIX_SETTINGS = ("AIHUBMIX_API_KEY", "AIHUBMIX_BASE_URL", "AIHUBMIX_APP_CODE")
"""The variables the clients read; the machine running the tests may have any of them set."""


def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset every AIHubMix setting for the rest of the test."""
    for name in AIHUBMIX_SETTINGS:
        monkeypatch.delenv(name, raising=False)


# ---------------------------------------------------------------------- reply builders


def completion(
    content: str | None = "Hello!",
    *,
    model: str = MODEL,
    tool_calls: list[dict[str, Any]] | None = None,
    usage: dict[str, Any] | None = USAGE,
    message: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A non-streamed chat completion body with one choice.

    ``message`` adds fields to the assistant message (``reasoning_content``, ...);
    ``tool_calls`` makes ``finish_reason`` ``"tool_calls"``; ``usage=None`` sends
    ``"usage": null``; any other keyword is a top-level field (``system_fingerprint``, ...).
    """
    msg: dict[str, Any] = {"role": "assistant", "content": content, **(message or {})}
    if tool_calls:
        msg["tool_calls"] = tool_calls
    body: dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [
            {"index": 0, "message": msg, "finish_reason": "tool_calls" if tool_calls else "stop"}
        ],
        "usage": usage,
    }
    body.update(extra)
    return body


def delta_chunk(
    content: str | None = None, *, finish: str | None = None, **delta: Any
) -> dict[str, Any]:
    """One stream chunk for choice 0; keywords are fields of its delta."""
    if content is not None:
        delta["content"] = content
    return {
        "id": "chatcmpl-s",
        "object": "chat.completion.chunk",
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def sse(*chunks: Any, done: bool = True) -> bytes:
    """An SSE body: each chunk (dict or raw string) behind ``data: ``, then ``[DONE]``."""
    parts = [f"data: {c if isinstance(c, str) else json.dumps(c)}\n\n" for c in chunks]
    if done:
        parts.append("data: [DONE]\n\n")
    return "".join(parts).encode()


# ---------------------------------------------------------------------------- fake HTTP


class Recorder:
    """A MockTransport handler: answers every request with one canned response and keeps
    the JSON bodies and the headers sent."""

    def __init__(self, status: int, body: bytes, content_type: str) -> None:
        self.status, self.body, self.content_type = status, body, content_type
        self.requests: list[dict[str, Any]] = []
        self.headers: list[httpx.Headers] = []

    @classmethod
    def answering(
        cls, *, chunks: list[dict[str, Any]] | None = None, body: Any = None, status: int = 200
    ) -> Recorder:
        """Answers with the SSE stream of ``chunks`` (then ``[DONE]``), else with JSON ``body``."""
        if chunks is not None:
            return cls(status, sse(*chunks), "text/event-stream")
        return cls(status, json.dumps(body).encode(), "application/json")

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(json.loads(request.content) if request.content else {})
        self.headers.append(request.headers)
        return httpx.Response(
            self.status, content=self.body, headers={"content-type": self.content_type}
        )

    @property
    def last(self) -> dict[str, Any]:
        return self.requests[-1]


class MockHTTP:
    """httpx clients answering through ``httpx.MockTransport(handler)``; ``close`` closes
    the sync ones (the ``mock_http`` fixture does at teardown)."""

    def __init__(self) -> None:
        self._made: list[httpx.Client] = []

    def client(self, handler: Any) -> httpx.Client:
        client = httpx.Client(transport=httpx.MockTransport(handler))
        self._made.append(client)
        return client

    def async_client(self, handler: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(handler))

    def close(self) -> None:
        for client in self._made:
            client.close()
        self._made.clear()


# ------------------------------------------------------------------------ wire captures


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
