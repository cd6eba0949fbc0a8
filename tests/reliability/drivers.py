"""Every way a user calls a chat model or an embedder, behind one signature.

A chat driver makes a fresh client for ``Settings``, asks one question and returns the
final text, appending every piece of text the user saw to ``received`` as it arrived, so
a test can compare what a failed stream showed the user with the error's ``partial``.
Async drivers run their own event loop, so one synchronous test body covers all twelve.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from testkit import KEY, MODEL

from aihubmix_core import AIHubMixClient, ChatRequest, Message

EMBEDDING_MODEL = "text-embedding-3-small"
PROMPT = "Say hello to the reliability suite, please."
EXPECTED_TEXT = "Hello! How can I help you today?"
"""The emulator's answer to PROMPT."""
TEXTS = ["the quick brown fox", "jumps over the lazy dog", "and runs away"]


@dataclass(frozen=True)
class Settings:
    base_url: str
    api_key: str = KEY
    max_retries: int = 2
    stream_idle_timeout: float | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class Driver:
    id: str
    family: str
    stream: bool
    run: Callable[[Settings, list[str]], Any]

    def __repr__(self) -> str:
        return self.id


# core


def _core(s: Settings) -> AIHubMixClient:
    return AIHubMixClient(
        api_key=s.api_key,
        base_url=s.base_url,
        max_retries=s.max_retries,
        stream_idle_timeout=s.stream_idle_timeout,
        timeout=s.timeout,
    )


def _request() -> ChatRequest:
    return ChatRequest(model=MODEL, messages=[Message(role="user", content=PROMPT)])


def core_chat(s: Settings, received: list[str]) -> str:
    with _core(s) as client:
        text = client.chat(_request()).text
    received.append(text)
    return text


def core_stream(s: Settings, received: list[str]) -> str:
    with _core(s) as client:
        stream = client.stream_chat(_request())
        for delta in stream:
            received.append(delta.content)
        assert stream.result is not None
        return stream.result.text


async def _core_achat(s: Settings, received: list[str]) -> str:
    async with _core(s) as client:
        text = (await client.achat(_request())).text
    received.append(text)
    return text


async def _core_astream(s: Settings, received: list[str]) -> str:
    async with _core(s) as client:
        stream = client.astream_chat(_request())
        async for delta in stream:
            received.append(delta.content)
        assert stream.result is not None
        return stream.result.text


# LangChain


def _langchain(s: Settings) -> Any:
    from langchain_aihubmix import ChatAIHubMix

    return ChatAIHubMix(
        model=MODEL,
        api_key=s.api_key,
        base_url=s.base_url,
        max_retries=s.max_retries,
        stream_idle_timeout=s.stream_idle_timeout,
        timeout=s.timeout,
    )


def lc_invoke(s: Settings, received: list[str]) -> str:
    text: str = _langchain(s).invoke(PROMPT).text
    received.append(text)
    return text


def lc_stream(s: Settings, received: list[str]) -> str:
    for chunk in _langchain(s).stream(PROMPT):
        received.append(chunk.text)
    return "".join(received)


async def _lc_ainvoke(s: Settings, received: list[str]) -> str:
    text: str = (await _langchain(s).ainvoke(PROMPT)).text
    received.append(text)
    return text


async def _lc_astream(s: Settings, received: list[str]) -> str:
    async for chunk in _langchain(s).astream(PROMPT):
        received.append(chunk.text)
    return "".join(received)


# LlamaIndex


def _llama(s: Settings) -> Any:
    from llama_index_aihubmix import AIHubMix

    settings: dict[str, Any] = {}
    if s.stream_idle_timeout is not None:
        settings["stream_idle_timeout"] = s.stream_idle_timeout
    if s.timeout is not None:
        settings["timeout"] = s.timeout
    return AIHubMix(
        model=MODEL, api_key=s.api_key, api_base=s.base_url, max_retries=s.max_retries, **settings
    )


def _messages() -> list[Any]:
    from llama_index.core.base.llms.types import ChatMessage

    return [ChatMessage(role="user", content=PROMPT)]


def li_chat(s: Settings, received: list[str]) -> str:
    text = _llama(s).chat(_messages()).message.content or ""
    received.append(text)
    return text


def li_stream_chat(s: Settings, received: list[str]) -> str:
    last = ""
    for response in _llama(s).stream_chat(_messages()):
        received.append(response.delta or "")
        last = response.message.content or ""
    return last


async def _li_achat(s: Settings, received: list[str]) -> str:
    text = (await _llama(s).achat(_messages())).message.content or ""
    received.append(text)
    return text


async def _li_astream_chat(s: Settings, received: list[str]) -> str:
    last = ""
    async for response in await _llama(s).astream_chat(_messages()):
        received.append(response.delta or "")
        last = response.message.content or ""
    return last


def _sync(coroutine_function: Callable[[Settings, list[str]], Any]) -> Callable[..., Any]:
    def run(s: Settings, received: list[str]) -> Any:
        return asyncio.run(coroutine_function(s, received))

    return run


CHAT_DRIVERS = [
    Driver("core-chat", "core", False, core_chat),
    Driver("core-stream", "core", True, core_stream),
    Driver("core-achat", "core", False, _sync(_core_achat)),
    Driver("core-astream", "core", True, _sync(_core_astream)),
    Driver("lc-invoke", "langchain", False, lc_invoke),
    Driver("lc-stream", "langchain", True, lc_stream),
    Driver("lc-ainvoke", "langchain", False, _sync(_lc_ainvoke)),
    Driver("lc-astream", "langchain", True, _sync(_lc_astream)),
    Driver("li-chat", "llama_index", False, li_chat),
    Driver("li-stream_chat", "llama_index", True, li_stream_chat),
    Driver("li-achat", "llama_index", False, _sync(_li_achat)),
    Driver("li-astream_chat", "llama_index", True, _sync(_li_astream_chat)),
]
STREAM_DRIVERS = [d for d in CHAT_DRIVERS if d.stream]


# embeddings: ``run`` returns the vectors for TEXTS


def core_embed(s: Settings, received: list[str]) -> list[list[float]]:
    with _core(s) as client:
        return client.embed(TEXTS, model=EMBEDDING_MODEL).vectors


async def _core_aembed(s: Settings, received: list[str]) -> list[list[float]]:
    async with _core(s) as client:
        return (await client.aembed(TEXTS, model=EMBEDDING_MODEL)).vectors


def _lc_embeddings(s: Settings) -> Any:
    from langchain_aihubmix import AIHubMixEmbeddings

    return AIHubMixEmbeddings(
        model=EMBEDDING_MODEL, api_key=s.api_key, base_url=s.base_url, max_retries=s.max_retries
    )


def lc_embed(s: Settings, received: list[str]) -> list[list[float]]:
    vectors: list[list[float]] = _lc_embeddings(s).embed_documents(TEXTS)
    return vectors


async def _lc_aembed(s: Settings, received: list[str]) -> list[list[float]]:
    vectors: list[list[float]] = await _lc_embeddings(s).aembed_documents(TEXTS)
    return vectors


def _li_embedding(s: Settings) -> Any:
    from llama_index_aihubmix import AIHubMixEmbedding

    return AIHubMixEmbedding(
        EMBEDDING_MODEL, api_key=s.api_key, api_base=s.base_url, max_retries=s.max_retries
    )


def li_embed(s: Settings, received: list[str]) -> list[list[float]]:
    vectors: list[list[float]] = _li_embedding(s).get_text_embedding_batch(TEXTS)
    return vectors


async def _li_aembed(s: Settings, received: list[str]) -> list[list[float]]:
    vectors: list[list[float]] = await _li_embedding(s).aget_text_embedding_batch(TEXTS)
    return vectors


EMBED_DRIVERS = [
    Driver("core-embed", "core", False, core_embed),
    Driver("core-aembed", "core", False, _sync(_core_aembed)),
    Driver("lc-embed", "langchain", False, lc_embed),
    Driver("lc-aembed", "langchain", False, _sync(_lc_aembed)),
    Driver("li-embed", "llama_index", False, li_embed),
    Driver("li-aembed", "llama_index", False, _sync(_li_aembed)),
]
