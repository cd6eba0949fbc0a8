"""The LangChain media classes over a fake gateway: rerank as a document compressor, the
image, speech and video tools (with langchain-tests' ToolsUnitTests), the transcription
parser, and the errors they raise."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langchain_core.document_loaders import Blob, BlobLoader
from langchain_core.documents import Document
from langchain_core.exceptions import ModelInvalidRequestError
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool
from langchain_tests.unit_tests import ToolsUnitTests
from media_fakes import API, Gateway, no_waiting
from testkit import KEY

import aihubmix_core
from aihubmix_testing.emulator import mediafiles
from langchain_aihubmix import (
    AIHubMixContentModerationError,
    AIHubMixImageGenerationTool,
    AIHubMixRerank,
    AIHubMixTextToSpeechTool,
    AIHubMixTranscriptionParser,
    AIHubMixVideoGenerationTool,
)

PNG = mediafiles.png("unit")
WAV = mediafiles.wav("Hello from a blob.")
_ENV = {
    "AIHUBMIX_API_KEY": "sk-from-env-0123456789",
    "AIHUBMIX_BASE_URL": "https://example.test/v1",
}


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    return no_waiting(monkeypatch)


def _gateway() -> Gateway:
    return Gateway(
        {
            ("POST", f"{API}/rerank"): {
                "results": [
                    {"index": 2, "relevance_score": 0.9},
                    {"index": 0, "relevance_score": 0.5},
                    {"index": 1, "relevance_score": 0.1},
                ]
            },
            ("POST", f"{API}/images/generations"): {
                "data": [
                    {
                        "b64_json": base64.b64encode(PNG).decode(),
                        "url": "",
                        "revised_prompt": "A fox.",
                    }
                ]
            },
            ("POST", f"{API}/audio/speech"): httpx.Response(
                200, content=mediafiles.mp3("hi"), headers={"content-type": "audio/mpeg"}
            ),
            ("POST", f"{API}/videos"): {"id": "v1", "status": "queued"},
            ("GET", f"{API}/videos/v1"): [
                {"id": "v1", "status": "in_progress", "progress": 50},
                {"id": "v1", "status": "completed", "progress": 100},
            ],
            ("GET", f"{API}/videos/v1/content"): httpx.Response(
                200, content=mediafiles.mp4("v1"), headers={"content-type": "video/mp4"}
            ),
            ("POST", f"{API}/audio/transcriptions"): {
                "text": "Hello from a blob.",
                "language": "english",
                "duration": 1.2,
                "segments": [{"id": 0, "start": 0, "end": 1.2, "text": " Hello from a blob."}],
            },
        }
    )


def _make(cls: type[Any], gateway: Gateway, **kwargs: Any) -> Any:
    return cls(api_key=KEY, **gateway.clients(), **kwargs)


DOCS = [
    Document("foxes eat berries", metadata={"id": "a"}),
    Document("the sky is blue", metadata={"id": "b"}),
    Document("red foxes eat mice", metadata={"id": "c"}),
]


async def test_rerank_returns_copies_best_first_with_their_score() -> None:
    gateway = _gateway()
    reranker = _make(AIHubMixRerank, gateway, top_n=2)
    ranked = reranker.compress_documents(DOCS, "what do foxes eat?")
    assert [(d.metadata["id"], d.metadata["relevance_score"]) for d in ranked] == [
        ("c", 0.9),
        ("a", 0.5),
    ]
    assert gateway.body() == {
        "model": "jina-reranker-v2-base-multilingual",
        "query": "what do foxes eat?",
        "documents": [d.page_content for d in DOCS],
        "top_n": 2,
    }
    assert "relevance_score" not in DOCS[2].metadata  # the caller's documents are untouched
    kept = await _make(AIHubMixRerank, gateway, score_threshold=0.4).acompress_documents(DOCS, "q")
    assert [d.metadata["id"] for d in kept] == ["c", "a"]


def test_rerank_without_documents_sends_nothing() -> None:
    gateway = _gateway()
    assert _make(AIHubMixRerank, gateway).compress_documents([], "q") == []
    assert gateway.requests == []


def test_the_key_stays_out_of_repr_and_dumps() -> None:
    reranker = AIHubMixRerank(api_key=KEY)
    assert KEY not in repr(reranker) and KEY not in str(reranker.model_dump())


def test_image_tool_answers_with_text_image_blocks_and_an_artifact(tmp_path: Path) -> None:
    tool = _make(AIHubMixImageGenerationTool, _gateway(), output_dir=str(tmp_path))
    message = tool.invoke(
        {"name": tool.name, "args": {"prompt": "a fox"}, "id": "call_1", "type": "tool_call"}
    )
    assert isinstance(message, ToolMessage)
    text, image = message.content
    assert isinstance(text, dict) and "Made 1 image(s)" in text["text"] and "A fox." in text["text"]
    assert image == {
        "type": "image",
        "base64": base64.b64encode(PNG).decode(),
        "mime_type": "image/png",
    }
    (saved,) = message.artifact["files"]
    assert Path(saved).read_bytes() == PNG and Path(saved).parent == tmp_path
    assert message.artifact["result"].images[0].data == PNG


async def test_speech_tool(tmp_path: Path) -> None:
    gateway = _gateway()
    tool = _make(AIHubMixTextToSpeechTool, gateway, output_dir=str(tmp_path), voice="nova")
    content, artifact = await tool._arun(text="Hello there")
    assert "mp3 audio" in content and "voice nova" in content
    assert Path(artifact["files"][0]).suffix == ".mp3"
    assert gateway.body()["voice"] == "nova"


def test_video_tool_waits_with_a_progress_bar(
    waits: list[float], capsys: pytest.CaptureFixture[str]
) -> None:
    tool = _make(AIHubMixVideoGenerationTool, _gateway(), show_progress=True, poll_interval=5)
    content, artifact = tool._run(prompt="a cat", seconds=4)
    assert "job v1" in content and artifact["result"].mime_type == "video/mp4"
    assert waits == [5]
    assert "Video" in capsys.readouterr().err


def test_tool_errors_are_langchain_errors() -> None:
    refusal = httpx.Response(400, json={"error": {"message": "no", "code": "moderation_blocked"}})
    gateway = Gateway({("POST", f"{API}/images/generations"): refusal})
    tool = _make(AIHubMixImageGenerationTool, gateway, max_retries=0)
    with pytest.raises(AIHubMixContentModerationError) as caught:
        tool.invoke({"prompt": "forbidden"})
    assert isinstance(caught.value, ModelInvalidRequestError)
    assert isinstance(caught.value, aihubmix_core.ContentModerationError)


def test_parser_reads_blobs_from_paths_and_data(tmp_path: Path) -> None:
    gateway = _gateway()
    path = tmp_path / "memo.wav"
    path.write_bytes(WAV)
    parser = _make(AIHubMixTranscriptionParser, gateway, language="en")
    (document,) = parser.parse(Blob.from_path(path))
    assert document.page_content == "Hello from a blob."
    assert document.metadata["source"] == str(path)
    assert document.metadata["language"] == "english" and document.metadata["duration"] == 1.2
    assert document.metadata["segments"][0]["text"] == "Hello from a blob."
    assert b'filename="memo.wav"' in gateway.requests[0].content
    (from_data,) = parser.parse(Blob.from_data(WAV))
    assert b'filename="audio.wav"' in gateway.requests[1].content
    assert from_data.page_content == "Hello from a blob."


class _Folder(BlobLoader):
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def yield_blobs(self) -> Iterator[Blob]:
        for path in sorted(self.folder.iterdir()):
            yield Blob.from_path(path)


def test_parser_over_a_blob_loader_with_progress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.wav", "b.wav", "c.wav"):
        (tmp_path / name).write_bytes(WAV)
    parser = _make(AIHubMixTranscriptionParser, _gateway(), show_progress=True)
    # what GenericLoader does: each blob of the loader through lazy_parse
    loaded = [doc for blob in _Folder(tmp_path).yield_blobs() for doc in parser.lazy_parse(blob)]
    assert len(loaded) == 3
    documents = parser.parse_many(list(_Folder(tmp_path).yield_blobs()))
    assert [Path(d.metadata["source"]).name for d in documents] == ["a.wav", "b.wav", "c.wav"]
    assert "Transcribing" in capsys.readouterr().err


async def test_parser_refuses_bad_audio_before_any_request(tmp_path: Path) -> None:
    gateway = _gateway()
    parser = _make(AIHubMixTranscriptionParser, gateway)
    big = tmp_path / "long.wav"
    with big.open("wb") as handle:
        handle.truncate(26 * 1024 * 1024)
    with pytest.raises(aihubmix_core.FileTooLargeError, match="25 MB"):
        parser.parse(Blob.from_path(big))
    with pytest.raises(aihubmix_core.UnsupportedFormatError, match="mp3"):
        await parser.aparse(Blob.from_data(b"not audio", path="notes.txt"))
    assert gateway.requests == []


class _ToolUnit(ToolsUnitTests):
    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return {"api_key": KEY}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return (
            _ENV,
            {},
            {"api_key": _ENV["AIHUBMIX_API_KEY"], "base_url": _ENV["AIHUBMIX_BASE_URL"]},
        )


class TestImageToolUnit(_ToolUnit):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return AIHubMixImageGenerationTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"prompt": "a watercolour fox", "size": "1024x1024"}


class TestSpeechToolUnit(_ToolUnit):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return AIHubMixTextToSpeechTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"text": "Hello there.", "voice": "coral"}


class TestVideoToolUnit(_ToolUnit):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return AIHubMixVideoGenerationTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"prompt": "a cat surfing", "seconds": 4}
