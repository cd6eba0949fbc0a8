"""The event grammar of a streamed Messages reply, from the finished ``Message``:
``message_start``, each content block's start, deltas and stop (a ``ping`` after the
first), ``message_delta`` with the stop reason and output usage, then ``message_stop``;
an ``error`` event instead when a failure was scripted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from . import protocols as p


def _block_events(index: int, block: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    kind = block["type"]
    opened: dict[str, Any] = dict(block)
    if kind == "text":
        opened = {"type": "text", "text": ""}
    elif kind == "thinking":
        opened = {"type": "thinking", "thinking": "", "signature": ""}
    elif kind in ("tool_use", "server_tool_use"):
        opened = {**block, "input": {}}
    yield "content_block_start", {"index": index, "content_block": opened}
    if index == 0:
        yield "ping", {}
    if kind == "text":
        for citation in block.get("citations") or []:
            yield (
                "content_block_delta",
                {"index": index, "delta": {"type": "citations_delta", "citation": citation}},
            )
        for piece in p.pieces(block["text"]):
            yield (
                "content_block_delta",
                {"index": index, "delta": {"type": "text_delta", "text": piece}},
            )
    elif kind == "thinking":
        for piece in p.pieces(block["thinking"]):
            yield (
                "content_block_delta",
                {"index": index, "delta": {"type": "thinking_delta", "thinking": piece}},
            )
        yield (
            "content_block_delta",
            {"index": index, "delta": {"type": "signature_delta", "signature": block["signature"]}},
        )
    elif kind in ("tool_use", "server_tool_use"):
        arguments = json.dumps(block["input"]) if block["input"] else ""
        for fragment in ["", *p.fragments(arguments)]:
            yield (
                "content_block_delta",
                {"index": index, "delta": {"type": "input_json_delta", "partial_json": fragment}},
            )
    yield "content_block_stop", {"index": index}


def stream_events(
    message: dict[str, Any], *, failed: bool = False
) -> Iterator[tuple[str, dict[str, Any]]]:
    usage = message["usage"]
    opening = {
        **message,
        "content": [],
        "stop_reason": None,
        "usage": {**usage, "output_tokens": 1},
    }
    yield "message_start", {"type": "message_start", "message": opening}
    for index, block in enumerate(message["content"]):
        if failed and block["type"] == "text":
            yield (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": index,
                    "content_block": {"type": "text", "text": ""},
                },
            )
            for piece in p.pieces(block["text"])[:3]:
                yield (
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": index,
                        "delta": {"type": "text_delta", "text": piece},
                    },
                )
            yield (
                "error",
                {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            )
            return
        for name, data in _block_events(index, block):
            yield name, {"type": name, **data}
    delta = {"stop_reason": message["stop_reason"], "stop_sequence": None}
    yield (
        "message_delta",
        {
            "type": "message_delta",
            "delta": delta,
            "usage": {"output_tokens": usage["output_tokens"]},
        },
    )
    yield "message_stop", {"type": "message_stop"}
