"""The LlamaIndex media classes over a fake gateway: the rerank postprocessor, the tool
spec and the transcription reader, and their namespace imports."""

from __future__ import annotations

import asyncio
import base64
import copy
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from llama_index.core.schema import MetadataMode, NodeWithScore, TextNode
from media_fakes import API, Gateway, no_waiting
from testkit import KEY

import aihubmix_core
from aihubmix_testing.emulator import mediafiles
from llama_index_aihubmix import AIHubMixRerank, AIHubMixToolSpec, AIHubMixTranscriptionReader

PNG = mediafiles.png("unit")
WAV = mediafiles.wav("Hello reader.")
VERBOSE = {
    "text": "Hello reader.",
    "language": "english",
    "duration": 0.7,
    "segments": [{"id": 0, "start": 0, "end": 0.7, "text": " Hello reader."}],
}


def _gateway() -> Gateway:
    return Gateway(
        {
            ("POST", f"{API}/rerank"): {
                "results": [
                    {"index": 1, "relevance_score": 0.8},
                    {"index": 0, "relevance_score": 0.3},
                ]
            },
            ("POST", f"{API}/images/generations"): {
                "data": [
                    {"b64_json": base64.b64encode(PNG).decode(), "url": "", "revised_prompt": ""}
                ]
            },
            ("POST", f"{API}/images/edits"): {
                "data": [{"b64_json": base64.b64encode(PNG).decode()}]
            },
            ("POST", f"{API}/audio/speech"): httpx.Response(
                200, content=mediafiles.mp3("hi"), headers={"content-type": "audio/mpeg"}
            ),
            ("POST", f"{API}/audio/transcriptions"): VERBOSE,
            ("POST", f"{API}/videos"): {"id": "v9", "status": "queued"},
            ("GET", f"{API}/videos/v9"): [
                {"id": "v9", "status": "in_progress", "progress": 10},
                {"id": "v9", "status": "completed", "progress": 100},
            ],
            ("GET", f"{API}/videos/v9/content"): httpx.Response(
                200, content=mediafiles.mp4("v9"), headers={"content-type": "video/mp4"}
            ),
        }
    )


def _settings(gateway: Gateway) -> dict[str, Any]:
    clients = gateway.clients()
    return {
        "api_key": KEY,
        "http_client": clients["http_client"],
        "async_http_client": clients["http_async_client"],
    }


NODES = [
    NodeWithScore(node=TextNode(text="foxes sleep in dens", id_="a"), score=0.9),
    NodeWithScore(node=TextNode(text="foxes eat mice", id_="b"), score=0.7),
]


async def test_rerank_puts_its_scores_on_the_nodes() -> None:
    gateway = _gateway()
    rerank = AIHubMixRerank(top_n=2, **_settings(gateway))
    ranked = rerank.postprocess_nodes(NODES, query_str="what do foxes eat?")
    assert [(n.node.node_id, n.score) for n in ranked] == [("b", 0.8), ("a", 0.3)]
    assert gateway.body()["documents"] == ["foxes sleep in dens", "foxes eat mice"]
    again = await rerank.apostprocess_nodes(NODES, query_str="what do foxes eat?")
    assert [n.node.node_id for n in again] == ["b", "a"]
    assert NODES[0].score == 0.9  # the retriever's nodes are untouched


def test_rerank_edge_cases() -> None:
    gateway = _gateway()
    rerank = AIHubMixRerank(**_settings(gateway))
    assert rerank.postprocess_nodes([], query_str="q") == []
    with pytest.raises(ValueError, match="needs the query"):
        rerank.postprocess_nodes(NODES)
    assert gateway.requests == []


def test_rerank_copies_and_pickles_keep_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIHUBMIX_API_KEY", raising=False)
    rerank = AIHubMixRerank(api_key="sk-rerank-key-for-workers", top_n=3)
    assert "sk-rerank" not in repr(rerank) and "sk-rerank" not in str(rerank.to_dict())
    for clone in (copy.deepcopy(rerank), pickle.loads(pickle.dumps(rerank))):
        assert clone.client.config.secret() == "sk-rerank-key-for-workers" and clone.top_n == 3


def test_tool_spec_saves_what_it_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    waits = no_waiting(monkeypatch)
    gateway = _gateway()
    spec = AIHubMixToolSpec(
        output_dir=tmp_path,
        video_wait={"poll_interval": 3},
        show_progress=True,
        **_settings(gateway),
    )
    image = spec.generate_image("a fox", size="1024x1024")
    assert "Saved 1 image(s)" in image
    saved = Path(image.split(": ", 1)[1].rstrip("."))
    assert saved.read_bytes() == PNG and saved.parent == tmp_path
    (tmp_path / "memo.wav").write_bytes(WAV)
    transcript = spec.transcribe_audio(str(tmp_path / "memo.wav"))
    assert transcript == "Transcript (language: english): Hello reader."
    edited, spoken, video = asyncio.run(_async_tools(spec, str(saved)))
    assert "Saved 1 image(s)" in edited
    (speech,) = [r for r in gateway.requests if r.url.path.endswith("/audio/speech")]
    assert spoken.endswith(".mp3") and b'"voice":"sage"' in speech.content
    assert "job v9" in video and video.endswith(".mp4") and waits == [3]
    assert "Video" in capsys.readouterr().err  # the progress bar


async def _async_tools(spec: AIHubMixToolSpec, image: str) -> tuple[str, str, str]:
    return (
        await spec.aedit_image("add a hat", image),
        await spec.atext_to_speech("hello", voice="sage"),
        await spec.agenerate_video("a cat", seconds=4),
    )


def test_tool_spec_gives_sync_and_async_tools() -> None:
    tools = AIHubMixToolSpec(api_key=KEY).to_tool_list()
    assert [tool.metadata.name for tool in tools] == [
        "generate_image",
        "edit_image",
        "text_to_speech",
        "transcribe_audio",
        "generate_video",
    ]
    assert all(tool.async_fn is not None for tool in tools)
    assert "4,096" in tools[2].metadata.description


async def test_reader_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = []
    for name in ("a.wav", "b.wav"):
        (tmp_path / name).write_bytes(WAV)
        paths.append(tmp_path / name)
    reader = AIHubMixTranscriptionReader(show_progress=True, **_settings(_gateway()))
    documents = reader.load_data(paths, extra_info={"meeting": "standup"})
    assert [d.metadata["file_name"] for d in documents] == ["a.wav", "b.wav"]
    document = documents[0]
    assert document.text == "Hello reader." and document.metadata["meeting"] == "standup"
    assert document.metadata["segments"][0]["end"] == 0.7
    shown = document.get_content(metadata_mode=MetadataMode.EMBED)
    assert "segments" not in shown and "language: english" in shown
    assert "Transcribing" in capsys.readouterr().err
    again = await reader.aload_data(paths[0])
    assert again[0].metadata["file_path"] == str(paths[0])


async def test_reader_refuses_bad_audio_before_any_request(tmp_path: Path) -> None:
    gateway = _gateway()
    reader = AIHubMixTranscriptionReader(**_settings(gateway))
    notes = tmp_path / "notes.txt"
    notes.write_text("not audio")
    with pytest.raises(aihubmix_core.UnsupportedFormatError, match="mp3"):
        reader.load_data(notes)
    with pytest.raises(aihubmix_core.InvalidInputError, match="no audio file"):
        await reader.aload_data([tmp_path / "missing.mp3"])
    assert gateway.requests == []


def test_namespace_imports_work_outside_the_repository(tmp_path: Path) -> None:
    code = (
        "import llama_index.core\n"
        "from llama_index.postprocessor.aihubmix_rerank import AIHubMixRerank\n"
        "from llama_index.tools.aihubmix import AIHubMixToolSpec\n"
        "from llama_index.readers.aihubmix import AIHubMixTranscriptionReader\n"
        "import llama_index_aihubmix as p\n"
        "assert AIHubMixRerank is p.AIHubMixRerank and AIHubMixToolSpec is p.AIHubMixToolSpec\n"
        "assert AIHubMixTranscriptionReader is p.AIHubMixTranscriptionReader\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    root = Path(__file__).resolve().parents[2] / "llama_index"
    for kind in ("postprocessor", "tools", "readers"):
        assert not (root / kind / "__init__.py").exists()
