"""The media methods of AIHubMixClient over a mock transport: what goes on the wire, what
comes back, polling with recorded (not slept) waits, and where the key is sent."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from media_fakes import API, Gateway
from testkit import KEY

from aihubmix_core import (
    AIHubMixClient,
    ContentModerationError,
    EmptyMediaError,
    JobFailedError,
    JobTimeoutError,
    UnknownVoiceError,
)
from aihubmix_core.media import VideoJob
from aihubmix_testing.emulator import mediafiles

PNG = mediafiles.png("mock")
B64 = base64.b64encode(PNG).decode()
MakeClient = Callable[..., AIHubMixClient]


@pytest.fixture
def both(make_client: MakeClient) -> Callable[[Gateway], AIHubMixClient]:
    def build(gateway: Gateway) -> AIHubMixClient:
        return make_client(
            gateway,
            async_handler=gateway.handle_async,
            app_code="app-1",
            default_headers={"X-Tenant": "t1"},
        )

    return build


def test_generate_image_from_base64(both: Callable[[Gateway], AIHubMixClient]) -> None:
    reply = {
        "created": 1,
        "data": [{"b64_json": B64, "url": "", "revised_prompt": ""}],
        "usage": {"total_tokens": 9},
        "output_format": "png",
    }
    gateway = Gateway({("POST", f"{API}/images/generations"): reply})
    result = both(gateway).generate_image("a fox", size="1024x1024")
    assert gateway.body() == {"model": "gpt-image-1", "prompt": "a fox", "size": "1024x1024"}
    (image,) = result.images
    assert (image.data, image.mime_type, image.revised_prompt) == (PNG, "image/png", None)
    assert result.usage == {"total_tokens": 9} and result.created == 1


async def test_url_images_are_fetched_without_the_key_from_another_host(
    both: Callable[[Gateway], AIHubMixClient],
) -> None:
    reply = {"data": [{"b64_json": "", "url": "https://cdn.example/a.png", "revised_prompt": "r"}]}
    gateway = Gateway(
        {
            ("POST", f"{API}/images/generations"): reply,
            ("GET", "cdn.example/a.png"): httpx.Response(
                200, content=PNG, headers={"content-type": "image/png"}
            ),
        }
    )
    result = await both(gateway).agenerate_image("a fox", model="dall-e-3")
    assert gateway.body(0)["response_format"] == "b64_json"
    post, fetch = gateway.requests
    assert post.headers["authorization"] == f"Bearer {KEY}" and post.headers["app-code"] == "app-1"
    for header in ("authorization", "app-code", "x-tenant"):
        assert header not in fetch.headers, header
    assert result.images[0].data == PNG and result.images[0].url == "https://cdn.example/a.png"
    assert result.images[0].revised_prompt == "r"


def test_a_result_url_on_the_gateway_gets_the_key(
    both: Callable[[Gateway], AIHubMixClient],
) -> None:
    gateway = Gateway(
        {
            ("POST", f"{API}/images/generations"): {
                "data": [{"url": "https://aihubmix.com/files/a.png"}]
            },
            ("GET", "aihubmix.com/files/a.png"): httpx.Response(200, content=PNG),
        }
    )
    both(gateway).generate_image("a fox")
    assert gateway.requests[1].headers["authorization"] == f"Bearer {KEY}"


def test_an_image_with_neither_bytes_nor_url_is_a_typed_error(
    both: Callable[[Gateway], AIHubMixClient],
) -> None:
    gateway = Gateway(
        {("POST", f"{API}/images/generations"): {"data": [{"b64_json": "", "url": ""}]}}
    )
    with pytest.raises(EmptyMediaError, match="neither bytes nor a URL"):
        both(gateway).generate_image("a fox")


def test_a_moderation_refusal_is_not_retried(
    both: Callable[[Gateway], AIHubMixClient], sleeps: list[float]
) -> None:
    refusal = httpx.Response(
        400, json={"error": {"message": "safety system", "code": "moderation_blocked"}}
    )
    gateway = Gateway({("POST", f"{API}/images/generations"): refusal})
    with pytest.raises(ContentModerationError, match="may still charge"):
        both(gateway).generate_image("a fox")
    assert len(gateway.requests) == 1 and sleeps == []


def _flux(polls: int) -> Gateway:
    pending = {"id": "t1", "status": "Pending"}
    ready = {"id": "t1", "status": "Ready", "result": {"sample": "https://cdn.example/s.png"}}
    return Gateway(
        {
            ("POST", f"{API}/models/bfl/flux-2-pro/predictions"): {
                "output": [{"polling_url": "https://aihubmix.com/v1/tasks/t1", "taskId": "t1"}]
            },
            ("GET", f"{API}/tasks/t1"): [pending] * (polls - 1) + [ready],
            ("GET", "cdn.example/s.png"): httpx.Response(200, content=PNG),
        }
    )


def test_an_asynchronous_prediction_is_polled(
    both: Callable[[Gateway], AIHubMixClient], sleeps: list[float]
) -> None:
    gateway = _flux(polls=3)
    result = both(gateway).generate_image(
        "a fox", model="bfl/flux-2-pro", poll_interval=1.5, extra_body={"aspect_ratio": "1:1"}
    )
    assert gateway.body(0) == {"input": {"prompt": "a fox", "aspect_ratio": "1:1"}}
    assert [r.url.path for r in gateway.requests].count("/v1/tasks/t1") == 3
    assert sleeps == [1.5, 1.5]
    assert result.images[0].data == PNG and result.model == "bfl/flux-2-pro"


async def test_a_prediction_that_outlasts_the_timeout(
    both: Callable[[Gateway], AIHubMixClient], sleeps: list[float]
) -> None:
    with pytest.raises(JobTimeoutError) as caught:
        await both(_flux(polls=10)).agenerate_image(
            "a fox", model="bfl/flux-2-pro", poll_interval=2, timeout=5
        )
    assert caught.value.job_id == "t1" and sleeps == [2, 2, 1]


def test_edit_image_uploads_files(both: Callable[[Gateway], AIHubMixClient]) -> None:
    gateway = Gateway({("POST", f"{API}/images/edits"): {"data": [{"b64_json": B64}]}})
    both(gateway).edit_image("add a hat", [PNG, PNG], mask=PNG, size="1024x1024")
    sent = gateway.requests[0]
    assert sent.headers["content-type"].startswith("multipart/form-data")
    assert sent.content.count(b'name="image[]"; filename="image.png"') == 2
    assert b'name="mask"' in sent.content and b'name="size"\r\n\r\n1024x1024' in sent.content


SPEECH = ("POST", f"{API}/audio/speech")


async def test_speech_whole_and_streamed(both: Callable[[Gateway], AIHubMixClient]) -> None:
    audio = mediafiles.mp3("hello")
    gateway = Gateway(
        {SPEECH: httpx.Response(200, content=audio, headers={"content-type": "audio/mpeg"})}
    )
    client = both(gateway)
    result = client.create_speech("hello", voice="coral", instructions="cheerful")
    assert gateway.body() == {
        "model": "gpt-4o-mini-tts",
        "input": "hello",
        "voice": "coral",
        "instructions": "cheerful",
    }
    assert (result.data, result.mime_type, result.extension) == (audio, "audio/mpeg", "mp3")
    assert b"".join(client.stream_speech("hello")) == audio
    assert b"".join([chunk async for chunk in client.astream_speech("hello")]) == audio
    assert (await client.acreate_speech("hello")).data == audio


def test_a_bad_voice_sends_nothing(both: Callable[[Gateway], AIHubMixClient]) -> None:
    gateway = Gateway({})
    with pytest.raises(UnknownVoiceError):
        both(gateway).stream_speech("hello", voice="hal")
    assert gateway.requests == []


async def test_transcription_uploads_a_named_file(
    both: Callable[[Gateway], AIHubMixClient],
) -> None:
    verbose = {"text": "one two", "language": "english", "duration": 1.0, "segments": []}
    gateway = Gateway(
        {
            ("POST", f"{API}/audio/transcriptions"): verbose,
            ("POST", f"{API}/audio/translations"): httpx.Response(200, text="one two\n"),
        }
    )
    client = both(gateway)
    result = await client.atranscribe(
        mediafiles.wav("x"), response_format="verbose_json", language="en"
    )
    assert (result.text, result.language, result.duration) == ("one two", "english", 1.0)
    content = gateway.requests[0].content
    assert b'name="file"; filename="audio.wav"' in content and b"Content-Type: audio/wav" in content
    english = client.transcribe(mediafiles.wav("x"), response_format="text", translate=True)
    assert english.text == "one two"


async def test_rerank(both: Callable[[Gateway], AIHubMixClient]) -> None:
    reply = {
        "results": [{"index": 1, "relevance_score": 0.2}, {"index": 0, "relevance_score": 0.7}]
    }
    gateway = Gateway({("POST", f"{API}/rerank"): reply})
    client = both(gateway)
    assert client.rerank("q", []) == [] and await client.arerank("q", []) == []
    assert gateway.requests == []
    results = await client.arerank("q", ["a", "b"], top_n=1)
    assert [(r.index, r.relevance_score) for r in results] == [(0, 0.7)]
    assert gateway.body()["top_n"] == 1


def _video_gateway(final: dict[str, Any], polls: int = 3) -> Gateway:
    running = {"id": "v1", "status": "in_progress", "progress": 40}
    return Gateway(
        {
            ("POST", f"{API}/videos"): {"id": "v1", "status": "queued", "progress": 0},
            ("GET", f"{API}/videos/v1"): [running] * (polls - 1) + [{"id": "v1", **final}],
            ("GET", f"{API}/videos/v1/content"): httpx.Response(
                200, content=mediafiles.mp4("v1"), headers={"content-type": "video/mp4"}
            ),
            ("DELETE", f"{API}/videos/v1"): {"id": "v1", "deleted": True},
        }
    )


def test_generate_video_submits_polls_and_downloads(
    both: Callable[[Gateway], AIHubMixClient], sleeps: list[float]
) -> None:
    gateway = _video_gateway({"status": "completed", "progress": 100})
    seen: list[VideoJob] = []
    video = both(gateway).generate_video(
        "a cat", seconds=4, size="720x1280", wait={"progress": seen.append}
    )
    assert gateway.body(0) == {
        "model": "sora-2",
        "prompt": "a cat",
        "seconds": "4",
        "size": "720x1280",
    }
    assert [job.progress for job in seen] == [40, 40, 100] and sleeps == [15, 15]
    assert video.data == mediafiles.mp4("v1") and video.mime_type == "video/mp4"
    assert both(gateway).delete_video("v1") is True


@pytest.mark.parametrize(
    ("final", "reason"),
    [
        ({"status": "failed", "error": {"message": "upstream refused"}}, "upstream refused"),
        ({"status": "cancelled"}, "AIHubMix gave no reason"),
    ],
)
async def test_a_failed_or_cancelled_job_says_why(
    both: Callable[[Gateway], AIHubMixClient],
    final: dict[str, Any],
    reason: str,
    sleeps: list[float],
) -> None:
    with pytest.raises(JobFailedError, match=reason) as caught:
        await both(_video_gateway(final)).agenerate_video("a cat")
    assert caught.value.job_id == "v1" and caught.value.status == final["status"]


def test_a_wait_that_times_out_can_be_resumed(
    both: Callable[[Gateway], AIHubMixClient], sleeps: list[float]
) -> None:
    gateway = _video_gateway({"status": "completed"}, polls=4)
    client = both(gateway)
    job = client.submit_video("a cat")
    with pytest.raises(JobTimeoutError, match=r"wait_for_video\('v1'\)") as caught:
        client.wait_for_video(job.id, poll_interval=10, timeout=10)
    assert (caught.value.job_id, caught.value.progress) == ("v1", 40)
    done = client.wait_for_video(caught.value.job_id, poll_interval=10)
    assert done.state == "succeeded"
    assert client.download_video(done).job is done


def test_errors_quoting_the_key_lose_it(both: Callable[[Gateway], AIHubMixClient]) -> None:
    echo = httpx.Response(400, json={"error": {"message": f"bad key {KEY} here"}})
    gateway = Gateway({("POST", f"{API}/rerank"): echo})
    with pytest.raises(Exception) as caught:
        both(gateway).rerank("q", ["a"])
    assert KEY not in str(caught.value) and KEY not in json.dumps(caught.value.body)  # type: ignore[attr-defined]


def test_server_errors_are_retried(
    both: Callable[[Gateway], AIHubMixClient], sleeps: list[float]
) -> None:
    gateway = Gateway(
        {
            ("POST", f"{API}/images/generations"): [
                httpx.Response(503, json={"error": {"message": "busy"}}),
                {"data": [{"b64_json": B64}]},
            ]
        }
    )
    assert both(gateway).generate_image("a fox").images[0].data == PNG
    assert len(gateway.requests) == 2 and len(sleeps) == 1


def test_a_failed_prediction_task_says_why(
    both: Callable[[Gateway], AIHubMixClient], sleeps: list[float]
) -> None:
    gateway = _flux(polls=1)
    gateway.routes[("GET", f"{API}/tasks/t1")] = [
        {"id": "t1", "status": "Pending"},
        {"id": "t1", "status": "Content Moderated", "error": {"message": "x"}, "details": "nsfw"},
    ]
    with pytest.raises(JobFailedError, match="ended Content Moderated: nsfw") as caught:
        both(gateway).generate_image("a fox", model="bfl/flux-2-pro")
    assert caught.value.job_id == "t1" and sleeps == [2.0]
