"""The emulator's media routes: images, predictions, speech, transcription, rerank, videos.

Shapes follow aihubmix-api.md: OpenAI images whose unused fields are ``""`` (and URL-only
images for DALL·E without ``response_format``), each predictions reply family including
FLUX's polled task, audio bytes, transcripts in every ``response_format``, Jina rerank,
and video jobs that need several polls. Prompts script the failures: ``forbidden`` in an
image prompt gets the moderation refusal, ``fail`` or ``cancel`` in a video prompt a job
that ends that way. Result files are served from ``/v1/cdn/`` on ``localhost`` (another
host than ``127.0.0.1``), so a client shows whether it keeps its key to itself.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import mediafiles as files
from . import text as t
from .brain import ApiError, gateway_error, json_body, short_hash
from .media_audio import speech, transcription
from .media_reply import MediaReply

__all__ = ["MediaReply", "Routes"]

CREATED = 1770000000
POLLS_TO_FINISH = 3


@dataclass
class Routes:
    """The media routes of one emulator server, with the polls each job has had."""

    polls: dict[str, int] = field(default_factory=dict)
    prompts: dict[str, str] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(
        self, method: str, path: str, headers: Any, raw: bytes, authorised: Callable[[], bool]
    ) -> MediaReply | None:
        """The reply for a media route, ``None`` for any other path (or after a 401)."""
        host = headers.get("Host", "127.0.0.1")
        port = host.rsplit(":", 1)[-1] if ":" in host else "80"
        if method == "GET" and path.startswith("/v1/cdn/"):
            return self._cdn(path.removeprefix("/v1/cdn/"))
        handler = self._handler(method, path)
        if handler is None:
            return None
        if not authorised():
            return MediaReply(0, b"")
        seed = short_hash(method, path, raw.decode("utf-8", "replace"))
        try:
            return handler(path, headers, raw, f"http://localhost:{port}/v1/cdn", seed)
        except ApiError as error:
            return MediaReply.json(error.body, error.status)

    def _handler(self, method: str, path: str) -> Callable[..., MediaReply] | None:
        if method == "POST":
            return {
                "/v1/images/generations": self._generations,
                "/v1/images/edits": self._edits,
                "/v1/audio/speech": speech,
                "/v1/audio/transcriptions": transcription,
                "/v1/audio/translations": transcription,
                "/v1/rerank": self._rerank,
                "/v1/videos": self._submit_video,
            }.get(path) or (self._prediction if path.endswith("/predictions") else None)
        if method == "GET" and path.startswith("/v1/tasks/"):
            return self._poll_task
        if path.startswith("/v1/videos/"):
            return {"GET": self._video, "DELETE": self._delete_video}.get(method)
        return None

    # files
    @staticmethod
    def _cdn(name: str) -> MediaReply:
        if name.endswith(".png"):
            return MediaReply(200, files.png(name), "image/png")
        return MediaReply.json({"error": {"message": f"no file {name}"}}, 404)

    # images
    def _generations(self, path: str, headers: Any, raw: bytes, cdn: str, seed: str) -> MediaReply:
        body = json_body(raw, seed)
        prompt, model = _prompt(body, seed), str(body.get("model") or "")
        if not model.lower().startswith(("gpt-image", "dall-e")):
            raise gateway_error(400, f"Incorrect model ID {model} for images/generations", seed)
        if str(body.get("size", "")) == "auto":
            raise gateway_error(400, "size_not_supported: size 'auto' must not be sent", seed)
        count = int(body.get("n") or 1)
        by_url = model.startswith("dall-e") and body.get("response_format") != "b64_json"
        data = [
            _openai_image(prompt, seed, i, cdn, by_url, model.startswith("dall-e"))
            for i in range(count)
        ]
        return MediaReply.json(_image_reply(data, prompt, model))

    def _edits(self, path: str, headers: Any, raw: bytes, cdn: str, seed: str) -> MediaReply:
        form = files.multipart(headers.get("Content-Type", ""), raw)
        images = form.get("image", []) + form.get("image[]", [])
        prompt = (form.get("prompt") or [(None, b"")])[0][1].decode()
        if not images or not all(
            name and name.lower().endswith((".png", ".jpg", ".jpeg", ".webp")) for name, _ in images
        ):
            raise gateway_error(400, "image is required: png, jpg or webp files", seed)
        if not prompt.strip():
            raise gateway_error(400, "prompt_missing", seed)
        _refuse(prompt, seed)
        masked = "mask" in form
        edited = files.png(f"edit:{prompt}:{len(images)}:{masked}")
        item = {"b64_json": base64.b64encode(edited).decode(), "url": "", "revised_prompt": ""}
        model = (form.get("model") or [(None, b"gpt-image-1")])[0][1].decode()
        return MediaReply.json(_image_reply([item], prompt, model))

    def _prediction(self, path: str, headers: Any, raw: bytes, cdn: str, seed: str) -> MediaReply:
        vendor = path.removeprefix("/v1/models/").split("/", 1)[0].lower()
        prompt = _prompt(json_body(raw, seed).get("input") or {}, seed)
        picture = base64.b64encode(files.png(prompt)).decode()
        url = f"{cdn}/{short_hash(prompt, length=16)}.png"
        if vendor == "bfl":
            task = f"task_{seed[:16]}"
            with self.lock:
                self.polls[task] = 0
            host = cdn.removesuffix("/v1/cdn").replace("localhost", "127.0.0.1")
            return MediaReply.json(
                {
                    "output": [
                        {
                            "taskId": task,
                            "polling_url": f"{host}/v1/tasks/{task}?prompt={short_hash(prompt, length=8)}",
                        }
                    ]
                }
            )
        shapes: dict[str, Any] = {
            "google": {"output": {"b64_json": [{"bytesBase64": picture}]}},
            "bailian": {"output": {"urls": [url]}},
            "doubao": {"data": [{"url": url, "b64_json": ""}]},
            "ideogram": {"images": [url]},
        }
        return MediaReply.json(shapes.get(vendor, {"output": [{"bytesBase64": picture}]}))

    def _poll_task(self, path: str, headers: Any, raw: bytes, cdn: str, seed: str) -> MediaReply:
        task = path.removeprefix("/v1/tasks/")
        count = self._count(task, seed)
        if count < POLLS_TO_FINISH:
            return MediaReply.json({"id": task, "status": "Pending", "progress": count * 30})
        sample = f"{cdn}/{short_hash(task, length=16)}.png"
        return MediaReply.json({"id": task, "status": "Ready", "result": {"sample": sample}})

    def _count(self, job: str, seed: str) -> int:
        with self.lock:
            if job not in self.polls or job in self.deleted:
                raise gateway_error(404, f"task {job} not found", seed)
            self.polls[job] += 1
            return self.polls[job]

    # rerank
    def _rerank(self, path: str, headers: Any, raw: bytes, cdn: str, seed: str) -> MediaReply:
        body = json_body(raw, seed)
        model, query = str(body.get("model") or ""), str(body.get("query") or "")
        documents = body.get("documents")
        if "rerank" not in model.lower():
            raise gateway_error(
                400,
                f"Incorrect model ID {model}; rerank models are listed under types=rerank",
                seed,
            )
        if not query or not isinstance(documents, list) or not documents:
            raise gateway_error(400, "query and a non-empty documents list are required", seed)
        texts = [d if isinstance(d, str) else str((d or {}).get("text", "")) for d in documents]
        wanted = t.content_words(query)
        scores = [
            round(
                0.05 + 0.9 * len(wanted & t.content_words(text)) / max(1, len(wanted)) - i * 1e-4, 4
            )
            for i, text in enumerate(texts)
        ]
        order = sorted(range(len(texts)), key=lambda i: (-scores[i], i))[
            : body.get("top_n") or None
        ]
        results = []
        for index in order:
            result: dict[str, Any] = {"index": index, "relevance_score": scores[index]}
            if body.get("return_documents"):
                result["document"] = {"text": texts[index]}
            results.append(result)
        tokens = t.approx_tokens(query + " ".join(texts))
        return MediaReply.json(
            {"model": model, "results": results, "usage": {"total_tokens": tokens}}
        )

    # videos
    def _submit_video(self, path: str, headers: Any, raw: bytes, cdn: str, seed: str) -> MediaReply:
        body = json_body(raw, seed)
        prompt = _prompt(body, seed)
        seconds = body.get("seconds", "4")
        if not isinstance(seconds, str):
            raise gateway_error(400, 'seconds must be a string such as "8"', seed)
        job = f"video_{seed[:20]}"
        with self.lock:
            self.polls[job] = 0
            self.prompts[job] = prompt.lower()
            self.deleted.discard(job)
        return MediaReply.json(_video(job, body, "queued", 0))

    def _video(self, path: str, headers: Any, raw: bytes, cdn: str, seed: str) -> MediaReply:
        job, _, rest = path.removeprefix("/v1/videos/").partition("/")
        if rest == "content":
            with self.lock:
                known = self.polls.get(job, -1) >= POLLS_TO_FINISH and job not in self.deleted
            if not known:
                raise gateway_error(404, f"video {job} is not ready or does not exist", seed)
            return MediaReply(200, files.mp4(job), "video/mp4")
        count = self._count(job, seed)
        prompt = self.prompts.get(job, "")
        if count < POLLS_TO_FINISH:
            return MediaReply.json(_video(job, {}, "in_progress", count * 30))
        if "cancel" in prompt:
            return MediaReply.json(_video(job, {}, "cancelled", 60))
        if "fail" in prompt:
            failed = _video(job, {}, "failed", 60)
            failed["error"] = {
                "code": "video_generation_failed",
                "message": "The upstream could not render this prompt",
            }
            return MediaReply.json(failed)
        return MediaReply.json(_video(job, {}, "completed", 100))

    def _delete_video(self, path: str, headers: Any, raw: bytes, cdn: str, seed: str) -> MediaReply:
        job = path.removeprefix("/v1/videos/")
        with self.lock:
            if job not in self.polls or job in self.deleted:
                raise gateway_error(404, f"video {job} does not exist", seed)
            self.deleted.add(job)
        return MediaReply.json({"id": job, "object": "video.deleted", "deleted": True})


def _video(job: str, body: dict[str, Any], status: str, progress: int) -> dict[str, Any]:
    return {
        "id": job,
        "object": "video",
        "model": body.get("model", "sora-2"),
        "status": status,
        "progress": progress,
        "created_at": CREATED,
        "seconds": body.get("seconds", "4"),
        "size": body.get("size", "720x1280"),
    }


def _refuse(prompt: str, seed: str) -> None:
    if "forbidden" in prompt.lower():
        raise ApiError(
            400,
            {
                "error": {
                    "message": "Your request was rejected as a result of our safety system. "
                    f"Your prompt may contain text that is not allowed by our safety system. (tid: {seed[:20]})",
                    "type": "image_generation_user_error",
                    "param": None,
                    "code": "moderation_blocked",
                }
            },
        )


def _prompt(body: dict[str, Any], seed: str) -> str:
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise gateway_error(400, "prompt_missing", seed)
    _refuse(prompt, seed)
    return prompt


def _openai_image(
    prompt: str, seed: str, i: int, cdn: str, by_url: bool, revises: bool
) -> dict[str, Any]:
    picture = files.png(f"{prompt}:{i}")
    revised = f"A detailed picture of {prompt.strip().rstrip('.')}." if revises else ""
    if by_url:
        return {
            "b64_json": "",
            "url": f"{cdn}/{short_hash(prompt, i, length=16)}.png",
            "revised_prompt": revised,
        }
    return {"b64_json": base64.b64encode(picture).decode(), "url": "", "revised_prompt": revised}


def _image_reply(data: list[dict[str, Any]], prompt: str, model: str) -> dict[str, Any]:
    reply: dict[str, Any] = {"created": CREATED, "data": data}
    if model.startswith("gpt-image"):
        tokens = t.approx_tokens(prompt)
        reply["usage"] = {
            "input_tokens": tokens,
            "output_tokens": 272 * len(data),
            "total_tokens": tokens + 272 * len(data),
            "input_tokens_details": {"text_tokens": tokens, "image_tokens": 0},
        }
        reply.update(
            {"background": "opaque", "output_format": "png", "quality": "low", "size": "1024x1024"}
        )
    return reply
