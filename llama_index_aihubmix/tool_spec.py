"""``AIHubMixToolSpec``: images, speech, transcription and video as LlamaIndex agent tools.

Each tool writes its media to ``output_dir`` and answers the agent with a short text that
names the file; ``to_tool_list()`` gives sync and async tools for ``FunctionAgent`` and
the other agents.
"""

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from llama_index.core.tools.tool_spec.base import BaseToolSpec
from typing_extensions import Unpack

from aihubmix_core.media import (
    DEFAULT_IMAGE_MODEL,
    DEFAULT_SPEECH_MODEL,
    DEFAULT_TRANSCRIPTION_MODEL,
    DEFAULT_VIDEO_MODEL,
    ImageResult,
    ImageSize,
    OpenAIVoice,
    Transcription,
    WaitOptions,
)
from aihubmix_core.media.progress import video_progress

from ._media_client import MediaSettings, media_client

__all__ = ["AIHubMixToolSpec"]


class AIHubMixToolSpec(BaseToolSpec):
    """Tools an agent can call to make and read media through AIHubMix.

    Example:
        .. code-block:: python

            from llama_index.core.agent.workflow import FunctionAgent
            from llama_index.tools.aihubmix import AIHubMixToolSpec

            tools = AIHubMixToolSpec(output_dir="media").to_tool_list()
            agent = FunctionAgent(tools=tools, llm=llm)
    """

    spec_functions = [
        ("generate_image", "agenerate_image"),
        ("edit_image", "aedit_image"),
        ("text_to_speech", "atext_to_speech"),
        ("transcribe_audio", "atranscribe_audio"),
        ("generate_video", "agenerate_video"),
    ]

    def __init__(
        self,
        *,
        output_dir: str | Path | None = None,
        image_model: str = DEFAULT_IMAGE_MODEL,
        image_poll_interval: float = 2.0,
        speech_model: str = DEFAULT_SPEECH_MODEL,
        voice: str = "alloy",
        audio_format: str = "mp3",
        transcription_model: str = DEFAULT_TRANSCRIPTION_MODEL,
        video_model: str = DEFAULT_VIDEO_MODEL,
        video_wait: WaitOptions | None = None,
        show_progress: bool = False,
        **settings: Unpack[MediaSettings],
    ) -> None:
        """``output_dir`` receives every file made (a new temporary folder when not given);
        ``image_poll_interval`` paces the polls of asynchronous image families (FLUX);
        ``video_wait`` sets ``poll_interval``, ``timeout`` and ``progress`` for videos, and
        ``show_progress`` draws a ``tqdm`` bar while a video is made."""
        self.client = media_client(settings)
        self.output_dir = Path(output_dir or tempfile.mkdtemp(prefix="aihubmix-media-"))
        self.image: dict[str, Any] = {"model": image_model, "poll_interval": image_poll_interval}
        self.speech = {"model": speech_model, "voice": voice, "response_format": audio_format}
        self.transcription_model = transcription_model
        self.video_model = video_model
        self.video_wait: WaitOptions = video_wait or {}
        self.show_progress = show_progress

    def _save(self, kind: str, media: Any) -> str:
        digest = hashlib.sha256(media.data).hexdigest()[:12]
        return str(media.save(self.output_dir / f"{kind}-{digest}.{media.extension}"))

    def _images(self, result: ImageResult) -> str:
        files = [self._save("image", image) for image in result.images]
        revised = next((i.revised_prompt for i in result.images if i.revised_prompt), None)
        note = f" The prompt was revised to: {revised}" if revised else ""
        return f"Saved {len(files)} image(s) made with {result.model}: {', '.join(files)}.{note}"

    def _speech(self, voice: str | None) -> dict[str, Any]:
        return {**self.speech, "voice": voice or self.speech["voice"]}

    @staticmethod
    def _transcript(result: Transcription) -> str:
        language = f" (language: {result.language})" if result.language else ""
        return f"Transcript{language}: {result.text}"

    def generate_image(self, prompt: str, size: ImageSize | None = None) -> str:
        """Make an image from a detailed description and save it; returns the file's path.

        Args:
            prompt: what the image shows, in detail.
            size: width x height (optional).
        """
        return self._images(self.client.generate_image(prompt, size=size, **self.image))

    async def agenerate_image(self, prompt: str, size: ImageSize | None = None) -> str:
        return self._images(await self.client.agenerate_image(prompt, size=size, **self.image))

    def edit_image(self, prompt: str, image_path: str, mask_path: str | None = None) -> str:
        """Change an existing image file as the prompt says and save the result.

        Args:
            prompt: the change to make.
            image_path: path of the PNG, JPEG or WebP image to edit.
            mask_path: path of a PNG whose transparent parts mark where to edit (optional).
        """
        edit = self.client.edit_image(prompt, image_path, mask=mask_path, **self.image)
        return self._images(edit)

    async def aedit_image(self, prompt: str, image_path: str, mask_path: str | None = None) -> str:
        edit = self.client.aedit_image(prompt, image_path, mask=mask_path, **self.image)
        return self._images(await edit)

    def text_to_speech(self, text: str, voice: OpenAIVoice | None = None) -> str:
        """Speak text aloud and save the audio file; returns its path.

        Args:
            text: the words to speak (at most 4,096 characters).
            voice: the voice (optional).
        """
        speech = self.client.create_speech(text, **self._speech(voice))
        return f"Saved the speech audio: {self._save('speech', speech)}"

    async def atext_to_speech(self, text: str, voice: OpenAIVoice | None = None) -> str:
        speech = await self.client.acreate_speech(text, **self._speech(voice))
        return f"Saved the speech audio: {self._save('speech', speech)}"

    def transcribe_audio(self, audio_path: str, language: str | None = None) -> str:
        """Write down what is said in an audio file (mp3, mp4, m4a, wav, webm, ogg, flac).

        Args:
            audio_path: path of the audio file, at most 25 MB.
            language: ISO-639-1 code of the spoken language, such as en (optional).
        """
        model = self.transcription_model
        return self._transcript(self.client.transcribe(audio_path, model=model, language=language))

    async def atranscribe_audio(self, audio_path: str, language: str | None = None) -> str:
        done = self.client.atranscribe(
            audio_path, model=self.transcription_model, language=language
        )
        return self._transcript(await done)

    def generate_video(self, prompt: str, seconds: int | None = None) -> str:
        """Make a short video from a detailed description and save it (takes minutes).

        Args:
            prompt: what happens in the video, in detail.
            seconds: its length, such as 4 or 8 (optional).
        """
        with video_progress(self.show_progress, self.video_wait) as wait:
            video = self.client.generate_video(prompt, **self._video(seconds), wait=wait)
        return f"Saved the video (job {video.job.id}): {self._save('video', video)}"

    async def agenerate_video(self, prompt: str, seconds: int | None = None) -> str:
        with video_progress(self.show_progress, self.video_wait) as wait:
            video = await self.client.agenerate_video(prompt, **self._video(seconds), wait=wait)
        return f"Saved the video (job {video.job.id}): {self._save('video', video)}"

    def _video(self, seconds: int | None) -> dict[str, Any]:
        return {"model": self.video_model, "seconds": seconds}
