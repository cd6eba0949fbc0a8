"""Speech synthesis on ``/audio/speech``: JSON in, audio bytes out. Pure.

The input is checked before any request: at most 4,096 characters, a known output format,
``speed`` from 0.25 to 4, a voice the OpenAI speech models have, no ``instructions`` for
tts-1. Other models' voices (Gemini TTS) are passed through unchecked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypedDict, get_args

from ..errors import InvalidInputError, TextTooLongError, UnknownVoiceError, UnsupportedFormatError
from .types import SpeechResult

__all__ = [
    "DEFAULT_SPEECH_MODEL",
    "MAX_SPEECH_CHARACTERS",
    "OPENAI_VOICES",
    "SPEECH",
    "SPEECH_FORMATS",
    "OpenAIVoice",
    "SpeechOptions",
    "speech_payload",
    "speech_result",
]

SPEECH = "audio/speech"
DEFAULT_SPEECH_MODEL = "gpt-4o-mini-tts"
DEFAULT_VOICE = "alloy"
MAX_SPEECH_CHARACTERS = 4096
OpenAIVoice = Literal[
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
]
"""The voices of OpenAI's speech models (tts-1, tts-1-hd, gpt-4o-mini-tts)."""
OPENAI_VOICES: tuple[str, ...] = get_args(OpenAIVoice)
SPEECH_FORMATS: Mapping[str, str] = {
    "mp3": "audio/mpeg",
    "opus": "audio/opus",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}
_OPENAI_SPEECH_MODELS = ("tts-1", "gpt-4o-mini-tts", "gpt-4o-tts")


class SpeechOptions(TypedDict, total=False):
    """What a speech call accepts besides its text."""

    model: str
    voice: str
    response_format: str
    speed: float | None
    instructions: str | None
    extra_body: Mapping[str, Any] | None


def _openai_model(model: str) -> bool:
    return model.lower().rsplit("/", 1)[-1].startswith(_OPENAI_SPEECH_MODELS)


def speech_payload(text: str, options: SpeechOptions) -> dict[str, Any]:
    model = options.get("model") or DEFAULT_SPEECH_MODEL
    voice = options.get("voice") or DEFAULT_VOICE
    fmt = options.get("response_format") or "mp3"
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError("the text to speak is empty")
    if len(text) > MAX_SPEECH_CHARACTERS:
        raise TextTooLongError(
            f"the text to speak has {len(text):,} characters; /audio/speech takes at most "
            f"{MAX_SPEECH_CHARACTERS:,}. Split it (at sentence ends) and join the audio."
        )
    if fmt not in SPEECH_FORMATS:
        raise UnsupportedFormatError(
            f"response_format {fmt!r} is not a speech format; use one of {', '.join(SPEECH_FORMATS)}"
        )
    if _openai_model(model) and voice.lower() not in OPENAI_VOICES:
        raise UnknownVoiceError(
            f"{model} has no voice {voice!r}; its voices are {', '.join(OPENAI_VOICES)}"
        )
    speed = options.get("speed")
    if speed is not None and not 0.25 <= speed <= 4.0:
        raise InvalidInputError(f"speed must be from 0.25 to 4.0, got {speed!r}")
    instructions = options.get("instructions")
    if instructions and model.lower().startswith("tts-1"):
        raise InvalidInputError(
            f"{model} does not take instructions; use gpt-4o-mini-tts for a directed voice, "
            "or leave instructions out"
        )
    payload: dict[str, Any] = {"model": model, "input": text, "voice": voice}
    if options.get("response_format"):
        payload["response_format"] = fmt
    if speed is not None:
        payload["speed"] = speed
    if instructions:
        payload["instructions"] = instructions
    payload.update(options.get("extra_body") or {})
    return payload


def speech_result(content: bytes, content_type: str, payload: Mapping[str, Any]) -> SpeechResult:
    """The audio with its MIME type: the asked format's, unless the reply names an audio type."""
    declared = content_type.split(";")[0].strip().lower()
    asked = SPEECH_FORMATS[payload.get("response_format", "mp3")]
    mime = declared if declared.startswith("audio/") else asked
    return SpeechResult(content, mime, model=payload["model"], voice=payload["voice"])
