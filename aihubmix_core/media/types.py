"""What the media routes return: images, speech, transcripts, rerank scores, video jobs.

Plain dataclasses holding bytes and their MIME type; ``save`` writes the bytes out.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .files import extension_for

__all__ = [
    "GeneratedImage",
    "ImageResult",
    "JobState",
    "RerankResult",
    "SpeechResult",
    "Transcription",
    "TranscriptionSegment",
    "Video",
    "VideoJob",
]

JobState = Literal["running", "succeeded", "failed"]


class _Media:
    """Bytes with a MIME type, and a way to write them to a file."""

    __slots__ = ()
    data: bytes
    mime_type: str

    @property
    def extension(self) -> str:
        """The file extension for these bytes (``png``, ``mp3``, ``mp4``, ...)."""
        return extension_for(self.mime_type, self.data)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the bytes to ``path`` (folders made as needed); a folder gets ``<stem>.<ext>``
        inside it. Returns the file written."""
        target = Path(path)
        if target.is_dir():
            target = target / f"{self._stem()}.{self.extension}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.data)
        return target

    def _stem(self) -> str:
        return type(self).__name__.lower()

    def base64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")

    def data_url(self) -> str:
        return f"data:{self.mime_type};base64,{self.base64()}"


@dataclass(slots=True)
class GeneratedImage(_Media):
    data: bytes
    mime_type: str = "image/png"
    revised_prompt: str | None = None
    url: str | None = None
    """Where the bytes were fetched from, when the reply gave a URL rather than bytes."""


@dataclass(slots=True)
class ImageResult:
    images: list[GeneratedImage]
    model: str
    usage: dict[str, Any] | None = None
    created: int | None = None
    request_id: str | None = None


@dataclass(slots=True)
class SpeechResult(_Media):
    data: bytes
    mime_type: str
    model: str = ""
    voice: str = ""


@dataclass(slots=True)
class TranscriptionSegment:
    id: int
    start: float
    end: float
    text: str


@dataclass(slots=True)
class Transcription:
    """A transcript; ``language``, ``duration`` and ``segments`` come with
    ``response_format="verbose_json"``."""

    text: str
    model: str = ""
    language: str | None = None
    duration: float | None = None
    segments: list[TranscriptionSegment] = field(default_factory=list)
    usage: dict[str, Any] | None = None
    response_format: str = "json"

    def metadata(self) -> dict[str, Any]:
        """Plain values for a document's metadata: model, and language, duration and
        segments (as dicts) when the reply had them."""
        found: dict[str, Any] = {"model": self.model}
        if self.language is not None:
            found["language"] = self.language
        if self.duration is not None:
            found["duration"] = self.duration
        if self.segments:
            found["segments"] = [
                {"id": s.id, "start": s.start, "end": s.end, "text": s.text} for s in self.segments
            ]
        return found


@dataclass(slots=True)
class RerankResult:
    """One document's score; ``index`` is its position in the documents given."""

    index: int
    relevance_score: float
    document: str | None = None


@dataclass(slots=True)
class VideoJob:
    id: str
    status: str
    state: JobState
    model: str | None = None
    progress: float | None = None
    """Percent done, when the gateway says."""
    error: str | None = None
    """Why the job failed, when it did and the gateway said."""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Video(_Media):
    data: bytes
    mime_type: str
    job: VideoJob

    def _stem(self) -> str:
        return f"video-{self.job.id}"
