"""The media methods of ``AIHubMixClient``: images, speech, transcription, rerank, video.

Each method builds a pure flow (see ``flow``) and hands it to the sync or async driver,
so every sync/async pair differs only in the awaiting. Inputs are checked when the flow is
built, before any request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from typing_extensions import Unpack

from .._http.executor import Call
from .files import FileSource
from .flow import BinaryReply, Fetch, Flow
from .images import EditOptions, ImageOptions, edit_flow, openai_generation_flow
from .predictions import is_prediction_model, prediction_flow
from .rerank import RERANK, Document, RerankOptions, parse_rerank, rerank_payload
from .speech import SPEECH, SpeechOptions, speech_payload, speech_result
from .transcription import (
    TRANSCRIPTIONS,
    TRANSLATIONS,
    TranscribeOptions,
    parse_transcription,
    transcription_form,
)
from .types import ImageResult, RerankResult, SpeechResult, Transcription
from .videos_client import VideosMixin

__all__ = ["MediaMixin"]


def _image_flow(prompt: str, options: ImageOptions) -> Flow[ImageResult]:
    if is_prediction_model(options.get("model") or ""):
        return prediction_flow(prompt, options)
    return openai_generation_flow(prompt, options)


def _speech_flow(payload: dict[str, Any]) -> Flow[SpeechResult]:
    reply: BinaryReply = yield Fetch(Call("POST", SPEECH, payload), binary=True)
    return speech_result(reply.content, reply.content_type, payload)


def _transcription_flow(audio: FileSource, options: TranscribeOptions) -> Flow[Transcription]:
    data, files = transcription_form(audio, options)
    path = TRANSLATIONS if options.get("translate") else TRANSCRIPTIONS
    return _transcribe(Call("POST", path, data=data, files=files), data)


def _transcribe(call: Call, form: dict[str, Any]) -> Flow[Transcription]:
    return parse_transcription((yield Fetch(call, binary=True)), form)


def _rerank_flow(
    query: str, documents: Sequence[Document], options: RerankOptions
) -> Flow[list[RerankResult]]:
    payload = rerank_payload(query, documents, options)
    reply = yield Fetch(Call("POST", RERANK, payload))
    return parse_rerank(reply.body, len(documents), reply.request_id, options.get("top_n"))


class MediaMixin(VideosMixin):
    # images
    def generate_image(self, prompt: str, **options: Unpack[ImageOptions]) -> ImageResult:
        """Images for ``prompt``: ``/images/generations`` for OpenAI ids (``gpt-image-1``,
        ``dall-e-3``), the predictions route for ``vendor/model`` ids (``bfl/flux-2-pro``),
        polled when the family answers asynchronously. URLs in the reply are downloaded."""
        return self._run(_image_flow(prompt, options))

    async def agenerate_image(self, prompt: str, **options: Unpack[ImageOptions]) -> ImageResult:
        return await self._arun(_image_flow(prompt, options))

    def edit_image(
        self, prompt: str, images: FileSource | Sequence[FileSource], **options: Unpack[EditOptions]
    ) -> ImageResult:
        """Edit one or more images (paths, bytes or binary files) as ``prompt`` says; the
        transparent parts of ``mask`` (a PNG) mark where to change the first image."""
        return self._run(edit_flow(prompt, images, options))

    async def aedit_image(
        self, prompt: str, images: FileSource | Sequence[FileSource], **options: Unpack[EditOptions]
    ) -> ImageResult:
        return await self._arun(edit_flow(prompt, images, options))

    # speech
    def create_speech(self, text: str, **options: Unpack[SpeechOptions]) -> SpeechResult:
        """``text`` (at most 4,096 characters) spoken: voice, format, speed, instructions."""
        return self._run(_speech_flow(speech_payload(text, options)))

    async def acreate_speech(self, text: str, **options: Unpack[SpeechOptions]) -> SpeechResult:
        return await self._arun(_speech_flow(speech_payload(text, options)))

    def stream_speech(self, text: str, **options: Unpack[SpeechOptions]) -> Iterator[bytes]:
        """The audio in chunks as it arrives, for playback before the whole file is made."""
        return self._chunks(Call("POST", SPEECH, speech_payload(text, options)))

    def astream_speech(self, text: str, **options: Unpack[SpeechOptions]) -> AsyncIterator[bytes]:
        return self._achunks(Call("POST", SPEECH, speech_payload(text, options)))

    # transcription and translation
    def transcribe(self, audio: FileSource, **options: Unpack[TranscribeOptions]) -> Transcription:
        """The text of ``audio`` (a path, bytes or binary file; at most 25 MB of mp3, mp4,
        mpeg, mpga, m4a, wav, webm, ogg or flac); ``translate=True`` gives it in English.
        ``response_format="verbose_json"`` adds language, duration and segments."""
        return self._run(_transcription_flow(audio, options))

    async def atranscribe(
        self, audio: FileSource, **options: Unpack[TranscribeOptions]
    ) -> Transcription:
        return await self._arun(_transcription_flow(audio, options))

    # rerank
    def rerank(
        self, query: str, documents: Sequence[Document], **options: Unpack[RerankOptions]
    ) -> list[RerankResult]:
        """``documents`` scored against ``query``, best first, each with its index into
        ``documents``; no documents give ``[]`` without a request."""
        if not documents:
            return []
        return self._run(_rerank_flow(query, documents, options))

    async def arerank(
        self, query: str, documents: Sequence[Document], **options: Unpack[RerankOptions]
    ) -> list[RerankResult]:
        if not documents:
            return []
        return await self._arun(_rerank_flow(query, documents, options))
