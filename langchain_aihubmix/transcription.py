"""``AIHubMixTranscriptionParser``: audio blobs to ``Document``s through AIHubMix's
speech-to-text models (``Blob.from_path(...)``, or any blob loader as ``GenericLoader`` uses)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

from langchain_core.document_loaders import BaseBlobParser
from langchain_core.document_loaders.blob_loaders import Blob
from langchain_core.documents import Document

from aihubmix_core.media import DEFAULT_TRANSCRIPTION_MODEL, Transcription
from aihubmix_core.media.progress import progress_bar

from ._errors import translate_errors
from ._media_settings import AIHubMixMediaSettings

__all__ = ["AIHubMixTranscriptionParser"]


class AIHubMixTranscriptionParser(AIHubMixMediaSettings, BaseBlobParser):
    """One ``Document`` per audio blob: the transcript as its text; ``source``, ``model``,
    and (with the default ``verbose_json``) ``language``, ``duration`` and ``segments`` in
    its metadata. Audio over 25 MB, or of a format the endpoint does not take, fails before
    any request.

    Example:
        ```python
        from langchain_core.document_loaders import Blob
        from langchain_aihubmix import AIHubMixTranscriptionParser

        parser = AIHubMixTranscriptionParser()
        documents = parser.parse(Blob.from_path("meeting.mp3"))
        ```
    """

    model: str = DEFAULT_TRANSCRIPTION_MODEL
    language: str | None = None
    """ISO-639-1 code of the spoken language, if known (faster and more accurate)."""
    prompt: str | None = None
    """Text to guide spelling and style (names, jargon)."""
    response_format: str = "verbose_json"
    translate: bool = False
    """Transcribe into English whatever the language spoken."""
    show_progress: bool = False
    """A ``tqdm`` bar over the blobs in ``parse_many`` / ``lazy_parse_many``."""

    def _options(self, blob: Blob) -> dict[str, Any]:
        return {
            "model": self.model,
            "language": self.language,
            "prompt": self.prompt,
            "response_format": self.response_format,
            "translate": self.translate,
            "filename": Path(str(blob.path)).name if blob.path else None,
        }

    @staticmethod
    def _audio(blob: Blob) -> Path | bytes:
        """A blob still on disk is passed as its path, so its size is checked before reading."""
        return Path(str(blob.path)) if blob.data is None and blob.path else blob.as_bytes()

    @staticmethod
    def _document(blob: Blob, transcript: Transcription) -> Document:
        metadata = {**blob.metadata, "source": blob.source, **transcript.metadata()}
        return Document(page_content=transcript.text, metadata=metadata)

    def lazy_parse(self, blob: Blob) -> Iterator[Document]:
        with translate_errors():
            transcript = self._client.transcribe(self._audio(blob), **self._options(blob))
        yield self._document(blob, transcript)

    async def aparse(self, blob: Blob) -> list[Document]:
        with translate_errors():
            transcript = await self._client.atranscribe(self._audio(blob), **self._options(blob))
        return [self._document(blob, transcript)]

    def lazy_parse_many(self, blobs: Iterable[Blob]) -> Iterator[Document]:
        """Documents for many blobs, one after another, with a progress bar if asked."""
        total = len(blobs) if isinstance(blobs, Collection) else 0
        with progress_bar(
            self.show_progress, total=total, desc="Transcribing", unit="file"
        ) as move_to:
            for done, blob in enumerate(blobs, start=1):
                yield from self.lazy_parse(blob)
                if move_to is not None:
                    move_to(done)

    def parse_many(self, blobs: Iterable[Blob]) -> list[Document]:
        return list(self.lazy_parse_many(blobs))
