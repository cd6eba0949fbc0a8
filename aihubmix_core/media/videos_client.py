"""The video methods of ``AIHubMixClient``; see ``videos`` for the flows they run."""

from __future__ import annotations

from typing_extensions import Unpack

from ._route import RouteMixin
from .types import Video, VideoJob
from .videos import (
    VideoOptions,
    WaitOptions,
    delete_flow,
    download_flow,
    generate_flow,
    get_flow,
    submit_flow,
    wait_flow,
)

__all__ = ["VideosMixin"]


class VideosMixin(RouteMixin):
    def submit_video(self, prompt: str, **options: Unpack[VideoOptions]) -> VideoJob:
        """Start a video job; returns at once with its id and status."""
        return self._run(submit_flow(prompt, options))

    async def asubmit_video(self, prompt: str, **options: Unpack[VideoOptions]) -> VideoJob:
        return await self._arun(submit_flow(prompt, options))

    def get_video(self, job_id: str) -> VideoJob:
        """The job's status and progress now."""
        return self._run(get_flow(job_id))

    async def aget_video(self, job_id: str) -> VideoJob:
        return await self._arun(get_flow(job_id))

    def wait_for_video(self, job_id: str, **options: Unpack[WaitOptions]) -> VideoJob:
        """Poll until the job is done (``JobFailedError`` if it failed or was cancelled,
        ``JobTimeoutError`` carrying the job id if ``timeout`` runs out first)."""
        return self._run(wait_flow(job_id, options))

    async def await_for_video(self, job_id: str, **options: Unpack[WaitOptions]) -> VideoJob:
        return await self._arun(wait_flow(job_id, options))

    def download_video(self, job: VideoJob | str) -> Video:
        """The finished video's bytes (``video/mp4``)."""
        return self._run(download_flow(job))

    async def adownload_video(self, job: VideoJob | str) -> Video:
        return await self._arun(download_flow(job))

    def delete_video(self, job_id: str) -> bool:
        """Delete the job and its video at AIHubMix; ``True`` when the gateway confirms."""
        return self._run(delete_flow(job_id))

    async def adelete_video(self, job_id: str) -> bool:
        return await self._arun(delete_flow(job_id))

    def generate_video(
        self, prompt: str, *, wait: WaitOptions | None = None, **options: Unpack[VideoOptions]
    ) -> Video:
        """Submit, wait (``wait``: poll_interval, timeout, progress) and download."""
        return self._run(generate_flow(prompt, options, wait or {}))

    async def agenerate_video(
        self, prompt: str, *, wait: WaitOptions | None = None, **options: Unpack[VideoOptions]
    ) -> Video:
        return await self._arun(generate_flow(prompt, options, wait or {}))
