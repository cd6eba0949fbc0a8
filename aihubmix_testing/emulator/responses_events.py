"""The event grammar of a streamed Responses API reply, from the finished ``Response``:
``response.created``, each output item opened, streamed and done, then
``response.completed`` (or ``response.incomplete``, or ``response.failed`` when a failure
was scripted), every event with its ``sequence_number``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import protocols as p


def _opened(item: dict[str, Any]) -> dict[str, Any]:
    """An item as ``response.output_item.added`` shows it, before its content streams."""
    opened = {**item, "status": "in_progress"}
    if item["type"] == "message":
        opened["content"] = []
    elif item["type"] == "function_call":
        opened["arguments"] = ""
    elif item["type"] == "reasoning":
        opened["summary"] = []
        opened.pop("encrypted_content", None)
    elif item["type"] == "image_generation_call":
        opened.pop("result", None)
    return opened


def _item_events(item: dict[str, Any], index: int) -> Iterator[tuple[str, dict[str, Any]]]:
    at = {"item_id": item["id"], "output_index": index}
    kind = item["type"]
    if kind == "reasoning":
        for number, part in enumerate(item["summary"]):
            yield (
                "response.reasoning_summary_part.added",
                {**at, "summary_index": number, "part": {"type": "summary_text", "text": ""}},
            )
            for piece in p.pieces(part["text"]):
                yield (
                    "response.reasoning_summary_text.delta",
                    {**at, "summary_index": number, "delta": piece},
                )
            yield (
                "response.reasoning_summary_text.done",
                {**at, "summary_index": number, "text": part["text"]},
            )
            yield (
                "response.reasoning_summary_part.done",
                {**at, "summary_index": number, "part": part},
            )
    elif kind == "message":
        part = item["content"][0]
        at = {**at, "content_index": 0}
        yield "response.content_part.added", {**at, "part": {**part, "text": "", "annotations": []}}
        for piece in p.pieces(part["text"]):
            yield "response.output_text.delta", {**at, "delta": piece, "logprobs": []}
        for number, note in enumerate(part["annotations"]):
            yield (
                "response.output_text.annotation.added",
                {**at, "annotation_index": number, "annotation": note},
            )
        yield "response.output_text.done", {**at, "text": part["text"], "logprobs": []}
        yield "response.content_part.done", {**at, "part": part}
    elif kind == "function_call":
        for fragment in p.fragments(item["arguments"]):
            yield "response.function_call_arguments.delta", {**at, "delta": fragment}
        yield "response.function_call_arguments.done", {**at, "arguments": item["arguments"]}
    elif kind == "web_search_call":
        for stage in ("in_progress", "searching", "completed"):
            yield f"response.web_search_call.{stage}", at
    elif kind == "image_generation_call":
        yield "response.image_generation_call.in_progress", at
        yield "response.image_generation_call.generating", at
        yield (
            "response.image_generation_call.partial_image",
            {**at, "partial_image_index": 0, "partial_image_b64": item["result"]},
        )
        yield "response.image_generation_call.completed", at


def stream_events(
    final: dict[str, Any], *, failed: bool = False
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The events of a streamed response, each with its ``sequence_number``."""
    opening = {
        **final,
        "status": "in_progress",
        "output": [],
        "usage": None,
        "incomplete_details": None,
    }

    def events() -> Iterator[tuple[str, dict[str, Any]]]:
        yield "response.created", {"response": opening}
        yield "response.in_progress", {"response": opening}
        for index, item in enumerate(final["output"]):
            yield "response.output_item.added", {"output_index": index, "item": _opened(item)}
            if failed and item["type"] == "message":
                text = item["content"][0]["text"]
                for piece in p.pieces(text)[:3]:
                    yield (
                        "response.output_text.delta",
                        {
                            "item_id": item["id"],
                            "output_index": index,
                            "content_index": 0,
                            "delta": piece,
                        },
                    )
                error = {
                    "code": "server_error",
                    "message": "The upstream model is overloaded; try again.",
                }
                yield (
                    "response.failed",
                    {"response": {**opening, "status": "failed", "error": error}},
                )
                return
            yield from _item_events(item, index)
            yield "response.output_item.done", {"output_index": index, "item": item}
        done = "response.incomplete" if final["status"] == "incomplete" else "response.completed"
        yield done, {"response": final}

    for number, (name, data) in enumerate(events()):
        yield name, {"type": name, "sequence_number": number, **data}
