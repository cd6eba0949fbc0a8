"""LlamaIndex's own floor: the least a correct LLM on raw httpx does inside LlamaIndex.

A reply's text and usage (as the flat token counts LlamaIndex integrations put in
``additional_kwargs``) become a ``ChatResponse``; a streamed reply becomes one
``ChatResponse`` per SSE chunk, carrying the running text as LlamaIndex wants. The
methods wear ``llm_chat_callback``, which is what the framework fires: the start and end
events and callback-manager trace around each call, and an ``LLMChatInProgressEvent``
through the instrumentation dispatcher for every streamed response. Sync and async
alike. An adapter cannot go below that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    LLMMetadata,
)
from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.core.llms import LLM
from llama_index.core.llms.callbacks import llm_chat_callback

from .subjects import RawDriver, chat_body

__all__ = ["FloorEmbedding", "FloorLLM"]


def _wire(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    return [{"role": m.role.value, "content": m.content} for m in messages]


def _usage(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "prompt_tokens": raw["prompt_tokens"],
        "completion_tokens": raw["completion_tokens"],
        "total_tokens": raw["total_tokens"],
    }


class _Running:
    """The text so far, and each SSE chunk as the ``ChatResponse`` that carries it."""

    __slots__ = ("content",)

    def __init__(self) -> None:
        self.content = ""

    def response(self, chunk: dict[str, Any]) -> ChatResponse:
        if chunk["choices"]:
            delta = chunk["choices"][0]["delta"].get("content") or ""
            usage: dict[str, Any] = {}
        else:
            delta, usage = "", _usage(chunk["usage"])
        self.content += delta
        return ChatResponse(
            message=ChatMessage(role="assistant", content=self.content),
            delta=delta,
            raw=chunk,
            additional_kwargs=usage,
        )


class FloorLLM(LLM):
    raw: Any
    model: str

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name=self.model, is_chat_model=True)

    @staticmethod
    def _response(body: dict[str, Any]) -> ChatResponse:
        text = body["choices"][0]["message"]["content"]
        return ChatResponse(
            message=ChatMessage(role="assistant", content=text),
            raw=body,
            additional_kwargs=_usage(body["usage"]),
        )

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        raw: RawDriver = self.raw
        return self._response(raw.complete(chat_body(self.model, _wire(messages))))

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        raw: RawDriver = self.raw
        return self._response(await raw.acomplete(chat_body(self.model, _wire(messages))))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        raw: RawDriver = self.raw
        body = chat_body(self.model, _wire(messages), stream=True)

        def responses() -> ChatResponseGen:
            running = _Running()
            for chunk in raw.chunks(body):
                yield running.response(chunk)

        return responses()

    @llm_chat_callback()
    async def astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        raw: RawDriver = self.raw
        body = chat_body(self.model, _wire(messages), stream=True)

        async def responses() -> ChatResponseAsyncGen:
            running = _Running()
            async for chunk in raw.achunks(body):
                yield running.response(chunk)

        return responses()

    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        raise NotImplementedError("the benchmark floor only chats")

    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
        raise NotImplementedError("the benchmark floor only chats")

    async def acomplete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponse:
        raise NotImplementedError("the benchmark floor only chats")

    async def astream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
        raise NotImplementedError("the benchmark floor only chats")


class FloorEmbedding(BaseEmbedding):
    """One request per 2,048 texts (the API's limit), so only the framework's own cost shows."""

    _raw: Any = PrivateAttr()

    def __init__(self, raw: RawDriver) -> None:
        super().__init__(model_name="bench-floor", embed_batch_size=2048)
        self._raw = raw

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._get_text_embeddings([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        raw: RawDriver = self._raw
        return raw.embeddings(texts)
