"""LangChain's own floor: the least a correct chat model on raw httpx does inside LangChain.

A reply's text and usage become an ``AIMessage``; a streamed reply becomes one
``AIMessageChunk`` in one ``ChatGenerationChunk`` per SSE chunk, each announced through
``run_manager.on_llm_new_token`` when the framework hands the model a run manager (since
langchain-core 1.x, ``stream`` / ``astream`` hand it none and fire that callback
themselves for every chunk, so it fires once per chunk either way). Sync and async
alike. Whatever the framework's ``invoke`` / ``stream`` / ``ainvoke`` machinery
costs (callbacks, message objects, chunk merging) shows up here; an adapter cannot go
below it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from .subjects import RawDriver, chat_body

__all__ = ["FloorChatModel", "FloorEmbeddings"]

_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


def _wire(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    return [{"role": _ROLES[m.type], "content": m.content} for m in messages]


def _usage(raw: dict[str, Any]) -> UsageMetadata:
    return UsageMetadata(
        input_tokens=raw["prompt_tokens"],
        output_tokens=raw["completion_tokens"],
        total_tokens=raw["total_tokens"],
    )


class FloorChatModel(BaseChatModel):
    raw: Any
    model: str

    @property
    def _llm_type(self) -> str:
        return "bench-floor"

    def _result(self, body: dict[str, Any]) -> ChatResult:
        choice = body["choices"][0]
        message = AIMessage(
            content=choice["message"]["content"],
            usage_metadata=_usage(body["usage"]),
            response_metadata={
                "model_name": body["model"],
                "finish_reason": choice["finish_reason"],
            },
            id=body["id"],
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        raw: RawDriver = self.raw
        return self._result(raw.complete(chat_body(self.model, _wire(messages))))

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        raw: RawDriver = self.raw
        return self._result(await raw.acomplete(chat_body(self.model, _wire(messages))))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        raw: RawDriver = self.raw
        for chunk in raw.chunks(chat_body(self.model, _wire(messages), stream=True)):
            generation = _chunk(chunk)
            if run_manager is not None:
                run_manager.on_llm_new_token(str(generation.message.content), chunk=generation)
            yield generation

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        raw: RawDriver = self.raw
        async for chunk in raw.achunks(chat_body(self.model, _wire(messages), stream=True)):
            generation = _chunk(chunk)
            if run_manager is not None:
                await run_manager.on_llm_new_token(
                    str(generation.message.content), chunk=generation
                )
            yield generation


def _chunk(chunk: dict[str, Any]) -> ChatGenerationChunk:
    """One SSE chunk as LangChain's chunk: its text, its finish reason, or the usage."""
    if chunk["choices"]:
        choice = chunk["choices"][0]
        metadata = {"finish_reason": choice["finish_reason"]} if choice["finish_reason"] else {}
        message = AIMessageChunk(
            content=choice["delta"].get("content") or "", response_metadata=metadata
        )
    else:
        message = AIMessageChunk(content="", usage_metadata=_usage(chunk["usage"]))
    return ChatGenerationChunk(message=message)


class FloorEmbeddings(Embeddings):
    def __init__(self, raw: RawDriver) -> None:
        self._raw = raw

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._raw.embeddings(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._raw.embeddings([text])[0]
