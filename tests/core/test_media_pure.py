"""The media routes' pure pieces: request builders, reply parsers, uploads, poll decisions.

Every check of bad input here raises before any request (no transport is involved)."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest

from aihubmix_core import (
    APIResponseError,
    ContentModerationError,
    FileTooLargeError,
    InvalidInputError,
    TextTooLongError,
    UnknownVoiceError,
    UnsupportedFormatError,
    error_from_body,
)
from aihubmix_core.media.files import AUDIO, IMAGE, read_upload, sniff_extension
from aihubmix_core.media.flow import BinaryReply, check_body
from aihubmix_core.media.images import edit_form, generation_payload, image_items
from aihubmix_core.media.polling import PollSchedule, job_state
from aihubmix_core.media.predictions import (
    PendingPrediction,
    is_prediction_model,
    prediction_items,
    prediction_path,
    prediction_payload,
)
from aihubmix_core.media.rerank import parse_rerank, rerank_payload
from aihubmix_core.media.speech import speech_payload, speech_result
from aihubmix_core.media.transcription import parse_transcription, transcription_form
from aihubmix_core.media.videos import parse_video_job, video_payload
from aihubmix_testing.emulator import mediafiles

PNG = mediafiles.png("test")
WAV = mediafiles.wav("one two three")


# images


def test_gpt_image_payload_leaves_out_response_format_and_size_auto() -> None:
    payload = generation_payload("a fox", {"size": "auto", "quality": "low", "n": 2})
    assert payload == {"model": "gpt-image-1", "prompt": "a fox", "quality": "low", "n": 2}


def test_dall_e_asks_for_base64() -> None:
    payload = generation_payload("a fox", {"model": "dall-e-3", "extra_body": {"style": "vivid"}})
    assert payload["response_format"] == "b64_json" and payload["style"] == "vivid"


def test_empty_prompt_is_refused_before_any_request() -> None:
    with pytest.raises(InvalidInputError, match="prompt is empty"):
        generation_payload("  ", {})


def test_empty_strings_in_image_replies_count_as_absent() -> None:
    items = image_items(
        [{"b64_json": "", "url": "https://x/a.png", "revised_prompt": ""}, {"b64_json": "QUJD"}]
    )
    assert (items[0].b64, items[0].url, items[0].revised_prompt) == (None, "https://x/a.png", None)
    assert items[1].b64 == "QUJD"


def test_edit_form_sends_one_image_as_image_and_several_as_image_brackets() -> None:
    one = read_upload(PNG, IMAGE)
    data, files = edit_form("add a hat", [one], None, {"n": 1})
    assert data == {"model": "gpt-image-1", "prompt": "add a hat", "n": "1"}
    assert [name for name, _ in files] == ["image"]
    _, files = edit_form("add a hat", [one, one], one, {})
    assert [name for name, _ in files] == ["image[]", "image[]", "mask"]
    assert files[0][1] == ("image.png", PNG, "image/png")


# predictions


@pytest.mark.parametrize(
    ("model", "expected"),
    [("bfl/flux-2-pro", True), ("google/imagen-4.0-fast", True), ("gpt-image-1", False)],
)
def test_vendor_model_ids_go_to_predictions(model: str, expected: bool) -> None:
    assert is_prediction_model(model) is expected


def test_prediction_path_and_payload() -> None:
    assert prediction_path("bfl/flux-2-pro") == "models/bfl/flux-2-pro/predictions"
    payload = prediction_payload("a fox", {"extra_body": {"aspect_ratio": "1:1"}})
    assert payload == {"input": {"prompt": "a fox", "aspect_ratio": "1:1"}}


B64 = base64.b64encode(PNG).decode()


@pytest.mark.parametrize(
    "body",
    [
        {"output": {"b64_json": [{"bytesBase64": B64}]}},
        {"output": [{"bytesBase64": B64}]},
        {"output": {"urls": ["https://cdn.test/a.png"]}},
        {"data": [{"url": "https://cdn.test/a.png", "b64_json": ""}]},
        {"data": [{"b64_json": B64, "url": ""}]},
        {"images": ["https://cdn.test/a.png"]},
    ],
    ids=["output.b64_json", "output-list", "output.urls", "data-url", "data-b64", "images"],
)
def test_every_prediction_reply_shape_gives_one_image(body: dict[str, object]) -> None:
    (item,) = prediction_items(body)
    assert not isinstance(item, PendingPrediction)
    assert item.b64 == B64 or item.url == "https://cdn.test/a.png"


def test_a_flux_reply_is_a_task_to_poll() -> None:
    (pending,) = prediction_items({"output": [{"polling_url": "https://p.test/1", "taskId": "t1"}]})
    assert isinstance(pending, PendingPrediction)
    assert (pending.polling_url, pending.task_id) == ("https://p.test/1", "t1")


# speech


def test_speech_payload_checks_its_input() -> None:
    assert speech_payload("hi", {"voice": "nova", "speed": 1.5}) == {
        "model": "gpt-4o-mini-tts",
        "input": "hi",
        "voice": "nova",
        "speed": 1.5,
    }
    with pytest.raises(TextTooLongError, match="4,096"):
        speech_payload("a" * 4097, {})
    with pytest.raises(UnknownVoiceError, match="alloy, ash"):
        speech_payload("hi", {"voice": "bob"})
    with pytest.raises(UnsupportedFormatError, match="mp3, opus, aac, flac, wav, pcm"):
        speech_payload("hi", {"response_format": "ogg"})
    with pytest.raises(InvalidInputError, match="instructions"):
        speech_payload("hi", {"model": "tts-1", "instructions": "whisper"})
    with pytest.raises(InvalidInputError, match="speed"):
        speech_payload("hi", {"speed": 5})
    # other families' voices are theirs to check
    assert speech_payload("hi", {"model": "gemini-2.5-flash-preview-tts", "voice": "Kore"})


def test_speech_result_mime_type() -> None:
    payload = speech_payload("hi", {"response_format": "wav"})
    assert speech_result(WAV, "application/octet-stream", payload).mime_type == "audio/wav"
    assert speech_result(b"x", "audio/mpeg", payload).mime_type == "audio/mpeg"


# uploads and transcription


def test_uploads_get_a_real_extension(tmp_path: Path) -> None:
    assert read_upload(WAV, AUDIO).name == "audio.wav"
    assert read_upload(WAV, AUDIO, filename="take").name == "take.wav"
    path = tmp_path / "note.MP3"
    path.write_bytes(mediafiles.mp3("hi"))
    assert read_upload(path, AUDIO).name == "note.mp3"
    assert read_upload(io.BytesIO(WAV), AUDIO).name == "audio.wav"
    with path.open("rb") as handle:
        assert read_upload(handle, AUDIO).mime_type == "audio/mpeg"


def test_bad_audio_is_refused_before_any_request(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormatError, match="flac, m4a, mp3"):
        read_upload(b"plain text", AUDIO)
    with pytest.raises(UnsupportedFormatError, match=r"\.aiff"):
        read_upload(WAV, AUDIO, filename="take.aiff")
    big = tmp_path / "long.wav"
    with big.open("wb") as handle:
        handle.truncate(25 * 1024 * 1024 + 1)
    with pytest.raises(FileTooLargeError, match="25 MB"):
        read_upload(big, AUDIO)
    with pytest.raises(InvalidInputError, match="empty"):
        read_upload(b"", AUDIO)
    with pytest.raises(InvalidInputError, match="no audio file"):
        read_upload(tmp_path / "missing.wav", AUDIO)
    with pytest.raises(UnsupportedFormatError, match="transcript format"):
        transcription_form(WAV, {"response_format": "xml"})


def test_sniffing() -> None:
    assert [sniff_extension(x) for x in (PNG, WAV, mediafiles.mp3("a"), mediafiles.mp4("v"))] == [
        "png",
        "wav",
        "mp3",
        "mp4",
    ]


def test_transcription_form_fields() -> None:
    data, files = transcription_form(
        WAV, {"language": "en", "temperature": 0.0, "timestamp_granularities": ["segment"]}
    )
    assert data == {
        "model": "whisper-1",
        "response_format": "json",
        "language": "en",
        "temperature": "0.0",
        "timestamp_granularities[]": ["segment"],
    }
    assert files[0][0] == "file" and files[0][1][0] == "audio.wav"


def test_transcripts_in_each_format() -> None:
    form = {"model": "whisper-1", "response_format": "verbose_json"}
    verbose = {
        "text": " Hello there. ",
        "language": "english",
        "duration": "1.5",
        "segments": [{"id": 0, "start": 0, "end": 1.5, "text": " Hello there."}],
    }
    result = parse_transcription(
        BinaryReply(json.dumps(verbose).encode(), "application/json"), form
    )
    assert (result.text, result.language, result.duration) == ("Hello there.", "english", 1.5)
    assert result.segments[0].text == "Hello there." and result.segments[0].end == 1.5
    srt = parse_transcription(
        BinaryReply(b"1\n00:00:00,000 --> 00:00:01,000\nHi\n", "text/plain"),
        {"model": "whisper-1", "response_format": "srt"},
    )
    assert srt.text.startswith("1\n00:00:00,000") and srt.segments == []
    with pytest.raises(APIResponseError, match="not JSON"):
        parse_transcription(BinaryReply(b"<html>", "text/html"), form)


# rerank


def test_rerank_payload_and_results_best_first() -> None:
    payload = rerank_payload("q", ["a", {"text": "b"}], {"top_n": 5, "return_documents": True})
    assert payload == {
        "model": "jina-reranker-v2-base-multilingual",
        "query": "q",
        "documents": ["a", {"text": "b"}],
        "top_n": 2,
        "return_documents": True,
    }
    body = {
        "results": [
            {"index": 0, "relevance_score": 0.1},
            {"index": 1, "relevance_score": 0.9, "document": {"text": "b"}},
        ]
    }
    results = parse_rerank(body, 2)
    assert [(r.index, r.relevance_score, r.document) for r in results] == [
        (1, 0.9, "b"),
        (0, 0.1, None),
    ]
    with pytest.raises(APIResponseError, match="valid index"):
        parse_rerank({"results": [{"index": 7, "relevance_score": 1}]}, 2)
    with pytest.raises(InvalidInputError, match="query is empty"):
        rerank_payload("", ["a"], {})


# videos and polling


def test_video_payload_sends_seconds_as_a_string_and_the_reference_as_an_object() -> None:
    payload = video_payload("a cat", {"seconds": 8, "input_reference": "https://x/first.png"})
    assert payload == {
        "model": "sora-2",
        "prompt": "a cat",
        "seconds": "8",
        "input_reference": {"image_url": "https://x/first.png"},
    }


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("completed", "succeeded"),
        ("succeeded", "succeeded"),
        ("Ready", "succeeded"),
        ("done", "succeeded"),
        ("failed", "failed"),
        ("cancelled", "failed"),
        ("rejected", "failed"),
        ("Content Moderated", "failed"),
        ("in_progress", "running"),
        ("queued", "running"),
        ("Pending", "running"),
    ],
)
def test_job_states(status: str, state: str) -> None:
    assert job_state(status) == state


def test_a_failed_video_job_keeps_its_reason() -> None:
    job = parse_video_job({"id": "v1", "status": "failed", "error": {"message": "nope"}})
    assert (job.state, job.error) == ("failed", "nope")


def test_the_poll_schedule_counts_the_waits_it_asked_for() -> None:
    schedule = PollSchedule(interval=15, timeout=40)
    assert [schedule.next_wait(), schedule.next_wait(), schedule.next_wait()] == [15, 15, 10]
    assert schedule.next_wait() is None


# errors


def test_moderation_refusals_are_their_own_class_and_say_it_may_be_charged() -> None:
    body = {"error": {"message": "rejected by the safety system", "code": "moderation_blocked"}}
    error = error_from_body(400, json.dumps(body))
    assert isinstance(error, ContentModerationError)
    assert "may still charge" in str(error)


def test_an_error_object_in_a_2xx_media_reply_raises() -> None:
    with pytest.raises(ContentModerationError):
        check_body({"error": {"message": "x", "code": "moderation_blocked"}})
    assert check_body({"data": []}) == {"data": []}
