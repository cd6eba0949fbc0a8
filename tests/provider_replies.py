"""Gemini-shaped replies for both adapters' two-turn tool-loop tests, and a transport
that answers each request with the next reply of a script while recording requests.

Gemini 3 puts a thought signature on each tool call (``extra_content``, in its Google or
Vertex form), sends each call whole in one unnumbered delta when streaming, and refuses
the next turn unless each signature comes back on its own call.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from testkit import Recorder, sse

MODEL = "gemini-3-pro-preview"
GOOGLE = {"google": {"thought_signature": "SIG-PARIS=="}}
VERTEX = {"vertex": {"thought_signature": "SIG-ROME=="}}


def tool_call(call_id: str, city: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "id": call_id,
        "type": "function",
        "function": {"name": "get_weather", "arguments": json.dumps({"city": city})},
    }
    if extra is not None:
        wire["extra_content"] = extra
    return wire


SIGNED = [tool_call("call_paris", "Paris", GOOGLE), tool_call("call_rome", "Rome", VERTEX)]
UNSIGNED = tool_call("call_oslo", "Oslo")
THINKING_CONTENT = [
    {
        "type": "thinking",
        "thinking": [{"type": "text", "text": "Paris is "}, {"type": "text", "text": "in France."}],
    },
    {"type": "text", "text": "France."},
    {"type": "hologram", "frames": 3},
]
"""Typed content parts: reasoning in the nested-list form, text, and a kind nobody knows."""


def reply(
    stream: bool, calls: list[dict[str, Any]] | None = None, content: Any = "Done."
) -> tuple[bytes, str]:
    """The tool calls (each whole, unnumbered, in its own delta when streamed), or the
    content. Each reply has its own id, as LangGraph replaces a message by one with the
    same id."""
    rid = "r-calls" if calls else "r-content"
    finish = "tool_calls" if calls else "stop"
    if not stream:
        message: dict[str, Any] = {"role": "assistant", "content": None if calls else content}
        if calls:
            message["tool_calls"] = calls
        choice = {"index": 0, "message": message, "finish_reason": finish}
        return json.dumps(
            {"id": rid, "model": MODEL, "choices": [choice]}
        ).encode(), "application/json"
    if calls:
        deltas: list[dict[str, Any]] = [{"tool_calls": [call]} for call in calls]
    elif isinstance(content, list):
        deltas = [{"content": [part]} for part in content]
    else:
        deltas = [{"content": content}]
    chunks = [{"id": rid, "model": MODEL, "choices": [{"index": 0, "delta": d}]} for d in deltas]
    chunks.append({"id": rid, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
    return sse(*chunks), "text/event-stream"


class Script(Recorder):
    """A Recorder that answers each request with the next reply of a script."""

    def __init__(self, *replies: tuple[bytes, str]) -> None:
        super().__init__(200, b"", "application/json")
        self.replies = list(replies)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.body, self.content_type = self.replies.pop(0)
        return super().__call__(request)

    def sent_tool_calls(self, turn: int) -> list[dict[str, Any]]:
        """The tool calls of the assistant message in request ``turn``."""
        messages = self.requests[turn]["messages"]
        assistant = next(m for m in messages if m["role"] == "assistant")
        calls: list[dict[str, Any]] = assistant["tool_calls"]
        return calls

    def clients(self) -> dict[str, Any]:
        transport = httpx.MockTransport(self)
        return {
            "http_client": httpx.Client(transport=transport),
            "async_http_client": httpx.AsyncClient(transport=transport),
        }
