"""Per-chunk cost of a stream on each route: chat completions, the Responses API and
Anthropic Messages, through the core client and through ``ChatAIHubMix``.

The three streams carry the same text in the same number of text deltas, each event its
own HTTP chunk, in the shapes each protocol really sends (an OpenAI chunk with its usual
fields; ``response.output_text.delta`` with item id, indices, logprobs and sequence
number; ``content_block_delta`` with a ``text_delta``). They are served from memory by an
``httpx.MockTransport``, so the figure is the client's work per chunk: transport, SSE
decoding, JSON, the route's accumulator and the delta handed on. The target: Responses
and Messages within 1.5x of chat, per chunk.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from .replies import sse_body

__all__ = ["LIMIT", "RouteResults", "measure", "page"]

ROUTES = ("chat", "responses", "messages")
MODELS = {"chat": "gpt-4o-mini", "responses": "gpt-4o-mini", "messages": "claude-sonnet-4-5"}
LIMIT = 1.5
"""Responses and Messages may cost at most this multiple of chat, per chunk."""
_WORDS = ("The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".")
_KEY = "sk-bench-0000000000000000"


def _event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def _responses(n: int) -> list[bytes]:
    item = {
        "id": "msg_0",
        "type": "message",
        "status": "in_progress",
        "role": "assistant",
        "content": [],
    }
    head = {
        "id": "resp_0",
        "object": "response",
        "model": MODELS["responses"],
        "status": "in_progress",
        "output": [],
    }
    at = {"item_id": "msg_0", "output_index": 0, "content_index": 0}
    events = [
        _event(
            "response.created", {"type": "response.created", "sequence_number": 0, "response": head}
        ),
        _event(
            "response.output_item.added",
            {
                "type": "response.output_item.added",
                "sequence_number": 1,
                "output_index": 0,
                "item": item,
            },
        ),
    ]
    for i in range(n):
        delta = {
            "type": "response.output_text.delta",
            "sequence_number": i + 2,
            **at,
            "delta": _WORDS[i % 10],
            "logprobs": [],
        }
        events.append(_event("response.output_text.delta", delta))
    text = "".join(_WORDS[i % 10] for i in range(n))
    done = {
        **item,
        "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }
    usage = {"input_tokens": 16, "output_tokens": n, "total_tokens": 16 + n}
    events.append(
        _event(
            "response.output_item.done",
            {
                "type": "response.output_item.done",
                "sequence_number": n + 2,
                "output_index": 0,
                "item": done,
            },
        )
    )
    final = {**head, "status": "completed", "output": [done], "usage": usage}
    events.append(
        _event(
            "response.completed",
            {"type": "response.completed", "sequence_number": n + 3, "response": final},
        )
    )
    return events


def _messages(n: int) -> list[bytes]:
    start = {
        "id": "msg_0",
        "type": "message",
        "role": "assistant",
        "model": MODELS["messages"],
        "content": [],
        "stop_reason": None,
        "usage": {"input_tokens": 16, "output_tokens": 1},
    }
    events = [
        _event("message_start", {"type": "message_start", "message": start}),
        _event(
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        _event("ping", {"type": "ping"}),
    ]
    for i in range(n):
        delta = {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "text_delta", "text": _WORDS[i % 10]},
        }
        events.append(_event("content_block_delta", delta))
    events.append(_event("content_block_stop", {"type": "content_block_stop", "index": 0}))
    stop = {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
        "usage": {"output_tokens": n},
    }
    events.append(_event("message_delta", stop))
    events.append(_event("message_stop", {"type": "message_stop"}))
    return events


def _chat(n: int) -> list[bytes]:
    """The benchmark server's own chat stream, its HTTP chunk framing taken off."""
    raw = sse_body(f"{MODELS['chat']}-{n}", True)
    parts, position = [], 0
    while True:
        end = raw.index(b"\r\n", position)
        size = int(raw[position:end], 16)
        if size == 0:
            return parts
        parts.append(raw[end + 2 : end + 2 + size])
        position = end + 4 + size


BODIES: dict[str, Callable[[int], list[bytes]]] = {
    "chat": _chat,
    "responses": _responses,
    "messages": _messages,
}


def _transport(parts: list[bytes]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, content=iter(parts)
        )

    return httpx.MockTransport(handler)


def _core(route: str, parts: list[bytes]) -> Callable[[], int]:
    from aihubmix_core import AIHubMixClient, ChatRequest, Message

    client = AIHubMixClient(
        api_key=_KEY, max_retries=0, http_client=httpx.Client(transport=_transport(parts))
    )
    request = ChatRequest(
        model=MODELS[route], messages=[Message("user", "Write about foxes.")], route=route
    )
    return lambda: sum(1 for delta in client.stream_chat(request) if delta.content)


def _langchain(route: str, parts: list[bytes]) -> Callable[[], int]:
    from langchain_aihubmix import ChatAIHubMix

    model = ChatAIHubMix(
        model=MODELS[route],
        api_key=_KEY,
        max_retries=0,
        route=route,
        http_client=httpx.Client(transport=_transport(parts)),
    )
    return lambda: sum(1 for chunk in model.stream("Write about foxes.") if chunk.content)


LAYERS: dict[str, Callable[[str, list[bytes]], Callable[[], int]]] = {
    "core client": _core,
    "ChatAIHubMix": _langchain,
}


@dataclass
class RouteResults:
    chunks: int
    rounds: int
    seconds: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """layer -> route -> CPU seconds per chunk, one figure per round."""

    def per_chunk(self, layer: str, route: str) -> float:
        return statistics.median(self.seconds[layer][route])

    def ratio(self, layer: str, route: str) -> float:
        """Median over rounds of route / chat in the same round."""
        pairs = zip(self.seconds[layer][route], self.seconds[layer]["chat"], strict=True)
        return statistics.median(a / b for a, b in pairs)

    def failures(self) -> list[str]:
        return [
            f"{layer}, {route}: {self.ratio(layer, route):.2f}x chat per chunk (limit {LIMIT}x)"
            for layer in self.seconds
            for route in ROUTES[1:]
            if self.ratio(layer, route) > LIMIT
        ]


def measure(chunks: int, rounds: int) -> RouteResults:
    """Every layer and route once per round, in a rotating order."""
    results = RouteResults(chunks, rounds)
    runs = {
        (layer, route): build(route, BODIES[route](chunks))
        for layer, build in LAYERS.items()
        for route in ROUTES
    }
    for run in runs.values():
        run()  # warm up: imports, pools, caches
    order = list(runs)
    for number in range(rounds):
        for key in order[number % len(order) :] + order[: number % len(order)]:
            started = time.process_time()
            seen = runs[key]()
            spent = time.process_time() - started
            if seen != chunks:
                raise RuntimeError(f"{key}: {seen} text chunks, expected {chunks}")
            results.seconds.setdefault(key[0], {}).setdefault(key[1], []).append(spent / chunks)
    return results


def page(results: RouteResults, command: str) -> str:
    """The Markdown page: a table of microseconds per chunk and the multiple of chat."""
    lines = [
        "# Benchmarks: the stream path of each route",
        "",
        __doc__.split("\n\n", 1)[1].strip() if __doc__ else "",
        "",
        f"{results.chunks} text chunks per stream, median of {results.rounds} rounds, CPU time of "
        f"this process. Command: `{command}`. Python {sys.version.split()[0]}.",
        "",
        "| layer | " + " | ".join(ROUTES) + " |",
        "| --- |" + " --- |" * len(ROUTES),
    ]
    for layer in results.seconds:
        cells = [
            f"{results.per_chunk(layer, route) * 1e6:.1f} µs"
            + ("" if route == "chat" else f" ({results.ratio(layer, route):.2f}x)")
            for route in ROUTES
        ]
        lines.append(f"| {layer} | " + " | ".join(cells) + " |")
    failures = results.failures()
    verdict = "met" if not failures else "missed: " + "; ".join(failures)
    lines += [
        "",
        f"Target (Responses and Messages within {LIMIT}x of chat, per chunk): {verdict}.",
        "",
    ]
    return "\n".join(lines)


def run(chunks: int, rounds: int, out: Path, command: str) -> RouteResults:
    results = measure(chunks, rounds)
    (out / "benchmarks-routes.md").write_text(page(results, command), encoding="utf-8")
    return results


def lines(results: RouteResults) -> Iterator[str]:
    for layer in results.seconds:
        for route in ROUTES:
            yield f"{layer:>12} {route:>9}: {results.per_chunk(layer, route) * 1e6:7.1f} µs/chunk ({results.ratio(layer, route):.2f}x chat)"
