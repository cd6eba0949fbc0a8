"""The clients being compared, each behind the same four calls.

Every driver uses its library's public API the way a user would (``invoke`` / ``stream`` /
``ainvoke`` / ``embed_documents`` for LangChain; ``chat`` / ``stream_chat`` / ``achat`` /
``get_text_embedding_batch`` for LlamaIndex). Retries are off everywhere and nothing
leaves loopback. Framework imports happen inside the driver factories, so one process can
build just the drivers it needs (the memory probe builds one).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from pydantic import SecretStr

__all__ = [
    "API_KEY",
    "EMBEDDING_MODEL",
    "PROMPT",
    "SUBJECTS",
    "Driver",
    "RawDriver",
    "Subject",
    "async_pool",
    "by_key",
    "chat_body",
    "open_connections",
]

API_KEY = "sk-bench-0000000000000000"
_SECRET = SecretStr(API_KEY)
CHAT_MODEL = "gpt-4o-mini"
EMBEDDING_MODEL = "text-embedding-3-small"
PROMPT = "Write one sentence about foxes."
TIMEOUT = 120.0
_POOL = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=3600)


_ASYNC_POOLS: weakref.WeakSet[httpx.AsyncClient] = weakref.WeakSet()


def async_pool() -> httpx.AsyncClient:
    """The async HTTP client every subject gets, so the async workload compares the
    clients and not their pool settings. httpx's pool rescans its connections for every
    waiting request on every state change; with hundreds of connections kept alive that
    costs ten times more than any client, so this is httpx's default size, never expiring
    during a run."""
    client = httpx.AsyncClient(timeout=TIMEOUT, limits=_POOL)
    _ASYNC_POOLS.add(client)
    return client


async def open_connections(base_url: str, count: int) -> None:
    """Give every async pool made so far ``count`` open, idle connections.

    httpcore's pool scans every connection against every other on each state change, so
    its cost grows with the square of the connections it holds; and how many it ends up
    holding depends on each client's pace (a client that spends longer between awaits
    has fewer requests in the pool at once and opens fewer). Left alone, a slower client
    can get a cheaper pool. Holding ``count`` responses open at once makes every pool
    open that many, which with ``count`` in flight it then keeps for the whole run.
    """
    for pool in list(_ASYNC_POOLS):
        held = [
            await pool.send(pool.build_request("GET", f"{base_url}/models"), stream=True)
            for _ in range(count)
        ]
        for response in held:
            await response.aread()
            await response.aclose()


class Driver(Protocol):
    def call(self) -> str:
        """One non-streamed chat call; returns the reply text."""

    def stream(self, model: str) -> Iterator[bool]:
        """One streamed reply, chunk by chunk as the client gives them: whether each one
        carried content. The benchmark advances several of these in turns."""

    async def acall(self) -> str:
        """One non-streamed chat call, async."""

    async def astream(self, model: str) -> int:
        """One streamed reply, async; returns how many content chunks arrived."""

    def embed(self, texts: list[str]) -> list[list[float]]:
        """Embeddings for ``texts``, in order."""


@dataclass(frozen=True)
class Subject:
    key: str
    label: str
    family: str
    """``raw``, ``langchain`` or ``llamaindex``: the framework it runs in."""
    floor: str
    """The key of the subject its figures are read against, measured in the same round:
    raw httpx for the framework floors and the core, the framework's floor for the rest."""
    import_package: str
    """``import X`` for the package itself, timed in a fresh process."""
    import_class: str
    """What a user writes to get the class (``from X import Y``), timed the same way."""
    build: Callable[[str], Driver]


# The floor: plain httpx and json.loads.


class _SSE:
    """The JSON of each ``data:`` line until ``[DONE]``: the least any client must do.
    Fed the body's bytes as they arrive, by the sync and the async reader alike."""

    __slots__ = ("_rest", "done")

    def __init__(self) -> None:
        self._rest = b""
        self.done = False

    def feed(self, chunk: bytes) -> Iterable[Any]:
        lines = (self._rest + chunk).split(b"\n")
        self._rest = lines.pop()
        found = []
        for line in lines:
            if line.startswith(b"data: "):
                data = line[6:]
                if data == b"[DONE]":
                    self.done = True
                    break
                found.append(json.loads(data))
        return found


def _sse_data(chunks: Iterator[bytes]) -> Iterator[Any]:
    sse = _SSE()
    for chunk in chunks:
        yield from sse.feed(chunk)
        if sse.done:
            return


async def _asse_data(chunks: AsyncIterator[bytes]) -> AsyncIterator[Any]:
    sse = _SSE()
    async for chunk in chunks:
        for data in sse.feed(chunk):
            yield data
        if sse.done:
            return


def chat_body(
    model: str, messages: list[dict[str, Any]] | None = None, *, stream: bool = False
) -> dict[str, Any]:
    messages = messages or [{"role": "user", "content": PROMPT}]
    body: dict[str, Any] = {"model": model, "messages": messages}
    if stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    return body


class RawDriver:
    """The floor; its primitives also carry the framework floors (see ``floor_*``)."""

    def __init__(self, base_url: str) -> None:
        self._url = base_url
        headers = {"Authorization": f"Bearer {API_KEY}"}
        self._client = httpx.Client(headers=headers, timeout=TIMEOUT)
        self._async = async_pool()
        self._async.headers.update(headers)

    def complete(self, body: dict[str, Any]) -> Any:
        response = self._client.post(f"{self._url}/chat/completions", json=body)
        response.raise_for_status()
        return json.loads(response.content)

    async def acomplete(self, body: dict[str, Any]) -> Any:
        response = await self._async.post(f"{self._url}/chat/completions", json=body)
        response.raise_for_status()
        return json.loads(response.content)

    def chunks(self, body: dict[str, Any]) -> Iterator[Any]:
        url = f"{self._url}/chat/completions"
        with self._client.stream("POST", url, json=body) as response:
            response.raise_for_status()
            yield from _sse_data(response.iter_bytes())

    async def achunks(self, body: dict[str, Any]) -> AsyncIterator[Any]:
        url = f"{self._url}/chat/completions"
        async with self._async.stream("POST", url, json=body) as response:
            response.raise_for_status()
            async for data in _asse_data(response.aiter_bytes()):
                yield data

    def embeddings(self, texts: list[str]) -> list[list[float]]:
        response = self._client.post(
            f"{self._url}/embeddings", json={"model": EMBEDDING_MODEL, "input": texts}
        )
        response.raise_for_status()
        return [item["embedding"] for item in json.loads(response.content)["data"]]

    def call(self) -> str:
        text: str = self.complete(chat_body(CHAT_MODEL))["choices"][0]["message"]["content"]
        return text

    def stream(self, model: str) -> Iterator[bool]:
        for chunk in self.chunks(chat_body(model, stream=True)):
            yield bool(chunk["choices"] and chunk["choices"][0]["delta"].get("content"))

    async def acall(self) -> str:
        text: str = (await self.acomplete(chat_body(CHAT_MODEL)))["choices"][0]["message"][
            "content"
        ]
        return text

    async def astream(self, model: str) -> int:
        count = 0
        async for chunk in self.achunks(chat_body(model, stream=True)):
            if chunk["choices"] and chunk["choices"][0]["delta"].get("content"):
                count += 1
        return count

    def embed(self, texts: list[str]) -> list[list[float]]:
        return self.embeddings(texts)


# Our core, without any framework: the floor both adapters stand on.


class CoreDriver:
    def __init__(self, base_url: str) -> None:
        from aihubmix_core import AIHubMixClient, ChatRequest, Message

        self._client = AIHubMixClient(
            api_key=API_KEY,
            base_url=base_url,
            max_retries=0,
            timeout=TIMEOUT,
            async_http_client=async_pool(),
        )
        self._request = ChatRequest
        self._messages = [Message(role="user", content=PROMPT)]

    def call(self) -> str:
        return self._client.chat(self._request(CHAT_MODEL, self._messages)).text

    def stream(self, model: str) -> Iterator[bool]:
        for delta in self._client.stream_chat(self._request(model, self._messages)):
            yield bool(delta.content)

    async def acall(self) -> str:
        return (await self._client.achat(self._request(CHAT_MODEL, self._messages))).text

    async def astream(self, model: str) -> int:
        count = 0
        async for delta in self._client.astream_chat(self._request(model, self._messages)):
            count += bool(delta.content)
        return count

    def embed(self, texts: list[str]) -> list[list[float]]:
        return self._client.embed(texts, model=EMBEDDING_MODEL).vectors


# LangChain.


class LangChainDriver:
    def __init__(self, chat: Any, make_streamer: Callable[[str], Any], embeddings: Any) -> None:
        self._chat = chat
        self._make_streamer = make_streamer
        self._streamers: dict[str, Any] = {}
        self._embeddings = embeddings

    def call(self) -> str:
        return str(self._chat.invoke(PROMPT).content)

    def _streamer(self, model: str) -> Any:
        streamer = self._streamers.get(model)
        if streamer is None:
            streamer = self._streamers[model] = self._make_streamer(model)
        return streamer

    def stream(self, model: str) -> Iterator[bool]:
        for chunk in self._streamer(model).stream(PROMPT):
            yield bool(chunk.content)

    async def acall(self) -> str:
        return str((await self._chat.ainvoke(PROMPT)).content)

    async def astream(self, model: str) -> int:
        count = 0
        async for chunk in self._streamer(model).astream(PROMPT):
            count += bool(chunk.content)
        return count

    def embed(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self._embeddings.embed_documents(texts)
        return vectors


def _langchain_openai(base_url: str) -> Driver:
    from langchain_openai import ChatOpenAI, OpenAIEmbeddings

    def chat(model: str) -> Any:
        return ChatOpenAI(
            model=model,
            base_url=base_url,
            api_key=_SECRET,
            max_retries=0,
            timeout=TIMEOUT,
            stream_usage=True,
            http_async_client=async_pool(),
        )

    embeddings = OpenAIEmbeddings(
        model=EMBEDDING_MODEL,
        base_url=base_url,
        api_key=_SECRET,
        max_retries=0,
        timeout=TIMEOUT,
        check_embedding_ctx_length=False,
    )
    return LangChainDriver(chat(CHAT_MODEL), chat, embeddings)


def _langchain_aihubmix(base_url: str) -> Driver:
    from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix

    def chat(model: str) -> Any:
        return ChatAIHubMix(
            model=model,
            base_url=base_url,
            api_key=_SECRET,
            max_retries=0,
            timeout=TIMEOUT,
            http_async_client=async_pool(),
        )

    embeddings = AIHubMixEmbeddings(
        model=EMBEDDING_MODEL, base_url=base_url, api_key=_SECRET, max_retries=0, timeout=TIMEOUT
    )
    return LangChainDriver(chat(CHAT_MODEL), chat, embeddings)


def _langchain_floor(base_url: str) -> Driver:
    from .floor_langchain import FloorChatModel, FloorEmbeddings

    raw = RawDriver(base_url)

    def chat(model: str) -> Any:
        return FloorChatModel(raw=raw, model=model)

    return LangChainDriver(chat(CHAT_MODEL), chat, FloorEmbeddings(raw))


# LlamaIndex.


class LlamaIndexDriver:
    def __init__(self, llm: Any, make_streamer: Callable[[str], Any], embedding: Any) -> None:
        from llama_index.core.llms import ChatMessage

        self._llm = llm
        self._make_streamer = make_streamer
        self._streamers: dict[str, Any] = {}
        self._embedding = embedding
        self._messages = [ChatMessage(role="user", content=PROMPT)]

    def call(self) -> str:
        return str(self._llm.chat(self._messages).message.content)

    def _streamer(self, model: str) -> Any:
        streamer = self._streamers.get(model)
        if streamer is None:
            streamer = self._streamers[model] = self._make_streamer(model)
        return streamer

    def stream(self, model: str) -> Iterator[bool]:
        for response in self._streamer(model).stream_chat(self._messages):
            yield bool(response.delta)

    async def acall(self) -> str:
        return str((await self._llm.achat(self._messages)).message.content)

    async def astream(self, model: str) -> int:
        count = 0
        async for response in await self._streamer(model).astream_chat(self._messages):
            count += bool(response.delta)
        return count

    def embed(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self._embedding.get_text_embedding_batch(texts)
        return vectors


def _llama_openai_like(base_url: str) -> Driver:
    from llama_index.embeddings.openai_like import OpenAILikeEmbedding  # type: ignore[import-untyped]
    from llama_index.llms.openai_like import OpenAILike  # type: ignore[import-untyped]

    def llm(model: str) -> Any:
        return OpenAILike(
            model=model,
            api_base=base_url,
            api_key=API_KEY,
            is_chat_model=True,
            context_window=128_000,
            max_retries=0,
            timeout=TIMEOUT,
            async_http_client=async_pool(),
        )

    embedding = OpenAILikeEmbedding(
        model_name=EMBEDDING_MODEL,
        api_base=base_url,
        api_key=API_KEY,
        max_retries=0,
        timeout=TIMEOUT,
    )
    return LlamaIndexDriver(llm(CHAT_MODEL), llm, embedding)


def _llama_aihubmix(base_url: str) -> Driver:
    from llama_index_aihubmix import AIHubMix, AIHubMixEmbedding

    def llm(model: str) -> Any:
        return AIHubMix(
            model=model,
            api_base=base_url,
            api_key=API_KEY,
            max_retries=0,
            timeout=TIMEOUT,
            async_http_client=async_pool(),
        )

    embedding = AIHubMixEmbedding(
        model_name=EMBEDDING_MODEL,
        api_base=base_url,
        api_key=API_KEY,
        max_retries=0,
        timeout=TIMEOUT,
    )
    return LlamaIndexDriver(llm(CHAT_MODEL), llm, embedding)


def _llama_floor(base_url: str) -> Driver:
    from .floor_llamaindex import FloorEmbedding, FloorLLM

    raw = RawDriver(base_url)

    def llm(model: str) -> Any:
        return FloorLLM(raw=raw, model=model)

    return LlamaIndexDriver(llm(CHAT_MODEL), llm, FloorEmbedding(raw))


SUBJECTS: tuple[Subject, ...] = (
    Subject(
        "raw", "raw httpx (floor)", "raw", "raw", "import httpx", "import httpx, json", RawDriver
    ),
    Subject(
        "core",
        "aihubmix_core",
        "raw",
        "raw",
        "import aihubmix_core",
        "from aihubmix_core import AIHubMixClient",
        CoreDriver,
    ),
    Subject(
        "lc_floor",
        "LangChain floor",
        "langchain",
        "raw",
        "import langchain_core",
        "from langchain_core.language_models import BaseChatModel",
        _langchain_floor,
    ),
    Subject(
        "lc_ours",
        "ChatAIHubMix",
        "langchain",
        "lc_floor",
        "import langchain_aihubmix",
        "from langchain_aihubmix import ChatAIHubMix",
        _langchain_aihubmix,
    ),
    Subject(
        "lc_openai",
        "langchain-openai",
        "langchain",
        "lc_floor",
        "import langchain_openai",
        "from langchain_openai import ChatOpenAI",
        _langchain_openai,
    ),
    Subject(
        "li_floor",
        "LlamaIndex floor",
        "llamaindex",
        "raw",
        "import llama_index.core",
        "from llama_index.core.llms import LLM",
        _llama_floor,
    ),
    Subject(
        "li_ours",
        "llama-index AIHubMix",
        "llamaindex",
        "li_floor",
        "import llama_index_aihubmix",
        "from llama_index.llms.aihubmix import AIHubMix",
        _llama_aihubmix,
    ),
    Subject(
        "li_openai_like",
        "llama-index openai-like",
        "llamaindex",
        "li_floor",
        "import llama_index.llms.openai_like",
        "from llama_index.llms.openai_like import OpenAILike",
        _llama_openai_like,
    ),
)


def by_key(key: str) -> Subject:
    for subject in SUBJECTS:
        if subject.key == key:
            return subject
    raise KeyError(f"no benchmark subject {key!r}; choose from {[s.key for s in SUBJECTS]}")
