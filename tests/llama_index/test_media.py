"""The LlamaIndex media classes against AIHubMix, replayed from cassettes: a query engine
reranked by AIHubMixRerank, a FunctionAgent with the tool spec, and transcripts indexed.

Recorded from the loopback emulator (``AIHUBMIX_RECORD_MODE=all``); polls do not wait."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from llama_index.core import Document, VectorStoreIndex
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from media_fakes import no_waiting

import aihubmix_core
from aihubmix_testing.emulator import mediafiles
from llama_index_aihubmix import (
    AIHubMix,
    AIHubMixEmbedding,
    AIHubMixRerank,
    AIHubMixToolSpec,
    AIHubMixTranscriptionReader,
)

pytestmark = pytest.mark.vcr

FACTS = [
    "Red foxes eat mice, rabbits and berries.",
    "Paris is the capital of France.",
    "Arctic foxes eat lemmings and fish in winter.",
    "The Seine flows through Paris.",
    "Foxes live in dens.",
]
QUESTION = "What do foxes eat?"


@pytest.fixture(autouse=True)
def _in_a_fresh_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Files land in ./media under a fresh folder, so the paths the tools report (and the
    agent sends back to the model) are the same in every run; polls do not wait."""
    monkeypatch.chdir(tmp_path)
    return no_waiting(monkeypatch)


@pytest.fixture
def index() -> VectorStoreIndex:
    documents = [Document(text=fact) for fact in FACTS]
    return VectorStoreIndex.from_documents(documents, embed_model=AIHubMixEmbedding())


def _check_two_best(nodes: list[object]) -> None:
    scores = [node.score for node in nodes]  # type: ignore[attr-defined]
    texts = [node.node.get_content() for node in nodes]  # type: ignore[attr-defined]
    assert len(nodes) == 2 and scores == sorted(scores, reverse=True)
    assert all("foxes eat" in text for text in texts)


def test_query_engine_keeps_the_two_best_nodes(index: VectorStoreIndex) -> None:
    engine = index.as_query_engine(
        llm=AIHubMix(), similarity_top_k=3, node_postprocessors=[AIHubMixRerank(top_n=2)]
    )
    response = engine.query(QUESTION)
    _check_two_best(response.source_nodes)
    assert "foxes eat" in str(response)


async def test_query_engine_async(index: VectorStoreIndex) -> None:
    engine = index.as_query_engine(
        llm=AIHubMix(), similarity_top_k=3, node_postprocessors=[AIHubMixRerank(top_n=2)]
    )
    response = await engine.aquery(QUESTION)
    _check_two_best(response.source_nodes)


async def test_function_agent_makes_an_image_and_a_speech_file() -> None:
    spec = AIHubMixToolSpec(output_dir="media")
    agent = FunctionAgent(
        tools=spec.to_tool_list(), llm=AIHubMix(), system_prompt="You make media with tools."
    )
    handler = agent.run(
        user_msg="Use generate_image to draw a fox in the snow, then text_to_speech to say "
        "'Here is your fox'."
    )
    results = [e async for e in handler.stream_events() if isinstance(e, ToolCallResult)]
    await handler
    assert [r.tool_name for r in results] == ["generate_image", "text_to_speech"]
    made = sorted(os.listdir("media"))
    assert [name.rsplit(".", 1)[1] for name in made] == ["png", "mp3"]
    assert all(name in str(results) for name in made)


SPOKEN = [
    "The warehouse opens at seven. Deliveries arrive before noon.",
    "Invoices are paid on Fridays. Ask Maria about refunds.",
]


def _recordings() -> list[Path]:
    paths = []
    for number, text in enumerate(SPOKEN):
        path = Path(f"call-{number}.wav")
        path.write_bytes(mediafiles.wav(text))
        paths.append(path)
    return paths


def test_reader_documents_in_a_vector_index() -> None:
    documents = AIHubMixTranscriptionReader(show_progress=True).load_data(_recordings())
    assert [d.text for d in documents] == SPOKEN
    index = VectorStoreIndex.from_documents(documents, embed_model=AIHubMixEmbedding())
    engine = index.as_query_engine(llm=AIHubMix(), similarity_top_k=1)
    response = engine.query("When are invoices paid?")
    source = response.source_nodes[0].node
    assert source.metadata["file_name"] == "call-1.wav" and "Fridays" in source.get_content()
    assert str(response).strip()


async def test_reader_async_and_the_tool_spec_async() -> None:
    documents = await AIHubMixTranscriptionReader().aload_data(_recordings())
    assert [d.metadata["language"] for d in documents] == ["english", "english"]
    spec = AIHubMixToolSpec(output_dir="media")
    transcript = await spec.atranscribe_audio("call-0.wav")
    assert SPOKEN[0] in transcript
    video = await spec.agenerate_video("a fox running through snow", seconds=4)
    assert video.endswith(".mp4") and "job video_" in video


def test_tool_spec_edits_an_image_and_reports_a_failed_video() -> None:
    spec = AIHubMixToolSpec(output_dir="media")
    made = spec.generate_image("a red fox, watercolour")
    edited = spec.edit_image("add a blue scarf", made.split(": ", 1)[1].rstrip("."))
    assert "Saved 1 image(s)" in edited
    with pytest.raises(aihubmix_core.JobFailedError, match="could not render"):
        spec.generate_video("a scene that will fail")
