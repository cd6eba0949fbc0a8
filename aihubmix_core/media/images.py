"""Image generation and editing on ``/images/generations`` and ``/images/edits``. Pure.

Replies come as ``{created, data: [{b64_json, url, revised_prompt}], usage}``; gateways of
this family fill absent values with ``""``, so an image is whichever of ``b64_json`` and
``url`` is non-empty, and a URL is fetched (without the key when it is on another host).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypedDict, cast

from .._http.executor import Call
from ..errors import APIResponseError, EmptyMediaError, InvalidInputError
from .files import IMAGE, IMAGE_TYPES, FileSource, Upload, read_upload, sniff_extension
from .flow import BinaryReply, Fetch, Flow, check_body
from .types import GeneratedImage, ImageResult

__all__ = [
    "DEFAULT_IMAGE_MODEL",
    "EDITS",
    "GENERATIONS",
    "EditOptions",
    "ImageItem",
    "ImageOptions",
    "ImageSize",
    "check_prompt",
    "collect_images",
    "edit_flow",
    "edit_form",
    "generation_payload",
    "image_items",
    "openai_generation_flow",
    "takes_response_format",
]

GENERATIONS = "images/generations"
EDITS = "images/edits"
DEFAULT_IMAGE_MODEL = "gpt-image-1"
_IMAGE_MIME = {**IMAGE_TYPES, "gif": "image/gif"}
_FIELDS = (
    "n",
    "size",
    "quality",
    "background",
    "output_format",
    "output_compression",
    "moderation",
    "style",
    "input_fidelity",
)


ImageSize = Literal["1024x1024", "1536x1024", "1024x1536", "1792x1024", "1024x1792"]
"""Sizes OpenAI's image models take (GPT Image the first three, DALL·E 3 the first and last two)."""


class ImageOptions(TypedDict, total=False):
    """What an image call accepts besides its prompt. Family fields of ``vendor/model`` ids
    (``aspectRatio``, ``safety_tolerance``, ...) go in ``extra_body``."""

    model: str
    n: int | None
    size: str | None
    quality: str | None
    background: str | None
    output_format: str | None
    output_compression: int | None
    moderation: str | None
    style: str | None
    input_fidelity: str | None
    extra_body: Mapping[str, Any] | None
    poll_interval: float
    """Seconds between polls of an asynchronous prediction (FLUX)."""
    timeout: float | None
    """Seconds to wait for an asynchronous prediction before ``JobTimeoutError``."""


class EditOptions(ImageOptions, total=False):
    mask: FileSource | None
    """A PNG whose transparent parts mark where to change the first image."""


@dataclass(frozen=True, slots=True)
class ImageItem:
    """One image in a reply: its base64 bytes or its URL, and what came with it."""

    b64: str | None = None
    url: str | None = None
    revised_prompt: str | None = None
    mime_type: str | None = None


def takes_response_format(model: str) -> bool:
    """DALL·E takes ``response_format="b64_json"``; GPT Image always answers in base64 and
    rejects the parameter; for others the reply says which it is."""
    return model.lower().rsplit("/", 1)[-1].startswith("dall-e")


def _model(options: ImageOptions) -> str:
    model = options.get("model") or DEFAULT_IMAGE_MODEL
    return model.strip()


def check_prompt(prompt: str) -> str:
    if not isinstance(prompt, str) or not prompt.strip():
        raise InvalidInputError("the image prompt is empty: describe the image to make")
    return prompt


def _fields(options: ImageOptions) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    given: Mapping[str, Any] = options
    for name in _FIELDS:
        value = given.get(name)
        if value is not None and not (name == "size" and value == "auto"):
            fields[name] = value  # "auto" is the default, and some upstreams reject it sent
    fields.update(options.get("extra_body") or {})
    return fields


def generation_payload(prompt: str, options: ImageOptions) -> dict[str, Any]:
    model = _model(options)
    payload = {"model": model, "prompt": check_prompt(prompt), **_fields(options)}
    if takes_response_format(model):
        payload.setdefault("response_format", "b64_json")
    return payload


def edit_form(
    prompt: str,
    images: Sequence[Upload],
    mask: Upload | None,
    options: ImageOptions,
) -> tuple[dict[str, Any], list[tuple[str, tuple[str, bytes, str]]]]:
    """The multipart fields and files of an edit: one ``image`` or several ``image[]``."""
    if not images:
        raise InvalidInputError("edit_image needs at least one image to edit")
    data = {"model": _model(options), "prompt": check_prompt(prompt)}
    data.update({k: v if isinstance(v, str) else str(v) for k, v in _fields(options).items()})
    name = "image" if len(images) == 1 else "image[]"
    files = [(name, upload.as_file()) for upload in images]
    if mask is not None:
        files.append(("mask", mask.as_file()))
    return data, files


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def image_items(entries: Iterable[Any], default_mime: str | None = None) -> list[ImageItem]:
    """The OpenAI reply's ``data`` entries as items; ``""`` counts as absent."""
    items = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        items.append(
            ImageItem(
                b64=_text(entry.get("b64_json")),
                url=_text(entry.get("url")),
                revised_prompt=_text(entry.get("revised_prompt")),
                mime_type=default_mime,
            )
        )
    return items


def _decode(b64: str) -> tuple[bytes, str | None]:
    mime = None
    if b64.startswith("data:"):
        header, _, b64 = b64.partition(",")
        mime = header[5:].split(";")[0] or None
    try:
        return base64.b64decode(b64, validate=True), mime
    except (binascii.Error, ValueError):
        raise APIResponseError(
            f"an image in the reply is not valid base64: {b64[:60]!r}", body=b64[:200]
        ) from None


def _mime(data: bytes, *hints: str | None) -> str:
    for hint in hints:
        if hint and hint.startswith("image/"):
            return hint.split(";")[0]
    return _IMAGE_MIME.get(sniff_extension(data) or "", "image/png")


def collect_images(
    items: Sequence[ImageItem], model: str, body: Mapping[str, Any], request_id: str | None
) -> Flow[ImageResult]:
    """Every item as bytes (URLs fetched), or ``EmptyMediaError`` when the reply has none."""
    if not items or any(item.b64 is None and item.url is None for item in items):
        raise EmptyMediaError(
            f"AIHubMix answered the {model} image request with "
            f"{'no images' if not items else 'an image that has neither bytes nor a URL'}. "
            "The upstream may have dropped it: try again, or quote the request id "
            f"{request_id or '(none)'} to AIHubMix support.",
            body=dict(body),
        )
    images = []
    for item in items:
        if item.b64 is not None:
            data, declared = _decode(item.b64)
            mime = _mime(data, declared, item.mime_type)
        else:
            assert item.url is not None
            reply: BinaryReply = yield Fetch(Call("GET", item.url), binary=True)
            data, mime = reply.content, _mime(reply.content, reply.content_type, item.mime_type)
        images.append(GeneratedImage(data, mime, item.revised_prompt, item.url))
    usage = body.get("usage")
    created = body.get("created")
    return ImageResult(
        images=images,
        model=model,
        usage=dict(usage) if isinstance(usage, Mapping) else None,
        created=created if isinstance(created, int) else None,
        request_id=request_id,
    )


def _output_mime(body: Mapping[str, Any]) -> str | None:
    fmt = body.get("output_format")
    return IMAGE_TYPES.get(fmt.lower()) if isinstance(fmt, str) else None


def _openai_images(call: Call, model: str) -> Flow[ImageResult]:
    reply = yield Fetch(call)
    body = check_body(reply.body, reply.request_id)
    data = body.get("data")
    items = image_items(data if isinstance(data, list) else [], _output_mime(body))
    return (yield from collect_images(items, model, body, reply.request_id))


def openai_generation_flow(prompt: str, options: ImageOptions) -> Flow[ImageResult]:
    payload = generation_payload(prompt, options)
    return _openai_images(Call("POST", GENERATIONS, payload), payload["model"])


def edit_flow(
    prompt: str, images: FileSource | Sequence[FileSource], options: EditOptions
) -> Flow[ImageResult]:
    """An edit of one or more images (a path, bytes or file each), with an optional mask."""
    sources = list(images) if isinstance(images, list | tuple) else [cast(FileSource, images)]
    uploads = [read_upload(source, IMAGE) for source in sources]
    mask = options.get("mask")
    data, files = edit_form(
        prompt, uploads, None if mask is None else read_upload(mask, IMAGE), options
    )
    return _openai_images(Call("POST", EDITS, data=data, files=files), data["model"])
