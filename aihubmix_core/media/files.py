"""What a caller uploads (audio to transcribe, images to edit): a path, bytes or an open
file, checked and named before any request.

The gateway needs a real extension in the uploaded file name (``audio.mp3``), so a name
without one gets the extension its bytes show, and a format the endpoint does not take,
or a file over its size limit, fails here with the accepted formats named.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import FileTooLargeError, InvalidInputError, UnsupportedFormatError

__all__ = [
    "AUDIO",
    "AUDIO_TYPES",
    "IMAGE",
    "IMAGE_TYPES",
    "MAX_AUDIO_BYTES",
    "FileSource",
    "Upload",
    "UploadRules",
    "extension_for",
    "read_upload",
    "sniff_extension",
]

FileSource = str | os.PathLike[str] | bytes | bytearray | IO[bytes]
"""A file to upload: a path, its bytes, or a file opened in binary mode."""

MAX_AUDIO_BYTES = 25 * 1024 * 1024
"""The transcription endpoints' limit per file."""

AUDIO_TYPES: Mapping[str, str] = {
    "flac": "audio/flac",
    "m4a": "audio/mp4",
    "mp3": "audio/mpeg",
    "mp4": "audio/mp4",
    "mpeg": "audio/mpeg",
    "mpga": "audio/mpeg",
    "oga": "audio/ogg",
    "ogg": "audio/ogg",
    "wav": "audio/wav",
    "webm": "audio/webm",
}
IMAGE_TYPES: Mapping[str, str] = {
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
_MEDIA_EXTENSIONS = {
    "audio/aac": "aac",
    "audio/flac": "flac",
    "audio/mpeg": "mp3",
    "audio/opus": "opus",
    "audio/pcm": "pcm",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "image/gif": "gif",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "video/mp4": "mp4",
}
# (offset, magic bytes, extension); checked in order.
_SIGNATURES = (
    (0, b"\x89PNG\r\n\x1a\n", "png"),
    (0, b"\xff\xd8\xff", "jpg"),
    (8, b"WEBP", "webp"),
    (8, b"WAVE", "wav"),
    (0, b"ID3", "mp3"),
    (0, b"\xff\xfb", "mp3"),
    (0, b"\xff\xf3", "mp3"),
    (0, b"\xff\xf2", "mp3"),
    (0, b"OggS", "ogg"),
    (0, b"fLaC", "flac"),
    (0, b"\x1a\x45\xdf\xa3", "webm"),
    (8, b"M4A ", "m4a"),
    (4, b"ftyp", "mp4"),
    (0, b"GIF8", "gif"),
)


def sniff_extension(data: bytes) -> str | None:
    """The file type its first bytes show (png, jpg, webp, wav, mp3, ogg, flac, webm, m4a,
    mp4, gif), or ``None``."""
    for offset, magic, extension in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return extension
    return None


def extension_for(mime_type: str, data: bytes = b"") -> str:
    """A file extension for media of this type (its bytes decide when the type is vague)."""
    known = _MEDIA_EXTENSIONS.get(mime_type.split(";")[0].strip().lower())
    return known or sniff_extension(data) or "bin"


@dataclass(frozen=True, slots=True)
class UploadRules:
    """What one endpoint accepts: its formats (extension to MIME type) and size limit."""

    kind: str
    types: Mapping[str, str]
    max_bytes: int | None

    def accepted(self) -> str:
        return ", ".join(sorted(self.types))


AUDIO = UploadRules("audio", AUDIO_TYPES, MAX_AUDIO_BYTES)
IMAGE = UploadRules("image", IMAGE_TYPES, None)


@dataclass(frozen=True, slots=True)
class Upload:
    """One file ready for a multipart body: a name with a real extension, bytes, MIME type."""

    name: str
    data: bytes
    mime_type: str

    def as_file(self) -> tuple[str, bytes, str]:
        return (self.name, self.data, self.mime_type)


def _too_large(rules: UploadRules, size: int, label: str) -> FileTooLargeError:
    limit = rules.max_bytes or 0
    return FileTooLargeError(
        f"{label} is {size / 1_048_576:.1f} MB; the {rules.kind} endpoint takes at most "
        f"{limit / 1_048_576:.0f} MB per file. Split it, or compress it (mp3, or opus in ogg)."
    )


def _read(source: FileSource, rules: UploadRules) -> tuple[str | None, bytes]:
    if isinstance(source, bytes | bytearray):
        return None, bytes(source)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InvalidInputError(f"no {rules.kind} file at {str(path)!r}")
        size = path.stat().st_size
        if rules.max_bytes is not None and size > rules.max_bytes:
            raise _too_large(rules, size, path.name)
        return path.name, path.read_bytes()
    name: Any = getattr(source, "name", None)
    data = source.read()
    if not isinstance(data, bytes):
        raise InvalidInputError(
            f"the {rules.kind} file object gave {type(data).__name__}, not bytes: open it in binary mode ('rb')"
        )
    return (os.path.basename(name) if isinstance(name, str) else None), data


def read_upload(source: FileSource, rules: UploadRules, *, filename: str | None = None) -> Upload:
    """``source`` read and checked against ``rules``; ``filename`` names bytes or overrides
    the file's own name. Raises before any request when the file cannot be sent."""
    own_name, data = _read(source, rules)
    name = filename or own_name
    label = repr(name) if name else f"the {rules.kind} data"
    if not data:
        raise InvalidInputError(f"{label} is empty")
    if rules.max_bytes is not None and len(data) > rules.max_bytes:
        raise _too_large(rules, len(data), label)
    stem, dot, extension = (name or "").rpartition(".")
    extension = extension.lower() if dot else ""
    if not extension:
        stem = name or rules.kind
        extension = sniff_extension(data) or ""
        if extension not in rules.types:
            raise UnsupportedFormatError(
                f"cannot tell the format of {label} (no file extension, unknown content); the "
                f"{rules.kind} endpoint takes {rules.accepted()}: pass filename='name.ext'."
            )
    if extension not in rules.types:
        raise UnsupportedFormatError(
            f"{label} is .{extension}, which the {rules.kind} endpoint does not take; it takes "
            f"{rules.accepted()}. Convert the file, or pass filename= with its real extension."
        )
    return Upload(f"{stem}.{extension}", data, rules.types[extension])
