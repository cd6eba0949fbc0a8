"""The LlamaIndex half of the demo: a small RAG pipeline with sources, and a FunctionAgent."""

from __future__ import annotations

import asyncio
from pathlib import Path

from llama_index.core import Document, Settings, VectorStoreIndex
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.tools import FunctionTool

from llama_index_aihubmix import AIHubMix, AIHubMixEmbedding

from .session import Step, show

CORPUS = Path(__file__).resolve().parent / "corpus"


def rag() -> None:
    with Step(
        "RAG pipeline",
        f"VectorStoreIndex over {len(list(CORPUS.glob('*.md')))} files in demo/corpus with AIHubMixEmbedding; "
        "a streamed answer from AIHubMix, with its sources.",
    ):
        counter = TokenCountingHandler()
        # LlamaIndex hands its global callback manager to every component it builds.
        Settings.callback_manager = CallbackManager([counter])
        # Only the file name as metadata: paths and dates would differ between clones.
        documents = [
            Document(text=path.read_text(), metadata={"file_name": path.name}, id_=path.name)
            for path in sorted(CORPUS.glob("*.md"))
        ]
        index = VectorStoreIndex.from_documents(
            documents,
            embed_model=AIHubMixEmbedding(model_name="text-embedding-3-small"),
        )
        engine = index.as_query_engine(
            llm=AIHubMix(model="gpt-4o-mini", temperature=0),
            streaming=True,
            similarity_top_k=2,
        )
        question = "When does the cafe open on Saturdays?"
        show("question: ", question)
        response = engine.query(question)
        print("      answer:   ", end="")
        for token in response.response_gen:
            print(token, end="", flush=True)
        print()
        for node in response.source_nodes:
            show("source:   ", f"{node.metadata['file_name']} (score {node.score:.2f})")
        show(
            "tokens:   ",
            f"{counter.total_embedding_token_count} embedding, {counter.prompt_llm_token_count} in / "
            f"{counter.completion_llm_token_count} out",
        )


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


async def _agent() -> None:
    from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult

    agent = FunctionAgent(
        tools=[FunctionTool.from_defaults(add), FunctionTool.from_defaults(multiply)],
        llm=AIHubMix(model="gpt-4o-mini", temperature=0),
        system_prompt="You do arithmetic with the tools, one step at a time.",
    )
    handler = agent.run(user_msg="Use add to sum 3 and 4, then multiply the result by 6.")
    async for event in handler.stream_events():
        if isinstance(event, ToolCallResult):
            show(
                "calls:  ", f"{event.tool_name}({event.tool_kwargs}) -> {event.tool_output.content}"
            )
    result = await handler
    show("answer: ", str(result))


def agent() -> None:
    with Step(
        "FunctionAgent", "llama_index FunctionAgent (streaming) with add and multiply tools."
    ):
        asyncio.run(_agent())


def run() -> None:
    rag()
    agent()
