"""A LlamaIndex RAG pipeline on AIHubMix, from cassettes: index, query engines, chat engine.

Nothing reads global ``Settings``: the LLM and the embedding model are passed in, and a
stray default would try OpenAI and fail with the network blocked.
"""

from __future__ import annotations

import pytest
from llama_index.core import Document, VectorStoreIndex
from llama_index.core.base.response.schema import StreamingResponse

from llama_index_aihubmix import AIHubMix, AIHubMixEmbedding

pytestmark = pytest.mark.vcr

DOCUMENTS = [
    Document(
        text="The Eiffel Tower is in Paris. It was finished in 1889 and is 330 metres tall.",
        metadata={"topic": "paris"},
    ),
    Document(
        text="The Colosseum is in Rome. It was finished in 80 AD and held 50,000 spectators.",
        metadata={"topic": "rome"},
    ),
    Document(
        text="Big Ben is the nickname of the great bell in London. The clock tower was finished in 1859.",
        metadata={"topic": "london"},
    ),
]


@pytest.fixture
def index() -> VectorStoreIndex:
    embed = AIHubMixEmbedding(model_name="text-embedding-3-small")
    return VectorStoreIndex.from_documents(DOCUMENTS, embed_model=embed)


def test_query_engine(index: VectorStoreIndex) -> None:
    engine = index.as_query_engine(llm=AIHubMix(), similarity_top_k=1)
    response = engine.query("When was the Colosseum finished?")
    assert "80 AD" in str(response)
    assert response.source_nodes[0].node.metadata["topic"] == "rome"


async def test_query_engine_async(index: VectorStoreIndex) -> None:
    engine = index.as_query_engine(llm=AIHubMix(), similarity_top_k=1)
    response = await engine.aquery("How tall is the Eiffel Tower?")
    assert "330 metres" in str(response)
    assert response.source_nodes[0].node.metadata["topic"] == "paris"


def test_query_engine_streaming(index: VectorStoreIndex) -> None:
    engine = index.as_query_engine(llm=AIHubMix(), similarity_top_k=1, streaming=True)
    response = engine.query("When was the clock tower in London finished?")
    assert isinstance(response, StreamingResponse)
    tokens = list(response.response_gen)
    assert len(tokens) > 1
    assert "1859" in "".join(tokens)


def test_chat_engine_condense_plus_context_two_turns(index: VectorStoreIndex) -> None:
    engine = index.as_chat_engine(
        chat_mode="condense_plus_context", llm=AIHubMix(), similarity_top_k=1
    )
    first = engine.chat("When was the Eiffel Tower finished?")
    assert "1889" in str(first)
    second = engine.chat("How tall is the Eiffel Tower?")
    assert "330 metres" in str(second)
    assert [m.role.value for m in engine.chat_history] == ["user", "assistant"] * 2


async def test_index_built_with_async_embeddings() -> None:
    embed = AIHubMixEmbedding(model_name="text-embedding-3-small", embed_batch_size=2)
    index = VectorStoreIndex.from_documents(DOCUMENTS, embed_model=embed, use_async=True)
    retriever = index.as_retriever(similarity_top_k=1)
    [hit] = await retriever.aretrieve("Colosseum spectators in Rome")
    assert hit.node.metadata["topic"] == "rome"
