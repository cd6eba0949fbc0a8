"""The media half of the demo: one step per surface (images, speech, transcription, rerank,
video), each through LangChain and LlamaIndex, listing the files it wrote.

Its calls have a cassette of their own (cassettes/demo/media.yaml), so adding these steps
left the recorded chat steps as they were; ``AIHUBMIX_RECORD_MODE=new_episodes python -m demo``
records it from the emulator when it is missing.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aihubmix_testing import cassettes

from .session import ROOT, Step, show

CASSETTE = ROOT / "cassettes" / "demo" / "media.yaml"
FACTS = [  # each shares another number of words with the question, so no two retrieve alike
    "Red foxes eat mice, rabbits and berries.",
    "Paris is the capital of France.",
    "Arctic foxes eat lemmings and fish in winter.",
    "Foxes live in dens under old trees.",
]
SPOKEN = "Your fox picture is ready. It shows a fox in the snow."


def _files(out: Path, names: list[str]) -> None:
    for name in names:
        path = Path(name)
        show(
            "wrote:  ",
            f"{path.relative_to(out) if path.is_relative_to(out) else path} ({path.stat().st_size:,} bytes)",
        )


def images(out: Path, interval: float) -> None:
    from langchain_aihubmix import AIHubMixImageGenerationTool
    from llama_index_aihubmix import AIHubMixToolSpec

    with Step("Images", "LangChain image tool (gpt-image-1), LlamaIndex tool spec (FLUX, polled)."):
        tool = AIHubMixImageGenerationTool(output_dir=str(out))
        message = tool.invoke(
            {
                "name": tool.name,
                "args": {"prompt": "a fox in the snow"},
                "id": "1",
                "type": "tool_call",
            }
        )
        show("tool:   ", message.content[0]["text"].split(" Saved")[0])
        _files(out, message.artifact["files"])
        spec = AIHubMixToolSpec(
            output_dir=out, image_model="bfl/flux-2-pro", image_poll_interval=interval
        )
        answer = spec.generate_image("a lighthouse at dusk")
        _files(out, [answer.split(": ", 1)[1].rstrip(".")])


def speech(out: Path) -> Path:
    from langchain_aihubmix import AIHubMixTextToSpeechTool
    from llama_index_aihubmix import AIHubMixToolSpec

    with Step("Speech", "LangChain text-to-speech tool (mp3), LlamaIndex tool spec (wav)."):
        tool = AIHubMixTextToSpeechTool(output_dir=str(out), voice="coral")
        content, artifact = tool._run(text=SPOKEN)
        show("tool:   ", content.split(" Saved")[0])
        _files(out, artifact["files"])
        spec = AIHubMixToolSpec(output_dir=out, audio_format="wav")
        wav = Path(spec.text_to_speech(SPOKEN).rsplit(": ", 1)[1])
        _files(out, [str(wav)])
    return wav


def transcription(wav: Path) -> None:
    from langchain_core.document_loaders import Blob

    from langchain_aihubmix import AIHubMixTranscriptionParser
    from llama_index_aihubmix import AIHubMixTranscriptionReader

    with Step(
        "Transcription", "The speech just made, back to text: LangChain parser, LlamaIndex reader."
    ):
        (document,) = AIHubMixTranscriptionParser().parse(Blob.from_path(wav))
        show("text:   ", document.page_content)
        show(
            "meta:   ",
            f"language {document.metadata['language']}, {document.metadata['duration']} s, {len(document.metadata['segments'])} segments",
        )
        (node,) = AIHubMixTranscriptionReader().load_data(wav)
        show("reader: ", f"{node.metadata['file_name']}: {node.text}")


def rerank() -> None:
    from langchain_classic.retrievers import ContextualCompressionRetriever
    from langchain_core.vectorstores import InMemoryVectorStore
    from llama_index.core import Document, VectorStoreIndex

    from langchain_aihubmix import AIHubMixEmbeddings
    from langchain_aihubmix import AIHubMixRerank as Compressor
    from llama_index_aihubmix import AIHubMix, AIHubMixEmbedding, AIHubMixRerank

    with Step("Rerank", "LangChain compression retriever and LlamaIndex query engine, reranked."):
        store = InMemoryVectorStore.from_texts(FACTS, AIHubMixEmbeddings())
        retriever = ContextualCompressionRetriever(
            base_compressor=Compressor(top_n=2),
            base_retriever=store.as_retriever(search_kwargs={"k": 3}),
        )
        for doc in retriever.invoke("What do red foxes eat?"):
            show("lc:     ", f"{doc.metadata['relevance_score']:.3f} {doc.page_content}")
        index = VectorStoreIndex.from_documents(
            [Document(text=f) for f in FACTS], embed_model=AIHubMixEmbedding()
        )
        engine = index.as_query_engine(
            llm=AIHubMix(), similarity_top_k=3, node_postprocessors=[AIHubMixRerank(top_n=2)]
        )
        for node in engine.query("What do red foxes eat?").source_nodes:
            show("li:     ", f"{node.score:.3f} {node.node.get_content()}")


def video(out: Path, interval: float) -> None:
    from langchain_aihubmix import AIHubMixVideoGenerationTool
    from llama_index_aihubmix import AIHubMixToolSpec

    with Step("Video", "LangChain video tool with a progress bar; LlamaIndex tool spec, async."):
        tool = AIHubMixVideoGenerationTool(
            output_dir=str(out), poll_interval=interval, show_progress=True
        )
        content, artifact = tool._run(prompt="a paper boat on a rainy street", seconds=4)
        show("tool:   ", content.split(" Saved")[0])
        _files(out, artifact["files"])
        spec = AIHubMixToolSpec(output_dir=out, video_wait={"poll_interval": interval})
        answer = asyncio.run(spec.agenerate_video("a cat surfing at sunset", seconds=4))
        _files(out, [answer.rsplit(": ", 1)[1]])


@contextmanager
def _cassette(mode: str) -> Iterator[None]:
    if mode == "live":
        yield
        return
    with cassettes.recorder().use_cassette(str(CASSETTE), **cassettes.vcr_config()):
        yield


def run(mode: str) -> None:
    """``mode`` is the session's: live, FLUX images are polled every 2 s and videos every
    15 s, as AIHubMix suggests; replayed or recorded polls need no wait."""
    live = mode == "live"
    out = Path(tempfile.mkdtemp(prefix="aihubmix-demo-"))
    print(f"      files go to {out}")
    with _cassette(mode):
        images(out, 2.0 if live else 0.05)
        wav = speech(out)
        transcription(wav)
        rerank()
        video(out, 15.0 if live else 0.05)
