"""The unified predictions route for image families other than OpenAI's. Pure.

``vendor/model`` ids (``bfl/flux-2-pro``, ``google/imagen-4.0-...``, ``ideogram/V3``, ...)
go to ``POST /models/{vendor}/{model}/predictions`` with ``{"input": {"prompt": ...}}``.
Replies differ by family: base64 under ``output`` (as ``b64_json: [{bytesBase64}]`` or a
list), URLs (``output.urls``, ``data[].url``, ``images``), or, for asynchronous families,
``output: [{polling_url, taskId}]`` to poll until the task is ready.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from .._http.executor import Call
from .flow import Fetch, Flow, check_body
from .images import ImageItem, ImageOptions, check_prompt, collect_images
from .polling import Polled, PollSchedule, job_state, poll_until_done
from .types import ImageResult

__all__ = [
    "PendingPrediction",
    "is_prediction_model",
    "prediction_flow",
    "prediction_items",
    "prediction_path",
    "prediction_payload",
]

_B64_KEYS = ("b64_json", "bytesBase64Encoded", "bytesBase64", "base64", "b64", "image_base64")
_URL_KEYS = ("url", "image_url", "sample", "imageUrl")
_CONTAINERS = ("output", "data", "images", "urls", "result", "results", "b64_json", "predictions")
_MIME_KEYS = ("mimeType", "mime_type", "content_type")


def is_prediction_model(model: str) -> bool:
    """A ``vendor/model`` id, served by the predictions route."""
    vendor, slash, name = model.strip().strip("/").partition("/")
    return bool(vendor and slash and name)


def prediction_path(model: str) -> str:
    vendor, _, name = model.strip().strip("/").partition("/")
    return f"models/{quote(vendor, safe='')}/{quote(name, safe='/')}/predictions"


def prediction_payload(prompt: str, options: ImageOptions) -> dict[str, Any]:
    """``{"input": {"prompt", ...}}``: ``n`` and ``size`` when given, family fields from
    ``extra_body``."""
    fields: dict[str, Any] = {"prompt": check_prompt(prompt)}
    for name in ("n", "size"):
        if options.get(name) is not None:
            fields[name] = options.get(name)
    fields.update(options.get("extra_body") or {})
    return {"input": fields}


class PendingPrediction:
    """An asynchronous prediction: where to poll it."""

    __slots__ = ("polling_url", "task_id")

    def __init__(self, polling_url: str, task_id: str) -> None:
        self.polling_url = polling_url
        self.task_id = task_id


def _first(entry: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _string_item(value: str) -> ImageItem | None:
    if not value.strip():
        return None
    if value.startswith(("http://", "https://")):
        return ImageItem(url=value)
    return ImageItem(b64=value)


def prediction_items(value: Any, depth: int = 0) -> list[ImageItem | PendingPrediction]:
    """Every image or pending task in a reply, whatever the family's shape."""
    if depth > 4:
        return []
    if isinstance(value, str):
        item = _string_item(value)
        return [] if item is None else [item]
    if isinstance(value, list):
        return [found for entry in value for found in prediction_items(entry, depth + 1)]
    if not isinstance(value, Mapping):
        return []
    polling_url = _first(value, ("polling_url", "pollingUrl"))
    if polling_url is not None:
        task = _first(value, ("taskId", "task_id", "id")) or polling_url
        return [PendingPrediction(polling_url, task)]
    b64, url = _first(value, _B64_KEYS), _first(value, _URL_KEYS)
    if b64 is not None or url is not None:
        revised = _first(value, ("revised_prompt", "prompt", "enhancedPrompt"))
        return [ImageItem(b64, None if b64 else url, revised, _first(value, _MIME_KEYS))]
    return [
        found
        for key in _CONTAINERS
        if key in value
        for found in prediction_items(value[key], depth + 1)
    ]


def _poll_parser(task_id: str) -> Callable[[object], Polled[list[ImageItem]]]:
    def parse(reply: Any) -> Polled[list[ImageItem]]:
        body = reply.body if isinstance(reply.body, Mapping) else {}
        if "status" not in body:  # no task at all: an error reply, or the images themselves
            body = check_body(reply.body, reply.request_id)
        status = str(body.get("status") or "pending")
        found = prediction_items(body.get("result") if "result" in body else body)
        items = [item for item in found if isinstance(item, ImageItem)]
        state = job_state(status)
        if state == "running" and items and "status" not in body:
            state = "succeeded"  # a poll answered with the images themselves
        reason = _first(body, ("error", "details", "message", "reason"))
        return Polled(items, task_id, status, state, reason=reason)

    return parse


def prediction_flow(prompt: str, options: ImageOptions) -> Flow[ImageResult]:
    model = (options.get("model") or "").strip()
    call = Call("POST", prediction_path(model), prediction_payload(prompt, options))
    schedule = PollSchedule(options.get("poll_interval", 2.0), options.get("timeout", 300.0))
    return _prediction(call, model, schedule)


def _prediction(call: Call, model: str, schedule: PollSchedule) -> Flow[ImageResult]:
    reply = yield Fetch(call)
    body = check_body(reply.body, reply.request_id)
    found = prediction_items(body)
    items = [item for item in found if isinstance(item, ImageItem)]
    for pending in (item for item in found if isinstance(item, PendingPrediction)):
        items += yield from poll_until_done(
            Fetch(Call("GET", pending.polling_url)),
            _poll_parser(pending.task_id),
            schedule,
            what=f"{model} image task",
            resume=f"fetch the result later from {pending.polling_url}",
        )
    return (yield from collect_images(items, model, body, reply.request_id))
