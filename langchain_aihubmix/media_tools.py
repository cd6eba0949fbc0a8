"""AIHubMix image, speech and video generation as LangChain tools an agent can call.

Each tool answers ``(content, artifact)``: a short text for the model (for images, also
LangChain image content blocks) and, as the artifact, the core result with the paths of
the files written to ``output_dir``.
"""

from __future__ import annotations

import hashlib
from abc import abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, Literal

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field

from aihubmix_core.media import (
    DEFAULT_IMAGE_MODEL,
    DEFAULT_SPEECH_MODEL,
    DEFAULT_VIDEO_MODEL,
    ImageResult,
    ImageSize,
    OpenAIVoice,
    SpeechResult,
    Video,
    WaitOptions,
)
from aihubmix_core.media.progress import video_progress

from ._errors import translate_errors
from ._media_settings import AIHubMixMediaSettings

__all__ = [
    "AIHubMixImageGenerationTool",
    "AIHubMixTextToSpeechTool",
    "AIHubMixVideoGenerationTool",
]

Content = str | list[str | dict[str, Any]]


class _MediaTool(AIHubMixMediaSettings, BaseTool):
    """What the three tools share: settings, the run/arun pair, saving to ``output_dir``.

    A tool calls the client method ``_CALL`` (its async twin is ``"a" + _CALL``) with the
    argument ``_INPUT`` and the options ``_OPTIONS`` names: each option is the call's
    argument of that name when the model gave one, else the tool's attribute."""

    _CALL: ClassVar[str]
    _INPUT: ClassVar[str]
    _OPTIONS: ClassVar[dict[str, str]]

    model: str
    """The model id; each tool has its own default."""
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    output_dir: str | None = None
    """Folder for the files made (created if missing); none are written when unset."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Other request fields, sent as given."""

    @abstractmethod
    def _present(self, result: Any, files: list[str]) -> Content: ...

    def _media(self, result: Any) -> list[Any]:
        return [result]

    def _options(self, args: dict[str, Any]) -> dict[str, Any]:
        options: dict[str, Any] = {"model": self.model, "extra_body": self.model_kwargs or None}
        for option, attribute in self._OPTIONS.items():
            given = args.get(option)
            options[option] = getattr(self, attribute) if given is None else given
        return options

    @contextmanager
    def _opened(self, args: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """The call's options, for the duration of the call."""
        yield self._options(args)

    def _answer(self, result: Any) -> tuple[Content, dict[str, Any]]:
        files = [self._save(media) for media in self._media(result)] if self.output_dir else []
        return self._present(result, files), {"result": result, "files": files}

    def _save(self, media: Any) -> str:
        digest = hashlib.sha256(media.data).hexdigest()[:12]
        target = Path(self.output_dir or ".") / f"{self.name}-{digest}.{media.extension}"
        return str(media.save(target))

    def _run(
        self, run_manager: CallbackManagerForToolRun | None = None, **args: Any
    ) -> tuple[Content, dict[str, Any]]:
        with translate_errors(), self._opened(args) as options:
            result = getattr(self._client, self._CALL)(args[self._INPUT], **options)
        return self._answer(result)

    async def _arun(
        self, run_manager: AsyncCallbackManagerForToolRun | None = None, **args: Any
    ) -> tuple[Content, dict[str, Any]]:
        with translate_errors(), self._opened(args) as options:
            result = await getattr(self._client, "a" + self._CALL)(args[self._INPUT], **options)
        return self._answer(result)


_IMAGE_DESCRIPTION = (
    "Generate an image from a text description. Input: a detailed prompt and optionally a "
    "size. Returns the image."
)
_SPEECH_DESCRIPTION = (
    "Convert text to spoken audio. Input: the text (at most 4,096 characters) and optionally "
    "a voice. Returns where the audio is."
)
_VIDEO_DESCRIPTION = (
    "Generate a short video from a text description. Input: a detailed prompt and optionally "
    "its length in seconds. Takes minutes; returns where the video is."
)


def _saved(files: list[str]) -> str:
    return f" Saved to {', '.join(files)}." if files else ""


class ImageRequest(BaseModel):
    prompt: str = Field(description="A detailed description of the image to make.")
    size: ImageSize | None = Field(default=None, description="Width x height.")


class AIHubMixImageGenerationTool(_MediaTool):
    """Makes images from a text prompt: OpenAI ids (``gpt-image-1``, ``dall-e-3``) or any
    ``vendor/model`` image family AIHubMix serves (``bfl/flux-2-pro``, ``google/imagen-4.0-...``).

    The tool message holds a short text and the images as image content blocks; the
    artifact is ``{"result": ImageResult, "files": [...]}``.
    """

    _CALL = "generate_image"
    _INPUT = "prompt"
    _OPTIONS = {
        "size": "size",
        "quality": "quality",
        "n": "n",
        "poll_interval": "poll_interval",
        "timeout": "wait_timeout",
    }

    args_schema: type[BaseModel] = ImageRequest
    name: str = "aihubmix_image_generation"
    description: str = _IMAGE_DESCRIPTION
    model: str = DEFAULT_IMAGE_MODEL
    size: str | None = None
    """The size when the model does not give one."""
    quality: str | None = None
    n: int | None = Field(default=None, ge=1)
    poll_interval: float = Field(default=2.0, gt=0)
    """Seconds between polls of an asynchronous image family (FLUX)."""
    wait_timeout: float | None = Field(default=300.0, gt=0)
    image_blocks: bool = True
    """Put the images in the tool message as image content blocks (for models that see them)."""

    def _media(self, result: ImageResult) -> list[Any]:
        return list(result.images)

    def _present(self, result: ImageResult, files: list[str]) -> Content:
        revised = next((i.revised_prompt for i in result.images if i.revised_prompt), None)
        text = f"Made {len(result.images)} image(s) with {result.model}." + _saved(files)
        if revised:
            text += f" The prompt was revised to: {revised}"
        blocks: list[str | dict[str, Any]] = [{"type": "text", "text": text}]
        if self.image_blocks:
            blocks += [
                {"type": "image", "base64": image.base64(), "mime_type": image.mime_type}
                for image in result.images
            ]
        return blocks


class SpeechRequest(BaseModel):
    text: str = Field(description="The text to speak, at most 4,096 characters.")
    voice: OpenAIVoice | None = Field(default=None, description="The voice.")


class AIHubMixTextToSpeechTool(_MediaTool):
    """Speaks text aloud with an AIHubMix speech model; the artifact holds the audio
    (``SpeechResult``) and the files written."""

    _CALL = "create_speech"
    _INPUT = "text"
    _OPTIONS = {
        "voice": "voice",
        "response_format": "audio_format",
        "speed": "speed",
        "instructions": "instructions",
    }

    name: str = "aihubmix_text_to_speech"
    args_schema: type[BaseModel] = SpeechRequest
    description: str = _SPEECH_DESCRIPTION
    model: str = DEFAULT_SPEECH_MODEL
    voice: str = "alloy"
    """The voice when the model does not name one."""
    audio_format: str = "mp3"
    """mp3, opus, aac, flac, wav or pcm."""
    speed: float | None = None
    instructions: str | None = None
    """How to speak (tone, pace), for gpt-4o-mini-tts."""

    def _present(self, result: SpeechResult, files: list[str]) -> Content:
        return (
            f"Spoke the text as {result.extension} audio ({len(result.data):,} bytes, voice "
            f"{result.voice}).{_saved(files)}"
        )


class VideoRequest(BaseModel):
    prompt: str = Field(description="A detailed description of the video to make.")
    seconds: int | None = Field(default=None, description="Length in seconds, such as 4 or 8.")


class AIHubMixVideoGenerationTool(_MediaTool):
    """Makes a video from a prompt (Sora, Veo, Wan, Kling, ...): submits the job, waits for
    it (a ``tqdm`` bar with ``show_progress=True``) and downloads it. A wait longer than
    ``wait_timeout`` raises ``JobTimeoutError`` with the job id, to wait again later."""

    _CALL = "generate_video"
    _INPUT = "prompt"
    _OPTIONS = {"seconds": "seconds", "size": "size"}

    description: str = _VIDEO_DESCRIPTION
    name: str = "aihubmix_video_generation"
    args_schema: type[BaseModel] = VideoRequest
    model: str = DEFAULT_VIDEO_MODEL
    seconds: int | None = None
    """The length when the model does not give one."""
    size: str | None = None
    """Such as 720x1280 or 1280x720."""
    poll_interval: float = Field(default=15.0, gt=0)
    wait_timeout: float | None = Field(default=900.0, gt=0)
    show_progress: bool = False

    @contextmanager
    def _opened(self, args: dict[str, Any]) -> Iterator[dict[str, Any]]:
        wait: WaitOptions = {"poll_interval": self.poll_interval, "timeout": self.wait_timeout}
        with video_progress(self.show_progress, wait) as shown:
            yield {**self._options(args), "wait": shown}

    def _present(self, result: Video, files: list[str]) -> Content:
        return (
            f"Made a video (job {result.job.id}, {len(result.data):,} bytes of "
            f"{result.mime_type}).{_saved(files)}"
        )
