"""Transcription and translation on ``/audio/transcriptions`` and ``/audio/translations``.
Pure: the multipart form, and the reply in each ``response_format`` as a ``Transcription``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from ..errors import APIResponseError, UnsupportedFormatError
from .files import AUDIO, FileSource, Upload, read_upload
from .flow import BinaryReply, check_body
from .types import Transcription, TranscriptionSegment

__all__ = [
    "DEFAULT_TRANSCRIPTION_MODEL",
    "TRANSCRIPTIONS",
    "TRANSCRIPT_FORMATS",
    "TRANSLATIONS",
    "TranscribeOptions",
    "parse_transcription",
    "transcription_form",
]

TRANSCRIPTIONS = "audio/transcriptions"
TRANSLATIONS = "audio/translations"
DEFAULT_TRANSCRIPTION_MODEL = "whisper-1"
TRANSCRIPT_FORMATS = ("json", "text", "srt", "verbose_json", "vtt")


class TranscribeOptions(TypedDict, total=False):
    """What a transcription accepts besides the audio."""

    model: str
    language: str | None
    prompt: str | None
    response_format: str
    temperature: float | None
    timestamp_granularities: Sequence[str] | None
    filename: str | None
    """The uploaded name, for bytes or a file whose own name lacks the real extension."""
    translate: bool
    """Transcribe into English (``/audio/translations``) whatever the language spoken."""
    extra_body: Mapping[str, Any] | None


def transcription_form(
    audio: FileSource, options: TranscribeOptions
) -> tuple[dict[str, Any], list[tuple[str, tuple[str, bytes, str]]]]:
    """The multipart fields and the file; the audio is read and checked first."""
    fmt = options.get("response_format") or "json"
    if fmt not in TRANSCRIPT_FORMATS:
        raise UnsupportedFormatError(
            f"response_format {fmt!r} is not a transcript format; use one of {', '.join(TRANSCRIPT_FORMATS)}"
        )
    upload: Upload = read_upload(audio, AUDIO, filename=options.get("filename"))
    data: dict[str, Any] = {
        "model": options.get("model") or DEFAULT_TRANSCRIPTION_MODEL,
        "response_format": fmt,
    }
    for name in ("language", "prompt", "temperature"):
        value = options.get(name)
        if value is not None:
            data[name] = str(value)
    granularities = options.get("timestamp_granularities")
    if granularities:
        data["timestamp_granularities[]"] = list(granularities)
    data.update({k: str(v) for k, v in (options.get("extra_body") or {}).items()})
    return data, [("file", upload.as_file())]


def _float(value: Any) -> float | None:
    try:
        return None if value is None or isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None


def _segments(raw: Any) -> list[TranscriptionSegment]:
    segments = []
    for position, entry in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(entry, Mapping):
            segments.append(
                TranscriptionSegment(
                    id=entry["id"] if isinstance(entry.get("id"), int) else position,
                    start=_float(entry.get("start")) or 0.0,
                    end=_float(entry.get("end")) or 0.0,
                    text=str(entry.get("text") or "").strip(),
                )
            )
    return segments


def parse_transcription(reply: BinaryReply, form: Mapping[str, Any]) -> Transcription:
    """The transcript from a reply in the form's ``response_format``: JSON for json and
    verbose_json, the text itself (plain, SRT or WebVTT) for the others."""
    fmt, model = form["response_format"], form["model"]
    text = reply.content.decode("utf-8", "replace")
    if fmt not in ("json", "verbose_json") and not text.lstrip().startswith("{"):
        return Transcription(text=text.strip(), model=model, response_format=fmt)
    try:
        body = check_body(json.loads(text), reply.request_id)
    except ValueError:
        raise APIResponseError(
            f"AIHubMix answered a {fmt} transcription with a body that is not JSON: {text[:120]!r}",
            body=text[:500],
        ) from None
    if not isinstance(body.get("text"), str):
        raise APIResponseError("AIHubMix returned a transcription without text", body=dict(body))
    usage = body.get("usage")
    return Transcription(
        text=body["text"].strip(),
        model=model,
        language=body.get("language") if isinstance(body.get("language"), str) else None,
        duration=_float(body.get("duration")),
        segments=_segments(body.get("segments")),
        usage=dict(usage) if isinstance(usage, Mapping) else None,
        response_format=fmt,
    )
