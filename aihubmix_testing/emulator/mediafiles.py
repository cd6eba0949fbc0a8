"""Small, valid media files made from a seed, for the emulator's media routes.

Pictures are PNGs whose colours come from the prompt; speech is a WAV (or MP3 frames)
that carries its text in a tag, so transcribing the emulator's own speech gives the text
back; videos are a minimal MP4 header with a payload. Deterministic, standard library only.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
import zlib

__all__ = ["mp3", "mp4", "multipart", "png", "spoken_text", "wav", "wav_seconds"]

_TEXT_TAG = b"TXXX"
_SAMPLE_RATE = 8000


def png(seed: str, size: int = 16) -> bytes:
    """A ``size`` x ``size`` RGB PNG: a diagonal gradient between two colours from ``seed``."""
    digest = hashlib.sha256(seed.encode()).digest()
    first, second = digest[:3], digest[3:6]

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            mix = (x + y) / (2 * size - 2)
            rows.extend(round(a + (b - a) * mix) for a, b in zip(first, second, strict=True))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows)))
        + chunk(b"IEND", b"")
    )


def _seconds_for(text: str, speed: float) -> float:
    return min(6.0, max(0.5, len(text.split()) * 0.35 / max(speed, 0.25)))


def wav(text: str, speed: float = 1.0) -> bytes:
    """A mono 8 kHz 16-bit WAV of a soft tone, as long as reading ``text`` aloud, with the
    text in a ``TXXX`` chunk."""
    frames = int(_seconds_for(text, speed) * _SAMPLE_RATE)
    samples = b"".join(
        struct.pack("<h", int(3000 * math.sin(2 * math.pi * 220 * i / _SAMPLE_RATE)))
        for i in range(frames)
    )
    tag = text.encode()
    tag_chunk = _TEXT_TAG + struct.pack("<I", len(tag)) + tag + (b"\x00" if len(tag) % 2 else b"")
    fmt = struct.pack("<HHIIHH", 1, 1, _SAMPLE_RATE, _SAMPLE_RATE * 2, 2, 16)
    body = (
        b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + tag_chunk
        + b"data"
        + struct.pack("<I", len(samples))
        + samples
    )
    return b"RIFF" + struct.pack("<I", len(body)) + body


def mp3(text: str, speed: float = 1.0) -> bytes:
    """An ID3v2 tag holding ``text`` (a TXXX frame), then silent MPEG-1 layer III frames."""
    payload = b"\x03spoken\x00" + text.encode()
    frame = _TEXT_TAG + struct.pack(">I", len(payload)) + b"\x00\x00" + payload
    size = len(frame)
    synchsafe = bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
    tag = b"ID3\x03\x00\x00" + synchsafe + frame
    silent = b"\xff\xfb\x90\x64" + bytes(413)  # 128 kbit/s, 44.1 kHz: 417 bytes a frame
    return tag + silent * int(_seconds_for(text, speed) * 38.28)


def spoken_text(audio: bytes) -> str | None:
    """The text this module put in a WAV or MP3 it made, if it did."""
    if audio.startswith(b"ID3"):
        match = re.search(rb"TXXX.{6}\x03spoken\x00", audio[:4096], re.S)
        if match:
            size = struct.unpack(">I", audio[match.start() + 4 : match.start() + 8])[0]
            return audio[match.end() : match.start() + 10 + size].decode("utf-8", "replace")
    at = audio.find(_TEXT_TAG, 12, 200)
    if audio.startswith(b"RIFF") and at >= 0:
        size = struct.unpack("<I", audio[at + 4 : at + 8])[0]
        return audio[at + 8 : at + 8 + size].decode("utf-8", "replace")
    return None


def wav_seconds(audio: bytes) -> float | None:
    """The length of a PCM WAV, from its header."""
    if not (audio.startswith(b"RIFF") and audio[8:12] == b"WAVE"):
        return None
    at = audio.find(b"fmt ")
    data = audio.find(b"data")
    if at < 0 or data < 0:
        return None
    channels, rate, _, _, bits = struct.unpack("<HIIHH", audio[at + 10 : at + 24])
    size = struct.unpack("<I", audio[data + 4 : data + 8])[0]
    return round(size / (rate * channels * bits / 8), 3) if rate and channels and bits else None


def mp4(seed: str) -> bytes:
    """An ``ftyp`` box and an ``mdat`` box: enough for a file to look like an MP4."""
    ftyp = b"ftypmp42" + b"\x00\x00\x00\x00" + b"mp42isom"
    mdat = b"mdat" + hashlib.sha256(seed.encode()).digest() * 32
    return struct.pack(">I", len(ftyp) + 4) + ftyp + struct.pack(">I", len(mdat) + 4) + mdat


def multipart(content_type: str, body: bytes) -> dict[str, list[tuple[str | None, bytes]]]:
    """A multipart/form-data body as ``{field: [(filename or None, bytes), ...]}``."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        return {}
    fields: dict[str, list[tuple[str | None, bytes]]] = {}
    for part in body.split(b"--" + match.group(1).encode())[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.partition(b"\r\n\r\n")
        disposition = head.decode("utf-8", "replace")
        name = re.search(r'name="([^"]*)"', disposition)
        filename = re.search(r'filename="([^"]*)"', disposition)
        if name:
            fields.setdefault(name.group(1), []).append(
                (filename.group(1) if filename else None, content.removesuffix(b"\r\n"))
            )
    return fields
