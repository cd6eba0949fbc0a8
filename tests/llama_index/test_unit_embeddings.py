"""AIHubMixEmbedding: order, batching, bounded concurrency, settings and secrets."""

from __future__ import annotations

import asyncio
import gc
import json
from typing import Any

import httpx
import pytest

from llama_index_aihubmix import AIHubMixEmbedding
from llama_index_aihubmix.embeddings import DEFAULT_EMBED_BATCH_SIZE

pytestmark = pytest.mark.aihubmix_env  # clients without api_key= read AIHUBMIX_API_KEY

SECRET = "sk-aihubmix-embedding-secret-987654"


def vector_of(text: str) -> list[float]:
    return [float(len(text)), float(sum(map(ord, text)) % 97)]


def reply(request: httpx.Request) -> httpx.Response:
    """Vectors derived from each text, listed in reversed order as the gateway may send them."""
    body = json.loads(request.content)
    data = [
        {"object": "embedding", "index": i, "embedding": vector_of(text)}
        for i, text in enumerate(body["input"])
    ]
    return httpx.Response(
        200,
        json={
            "object": "list",
            "model": body["model"],
            "data": data[::-1],
            "usage": {"prompt_tokens": len(body["input"]), "total_tokens": len(body["input"])},
        },
    )


class Gateway:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.in_flight = 0
        self.most_in_flight = 0

    def sync(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content))
        return reply(request)

    async def async_(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.01)
        self.in_flight -= 1
        return reply(request)


def make(gateway: Gateway, **kwargs: Any) -> AIHubMixEmbedding:
    return AIHubMixEmbedding(
        http_client=httpx.Client(transport=httpx.MockTransport(gateway.sync)),
        async_http_client=httpx.AsyncClient(transport=httpx.MockTransport(gateway.async_)),
        **kwargs,
    )


TEXTS = [f"text number {i} " + "x" * i for i in range(23)]


def test_batches_keep_input_order() -> None:
    gateway = Gateway()
    embed = make(gateway, embed_batch_size=5, dimensions=2)
    vectors = embed.get_text_embedding_batch(TEXTS)
    assert vectors == [vector_of(t) for t in TEXTS]
    assert [len(b["input"]) for b in gateway.bodies] == [5, 5, 5, 5, 3]
    assert all(
        b["dimensions"] == 2 and b["model"] == "text-embedding-3-small" for b in gateway.bodies
    )


async def test_async_batches_keep_order_and_bound_concurrency() -> None:
    gateway = Gateway()
    embed = make(gateway, embed_batch_size=2, num_workers=3)
    vectors = await embed.aget_text_embedding_batch(TEXTS)
    assert vectors == [vector_of(t) for t in TEXTS]
    assert len(gateway.bodies) == 12
    assert 1 < gateway.most_in_flight <= 3


@pytest.mark.parametrize("workers", [None, 1])
async def test_concurrency_is_bounded_on_every_code_path(workers: int | None) -> None:
    # LlamaIndex gathers every batch at once unless num_workers > 1; the bound still holds.
    gateway = Gateway()
    embed = make(gateway, embed_batch_size=1, num_workers=workers)
    await embed.aget_text_embedding_batch(TEXTS)
    assert gateway.most_in_flight <= (workers or 4)


def test_query_and_single_text() -> None:
    gateway = Gateway()
    embed = make(gateway)
    assert embed.get_query_embedding("what?") == vector_of("what?")
    assert embed.get_text_embedding("a") == vector_of("a")


async def test_async_query_and_single_text() -> None:
    gateway = Gateway()
    embed = make(gateway)
    assert await embed.aget_query_embedding("what?") == vector_of("what?")
    assert await embed.aget_text_embedding("a") == vector_of("a")


def test_defaults_suit_the_gateway() -> None:
    embed = AIHubMixEmbedding()
    assert embed.model_name == "text-embedding-3-small"
    assert embed.embed_batch_size == DEFAULT_EMBED_BATCH_SIZE == 100
    assert embed.num_workers == 4


def test_environment_fallback_and_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIHUBMIX_BASE_URL", "https://proxy.example.com/v1")
    embed = AIHubMixEmbedding(api_key=SECRET)
    assert embed.api_base == "https://proxy.example.com/v1"
    texts = [repr(embed), embed.to_json(), json.dumps(embed.to_dict())]
    # to_payload(), what LlamaIndex's instrumentation events carry, is there from 0.14.23
    if hasattr(embed, "to_payload"):
        texts.append(str(embed.to_payload()))
    for text in texts:
        assert SECRET not in text


def test_unknown_constructor_keywords_are_sent_with_a_warning_not_dropped() -> None:
    gateway = Gateway()
    with pytest.warns(UserWarning, match="unknown parameter"):
        embed = make(gateway, user="team-a")
    embed.get_text_embedding("hello")
    assert gateway.bodies[0]["user"] == "team-a"


def _reachable(roots: list[Any]) -> set[int]:
    """The ids of every object reachable from ``roots`` through instance data (attributes,
    slots, containers, closures and defaults), never through a class, a module or a
    function's globals: what those roots hold, not what the whole process holds."""
    import types

    seen: set[int] = set()
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (type, types.ModuleType)):
            continue
        seen.add(id(obj))
        if isinstance(obj, types.FunctionType):
            stack += [*(obj.__closure__ or ()), *(obj.__defaults__ or ())]
            stack += list((obj.__kwdefaults__ or {}).values())
        else:
            stack += gc.get_referents(obj)
    return seen


def test_finished_event_loops_are_not_kept_alive() -> None:
    """Each asyncio.run leaves a closed loop behind; the concurrency gates must let it go.

    Measured on what the package holds (the embedding, its client and the package's module
    state), not on whether the loop has been freed: anything else in the process, such as
    pytest keeping a warning or an unraisable exception until the test ends, may hold a
    loop for a while without it being this package's doing."""
    import sys

    # One worker and one text per batch: batches queue on the gate, which binds it to the loop.
    embed = make(Gateway(), embed_batch_size=1, num_workers=1)
    loops: list[asyncio.AbstractEventLoop] = []

    async def one() -> None:
        loops.append(asyncio.get_running_loop())
        await embed.aget_text_embedding_batch(["a", "b", "c", "d"])

    for _ in range(3):
        asyncio.run(one())
    assert all(loop.is_closed() for loop in loops)
    # The mechanism: a gate per loop, and a new loop's gate prunes those of closed loops.
    assert list(embed._gates) == [loops[-1]]
    package_state = [
        vars(module)
        for name, module in list(sys.modules.items())
        if name.startswith(("llama_index_aihubmix", "aihubmix_core"))
    ]
    held = _reachable([embed, *package_state])
    assert [id(loop) in held for loop in loops] == [False, False, True]


def test_pickled_embedding_keeps_its_key_and_drops_its_loop_gates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pickle

    monkeypatch.delenv("AIHUBMIX_API_KEY", raising=False)
    embed = AIHubMixEmbedding(api_key="sk-pickled-key-for-workers", dimensions=64)

    async def use() -> None:
        embed._gate()

    asyncio.run(use())
    copy = pickle.loads(pickle.dumps(embed))
    assert copy.dimensions == 64
    assert copy.client.config.secret() == "sk-pickled-key-for-workers"
