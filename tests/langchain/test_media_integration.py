"""The LangChain media classes against AIHubMix, replayed from cassettes: langchain-tests'
ToolsIntegrationTests for each tool, a contextual compression retriever, the parser.

Recorded from the loopback emulator (``AIHUBMIX_RECORD_MODE=all``); polls do not wait."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langchain_classic.retrievers import ContextualCompressionRetriever
from langchain_core.document_loaders import Blob
from langchain_core.documents import Document
from langchain_core.tools import BaseTool
from langchain_core.vectorstores import InMemoryVectorStore
from langchain_tests.integration_tests import ToolsIntegrationTests
from media_fakes import no_waiting

import aihubmix_core
from aihubmix_testing.emulator import mediafiles
from langchain_aihubmix import (
    AIHubMixEmbeddings,
    AIHubMixImageGenerationTool,
    AIHubMixRerank,
    AIHubMixTextToSpeechTool,
    AIHubMixTranscriptionParser,
    AIHubMixVideoGenerationTool,
)

pytestmark = pytest.mark.vcr

FACTS = [
    "Paris is the capital of France and sits on the Seine.",
    "Red foxes eat mice, berries and insects.",
    "The Seine flows through Paris to the English Channel.",
    "Mount Fuji is the highest mountain in Japan.",
    "Arctic foxes eat lemmings in winter.",
]


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    return no_waiting(monkeypatch)


def _retriever() -> ContextualCompressionRetriever:
    store = InMemoryVectorStore.from_texts(
        FACTS, AIHubMixEmbeddings(model="text-embedding-3-small")
    )
    return ContextualCompressionRetriever(
        base_compressor=AIHubMixRerank(model="jina-reranker-m0", top_n=2),
        base_retriever=store.as_retriever(search_kwargs={"k": 4}),
    )


def _check_rerank_order(documents: list[Document]) -> None:
    scores = [d.metadata["relevance_score"] for d in documents]
    assert len(documents) == 2 and scores == sorted(scores, reverse=True)
    assert "foxes eat" in documents[0].page_content


def test_contextual_compression_retriever_returns_rerank_order() -> None:
    _check_rerank_order(_retriever().invoke("What do foxes eat?"))


async def test_contextual_compression_retriever_async() -> None:
    _check_rerank_order(await _retriever().ainvoke("What do foxes eat?"))


SPOKEN = "The meeting starts at nine. Bring the quarterly report."


def test_parser_transcribes_a_file(tmp_path: Path) -> None:
    path = tmp_path / "memo.wav"
    path.write_bytes(mediafiles.wav(SPOKEN))
    (document,) = AIHubMixTranscriptionParser().parse(Blob.from_path(path))
    assert document.page_content == SPOKEN
    assert document.metadata["language"] == "english"
    assert [s["text"] for s in document.metadata["segments"]] == [
        "The meeting starts at nine.",
        "Bring the quarterly report.",
    ]


async def test_parser_async_translates() -> None:
    parser = AIHubMixTranscriptionParser(translate=True, response_format="json")
    (document,) = await parser.aparse(Blob.from_data(mediafiles.mp3(SPOKEN), path="memo.mp3"))
    assert document.page_content == SPOKEN and "segments" not in document.metadata


def test_speech_made_by_the_tool_transcribes_back(tmp_path: Path) -> None:
    tool = AIHubMixTextToSpeechTool(output_dir=str(tmp_path), audio_format="wav")
    _, artifact = tool._run(text=SPOKEN)
    (document,) = AIHubMixTranscriptionParser().parse(Blob.from_path(artifact["files"][0]))
    assert document.page_content == SPOKEN


def test_a_refused_image_prompt() -> None:
    with pytest.raises(aihubmix_core.ContentModerationError, match="may still charge"):
        AIHubMixImageGenerationTool().invoke({"prompt": "something forbidden"})


def test_a_failed_video_job_says_why() -> None:
    with pytest.raises(aihubmix_core.JobFailedError, match="could not render"):
        AIHubMixVideoGenerationTool().invoke({"prompt": "a scene that will fail"})


class TestImageToolIntegration(ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return AIHubMixImageGenerationTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"prompt": "a watercolour fox in the snow", "size": "1024x1024"}


class TestFluxImageToolIntegration(TestImageToolIntegration):
    """A polled prediction family behind the same tool."""

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return {"model": "bfl/flux-2-pro", "image_blocks": False}


class TestSpeechToolIntegration(ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return AIHubMixTextToSpeechTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"text": "Welcome to the AIHubMix tools.", "voice": "coral"}


class TestVideoToolIntegration(ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return AIHubMixVideoGenerationTool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"prompt": "a cat surfing at sunset", "seconds": 4}
