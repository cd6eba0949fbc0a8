"""Video generation on ``/videos``: submit, poll, download, delete. Pure.

A job is submitted with ``{model, prompt, seconds, size, input_reference?}`` and answers
``{id, status: "in_progress", progress?}``; it is polled on ``GET /videos/{id}`` until its
status says done or failed (the words differ by upstream, see ``polling.job_state``), and
the finished video is ``GET /videos/{id}/content``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypedDict
from urllib.parse import quote

from .._http.executor import Call
from ..errors import APIResponseError, InvalidInputError
from .flow import BinaryReply, Fetch, Flow, check_body
from .polling import Polled, PollSchedule, job_state, poll_until_done
from .types import Video, VideoJob

__all__ = [
    "DEFAULT_VIDEO_MODEL",
    "VIDEOS",
    "VideoOptions",
    "WaitOptions",
    "delete_flow",
    "download_flow",
    "generate_flow",
    "get_flow",
    "parse_video_job",
    "submit_flow",
    "video_payload",
    "wait_flow",
]

VIDEOS = "videos"
DEFAULT_VIDEO_MODEL = "sora-2"


class VideoOptions(TypedDict, total=False):
    """What a video submission accepts besides its prompt."""

    model: str
    seconds: int | str | None
    size: str | None
    input_reference: str | Mapping[str, Any] | None
    """A first frame: an image URL or ``data:`` URL (sent as ``{"image_url": ...}``), or the object as is."""
    extra_body: Mapping[str, Any] | None


class WaitOptions(TypedDict, total=False):
    poll_interval: float
    """Seconds between polls (15 by default, as AIHubMix suggests)."""
    timeout: float | None
    """Seconds to wait before ``JobTimeoutError`` (which carries the job id to wait again)."""
    progress: Callable[[VideoJob], object] | None
    """Called with the job after every poll."""


def video_payload(prompt: str, options: VideoOptions) -> dict[str, Any]:
    if not isinstance(prompt, str) or not prompt.strip():
        raise InvalidInputError("the video prompt is empty: describe the video to make")
    payload: dict[str, Any] = {
        "model": options.get("model") or DEFAULT_VIDEO_MODEL,
        "prompt": prompt,
    }
    seconds = options.get("seconds")
    if seconds is not None:
        payload["seconds"] = str(seconds)  # the API takes a string such as "8"
    if options.get("size"):
        payload["size"] = options.get("size")
    reference = options.get("input_reference")
    if isinstance(reference, str):
        payload["input_reference"] = {"image_url": reference}
    elif reference is not None:
        payload["input_reference"] = dict(reference)
    payload.update(options.get("extra_body") or {})
    return payload


def _path(job_id: str, *rest: str) -> str:
    if not isinstance(job_id, str) or not job_id.strip():
        raise InvalidInputError("a video job id is needed (the id submit_video returned)")
    return "/".join((VIDEOS, quote(job_id.strip(), safe=""), *rest))


def _reason(body: Mapping[str, Any]) -> str | None:
    error = body.get("error")
    if isinstance(error, Mapping):
        error = error.get("message") or error.get("code")
    for value in (error, body.get("failure_reason"), body.get("fail_reason"), body.get("reason")):
        if isinstance(value, str) and value.strip():
            return value
    return None


def parse_video_job(body: Any) -> VideoJob:
    if not isinstance(body, Mapping) or not isinstance(body.get("id"), str):
        raise APIResponseError("AIHubMix returned a video job without an id", body=body)
    status = str(body.get("status") or "queued")
    progress = body.get("progress")
    return VideoJob(
        id=body["id"],
        status=status,
        state=job_state(status),
        model=body.get("model") if isinstance(body.get("model"), str) else None,
        progress=float(progress) if isinstance(progress, int | float) else None,
        error=_reason(body),
        raw=dict(body),
    )


def _job(reply: Any) -> VideoJob:
    if isinstance(reply.body, Mapping) and not isinstance(reply.body.get("id"), str):
        check_body(reply.body, reply.request_id)  # an error object in a 200 reply
    return parse_video_job(reply.body)


def _polled(reply: object) -> Polled[VideoJob]:
    job = _job(reply)
    return Polled(job, job.id, job.status, job.state, job.progress, job.error)


def submit_flow(prompt: str, options: VideoOptions) -> Flow[VideoJob]:
    call = Call("POST", VIDEOS, video_payload(prompt, options))
    return _one(call)


def get_flow(job_id: str) -> Flow[VideoJob]:
    return _one(Call("GET", _path(job_id)))


def _one(call: Call) -> Flow[VideoJob]:
    return _job((yield Fetch(call)))


def wait_flow(job_id: str, options: WaitOptions) -> Flow[VideoJob]:
    schedule = PollSchedule(options.get("poll_interval", 15.0), options.get("timeout", 900.0))
    return poll_until_done(
        Fetch(Call("GET", _path(job_id))),
        _polled,
        schedule,
        what="video job",
        resume=f"call wait_for_video({job_id!r}) to wait again",
        progress=options.get("progress"),
    )


def download_flow(job: VideoJob | str) -> Flow[Video]:
    known = job if isinstance(job, VideoJob) else None
    call = Call("GET", _path(known.id if known else str(job), "content"))
    return _download(call, known or VideoJob(str(job), "completed", "succeeded"))


def _download(call: Call, job: VideoJob) -> Flow[Video]:
    reply: BinaryReply = yield Fetch(call, binary=True)
    declared = reply.content_type.split(";")[0].strip().lower()
    mime = declared if declared.startswith("video/") else "video/mp4"
    return Video(reply.content, mime, job)


def delete_flow(job_id: str) -> Flow[bool]:
    return _delete(Call("DELETE", _path(job_id)))


def _delete(call: Call) -> Flow[bool]:
    reply = yield Fetch(call)
    deleted = check_body(reply.body, reply.request_id).get("deleted")
    return deleted is not False


def generate_flow(prompt: str, options: VideoOptions, wait: WaitOptions) -> Flow[Video]:
    call = Call("POST", VIDEOS, video_payload(prompt, options))
    return _generate(call, wait)


def _generate(call: Call, wait: WaitOptions) -> Flow[Video]:
    job = yield from _one(call)
    if job.state != "succeeded":
        job = yield from wait_flow(job.id, wait)
    return (yield from download_flow(job))
