"""The emulator's media routes answer in the shapes aihubmix-api.md documents, including
the awkward ones: unused image fields as "", URL-only images, predictions and videos that
need several polls, a failed job and a moderation refusal."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from aihubmix_core import AIHubMixClient
from aihubmix_testing.emulator import mediafiles, serve_in_thread

KEY = "emulator-test-key"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_in_thread() as url:
        yield url


@pytest.fixture
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {KEY}"}) as client:
        yield client


def test_gpt_image_fills_unused_fields_with_empty_strings(api: httpx.Client) -> None:
    body = api.post("/images/generations", json={"model": "gpt-image-1", "prompt": "a fox"}).json()
    (item,) = body["data"]
    assert item["url"] == "" and item["revised_prompt"] == ""
    assert base64.b64decode(item["b64_json"]).startswith(b"\x89PNG")
    assert body["usage"]["total_tokens"] > 0


def test_dall_e_without_response_format_answers_with_a_url_on_another_host(
    api: httpx.Client, base_url: str
) -> None:
    body = api.post("/images/generations", json={"model": "dall-e-3", "prompt": "a fox"}).json()
    (item,) = body["data"]
    assert item["b64_json"] == "" and item["url"].startswith("http://localhost:")
    assert item["revised_prompt"]
    assert httpx.get(item["url"]).content.startswith(b"\x89PNG")  # no key needed


def test_moderation_refusal(api: httpx.Client) -> None:
    reply = api.post("/images/generations", json={"model": "gpt-image-1", "prompt": "forbidden"})
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "moderation_blocked"


def test_flux_prediction_needs_several_polls(api: httpx.Client) -> None:
    body = api.post("/models/bfl/flux-2-pro/predictions", json={"input": {"prompt": "x"}}).json()
    polling_url = body["output"][0]["polling_url"]
    statuses = [api.get(polling_url).json()["status"] for _ in range(3)]
    assert statuses == ["Pending", "Pending", "Ready"]


@pytest.mark.parametrize(
    ("vendor", "key"),
    [("google", "output"), ("bailian", "output"), ("doubao", "data"), ("ideogram", "images")],
)
def test_prediction_families(api: httpx.Client, vendor: str, key: str) -> None:
    body = api.post(f"/models/{vendor}/some-model/predictions", json={"input": {"prompt": "x"}})
    assert key in body.json()


def test_video_jobs_need_several_polls_and_can_fail(api: httpx.Client) -> None:
    def run(prompt: str) -> list[dict[str, Any]]:
        job = api.post("/videos", json={"model": "sora-2", "prompt": prompt, "seconds": "4"}).json()
        assert job["status"] == "queued"
        return [api.get(f"/videos/{job['id']}").json() for _ in range(3)]

    done = run("a cat")
    assert [p["status"] for p in done] == ["in_progress", "in_progress", "completed"]
    content = api.get(f"/videos/{done[-1]['id']}/content")
    assert content.headers["content-type"] == "video/mp4"
    failed = run("this will fail")[-1]
    assert failed["status"] == "failed" and failed["error"]["message"]
    assert api.delete(f"/videos/{done[-1]['id']}").json()["deleted"] is True
    assert api.get(f"/videos/{done[-1]['id']}").status_code == 404


def test_transcription_needs_a_real_extension(api: httpx.Client) -> None:
    audio = mediafiles.wav("hello")
    reply = api.post(
        "/audio/transcriptions", data={"model": "whisper-1"}, files={"file": ("blob", audio)}
    )
    assert reply.status_code == 400 and "Supported formats" in reply.json()["error"]["message"]


def test_speech_round_trips_through_transcription(base_url: str) -> None:
    with AIHubMixClient(api_key=KEY, base_url=base_url) as client:
        speech = client.create_speech("The emulator speaks and listens.", response_format="wav")
        assert client.transcribe(speech.data).text == "The emulator speaks and listens."


def test_rerank_orders_by_shared_words(api: httpx.Client) -> None:
    documents = ["bananas are yellow", "the red fox", "a fox in red"]
    body = api.post(
        "/rerank", json={"model": "jina-reranker-m0", "query": "red fox", "documents": documents}
    ).json()
    assert [r["index"] for r in body["results"]] == [1, 2, 0]


def test_media_routes_want_a_key(base_url: str) -> None:
    assert httpx.post(f"{base_url}/rerank", json={}).status_code == 401
