"""The emulator's audio routes: speech synthesis and transcription (or translation).

Speech is a WAV or MP3 from ``mediafiles`` that carries its text, so transcribing it gives
the text back; other audio gets a fixed sentence. The gateway's rules are enforced: a real
audio extension in the uploaded name, at most 25 MB, a known voice and format.
"""

from __future__ import annotations

from typing import Any

from . import mediafiles as files
from .brain import ApiError, gateway_error, json_body
from .media_reply import MediaReply

__all__ = ["speech", "transcription"]

VOICES = {
    "alloy",
    "ash",
    "ballad",
    "cedar",
    "coral",
    "echo",
    "fable",
    "marin",
    "nova",
    "onyx",
    "sage",
    "shimmer",
    "verse",
}
FORMATS = {
    "mp3": "audio/mpeg",
    "opus": "audio/opus",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}
EXTENSIONS = ("flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm")
LIMIT = 25 * 1024 * 1024
UNKNOWN_AUDIO_TEXT = "This is a short test recording for the AIHubMix emulator."


def speech(path: str, headers: Any, raw: bytes, cdn: str, seed: str) -> MediaReply:
    body = json_body(raw, seed)
    text, voice = body.get("input"), str(body.get("voice") or "")
    fmt = body.get("response_format") or "mp3"
    if not isinstance(text, str) or not text.strip():
        raise gateway_error(400, "input is required", seed)
    if len(text) > 4096:
        raise gateway_error(400, "text_too_long: input must be at most 4096 characters", seed)
    if str(body.get("model", "")).startswith(("tts-1", "gpt-4o")) and voice.lower() not in VOICES:
        raise gateway_error(400, f"Invalid voice {voice!r}", seed)
    if fmt not in FORMATS:
        raise gateway_error(400, f"Invalid response_format {fmt!r}", seed)
    speed = float(body.get("speed") or 1.0)
    audio = files.mp3(text, speed) if fmt == "mp3" else files.wav(text, speed)
    if fmt == "pcm":
        audio = audio[audio.find(b"data") + 8 :]
    return MediaReply(200, audio, FORMATS[fmt], chunked=True)


def _segments(text: str, seconds: float) -> list[dict[str, Any]]:
    parts = [
        p.strip() + "." for p in text.replace("!", ".").replace("?", ".").split(".") if p.strip()
    ]
    total = sum(len(p) for p in parts) or 1
    segments, start = [], 0.0
    for i, part in enumerate(parts):
        end = round(start + seconds * len(part) / total, 2)
        segments.append(
            {
                "id": i,
                "seek": 0,
                "start": round(start, 2),
                "end": end,
                "text": " " + part,
                "temperature": 0.0,
                "avg_logprob": -0.2,
                "compression_ratio": 1.1,
                "no_speech_prob": 0.01,
                "tokens": [],
            }
        )
        start = end
    return segments


def _timestamp(seconds: float, sep: str) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}{sep}{int(seconds % 1 * 1000):03d}"


def _captions(segments: list[dict[str, Any]], vtt: bool) -> str:
    sep = "." if vtt else ","
    blocks = [
        ("" if vtt else f"{i + 1}\n")
        + f"{_timestamp(s['start'], sep)} --> {_timestamp(s['end'], sep)}\n{s['text'].strip()}\n"
        for i, s in enumerate(segments)
    ]
    return ("WEBVTT\n\n" if vtt else "") + "\n".join(blocks)


def transcription(path: str, headers: Any, raw: bytes, cdn: str, seed: str) -> MediaReply:
    form = files.multipart(headers.get("Content-Type", ""), raw)
    uploaded = form.get("file") or []
    if not uploaded:
        raise gateway_error(400, "file is required", seed)
    name, audio = uploaded[0]
    if not name or not name.lower().endswith(tuple("." + e for e in EXTENSIONS)):
        raise gateway_error(
            400, f"Invalid file format. Supported formats: {list(EXTENSIONS)}", seed
        )
    if len(audio) > LIMIT:
        raise ApiError(
            413,
            {
                "error": {
                    "message": "Maximum content size limit (26214400) exceeded",
                    "type": "invalid_request_error",
                }
            },
        )
    field = {key: values[0][1].decode() for key, values in form.items() if key != "file"}
    fmt = field.get("response_format", "json")
    text = files.spoken_text(audio) or UNKNOWN_AUDIO_TEXT
    seconds = files.wav_seconds(audio) or round(len(text.split()) * 0.35, 2)
    translating = path.endswith("translations")
    language = (
        "english"
        if translating
        else {"zh": "chinese", "fr": "french"}.get(field.get("language", ""), "english")
    )
    segments = _segments(text, seconds)
    if fmt == "text":
        return MediaReply(200, (text + "\n").encode(), "text/plain; charset=utf-8")
    if fmt in ("srt", "vtt"):
        return MediaReply(
            200, _captions(segments, fmt == "vtt").encode(), "text/plain; charset=utf-8"
        )
    body: dict[str, Any]
    if fmt == "verbose_json":
        body = {
            "task": "translate" if translating else "transcribe",
            "language": language,
            "duration": seconds,
            "text": text,
            "segments": segments,
        }
    else:
        body = {"text": text, "usage": {"type": "duration", "seconds": int(seconds) or 1}}
    return MediaReply.json(body)
