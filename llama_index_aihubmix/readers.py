"""``AIHubMixTranscriptionReader``: audio files to LlamaIndex ``Document``s through
AIHubMix's speech-to-text models."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from llama_index.core.readers.base import BaseReader
from llama_index.core.schema import Document
from typing_extensions import Unpack

from aihubmix_core.media import DEFAULT_TRANSCRIPTION_MODEL, Transcription
from aihubmix_core.media.progress import progress_bar

from ._media_client import MediaSettings, media_client

__all__ = ["AIHubMixTranscriptionReader"]

AudioFiles = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]
_NOT_FOR_MODELS = ["segments", "duration", "model", "file_path"]
"""Metadata kept on the document but out of the text embedded or shown to the LLM."""


def _paths(files: AudioFiles) -> list[Path]:
    if isinstance(files, str | os.PathLike):
        return [Path(files)]
    return [Path(file) for file in files]


class AIHubMixTranscriptionReader(BaseReader):
    """One ``Document`` per audio file: the transcript as its text, and ``file_path``,
    ``file_name``, ``language``, ``duration`` and ``segments`` in its metadata (segments and
    timings are left out of what is embedded and shown to the LLM). Files over 25 MB, or of
    a format the endpoint does not take, fail before any request.

    Example:
        .. code-block:: python

            from llama_index.readers.aihubmix import AIHubMixTranscriptionReader

            documents = AIHubMixTranscriptionReader().load_data(["a.mp3", "b.wav"])
    """

    def __init__(
        self,
        *,
        model: str = DEFAULT_TRANSCRIPTION_MODEL,
        language: str | None = None,
        prompt: str | None = None,
        response_format: str = "verbose_json",
        translate: bool = False,
        show_progress: bool = False,
        concurrency: int = 4,
        **settings: Unpack[MediaSettings],
    ) -> None:
        """``show_progress`` draws a ``tqdm`` bar over the files; ``concurrency`` bounds the
        uploads in flight in ``aload_data``."""
        self.client = media_client(settings)
        self.options: dict[str, Any] = {
            "model": model,
            "language": language,
            "prompt": prompt,
            "response_format": response_format,
            "translate": translate,
        }
        self.show_progress = show_progress
        self.concurrency = max(1, concurrency)

    @staticmethod
    def _document(path: Path, transcript: Transcription, extra: dict[str, Any] | None) -> Document:
        metadata = {"file_path": str(path), "file_name": path.name, **transcript.metadata()}
        return Document(
            text=transcript.text,
            metadata={**metadata, **(extra or {})},
            excluded_embed_metadata_keys=list(_NOT_FOR_MODELS),
            excluded_llm_metadata_keys=list(_NOT_FOR_MODELS),
        )

    def lazy_load_data(
        self, files: AudioFiles, extra_info: dict[str, Any] | None = None
    ) -> Iterable[Document]:
        return self._lazy(_paths(files), extra_info)

    def _lazy(self, paths: list[Path], extra: dict[str, Any] | None) -> Iterator[Document]:
        with progress_bar(
            self.show_progress, total=len(paths), desc="Transcribing", unit="file"
        ) as move_to:
            for done, path in enumerate(paths, start=1):
                yield self._document(path, self.client.transcribe(path, **self.options), extra)
                if move_to is not None:
                    move_to(done)

    def load_data(
        self, files: AudioFiles, extra_info: dict[str, Any] | None = None
    ) -> list[Document]:
        """Transcripts of ``files`` (a path or a list of paths), in order."""
        return list(self.lazy_load_data(files, extra_info))

    async def aload_data(
        self, files: AudioFiles, extra_info: dict[str, Any] | None = None
    ) -> list[Document]:
        """As ``load_data``, with up to ``concurrency`` files in flight; order kept."""
        paths = _paths(files)
        gate = asyncio.Semaphore(self.concurrency)
        with progress_bar(
            self.show_progress, total=len(paths), desc="Transcribing", unit="file"
        ) as move_to:
            finished = 0

            async def one(path: Path) -> Document:
                nonlocal finished
                async with gate:
                    transcript = await self.client.atranscribe(path, **self.options)
                finished += 1
                if move_to is not None:
                    move_to(finished)
                return self._document(path, transcript, extra_info)

            return list(await asyncio.gather(*(one(path) for path in paths)))
