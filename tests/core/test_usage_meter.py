"""Usage meters: what the client counts in them, per model, across threads and tasks."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from testkit import Recorder, completion, delta_chunk

from aihubmix_core import (
    AIHubMixClient,
    ChatRequest,
    Message,
    Usage,
    cost_of,
    lookup_model,
    track_usage,
)
from aihubmix_core.catalog import ModelUsage, record_usage

USAGE = {
    "prompt_tokens": 1000,
    "completion_tokens": 100,
    "total_tokens": 1100,
    "prompt_tokens_details": {"cached_tokens": 200},
}


def _request(model: str) -> ChatRequest:
    return ChatRequest(model=model, messages=[Message(role="user", content="hi")])


def _expected(model: str, usage: dict[str, Any]) -> float:
    info = lookup_model(model)
    assert info.input_price is not None and info.output_price is not None
    cached = usage.get("prompt_tokens_details", {}).get("cached_tokens", 0)
    read = info.cache_read_price if info.cache_read_price is not None else info.input_price
    return (
        (usage["prompt_tokens"] - cached) * info.input_price
        + cached * read
        + usage["completion_tokens"] * info.output_price
    ) / 1_000_000


def test_nothing_is_counted_outside_a_meter() -> None:
    record_usage("gpt-4o-mini", Usage(prompt_tokens=1), None)  # no meter open: a no-op
    with track_usage() as meter:
        pass
    assert meter.by_model == {} and meter.total_cost is None and meter.calls == 0


def test_chat_and_streams_and_embeddings_are_counted_per_model(make_client: Any) -> None:
    chat = Recorder.answering(body=completion("Hi", model="gpt-4o-mini", usage=USAGE))
    stream = Recorder.answering(
        chunks=[
            delta_chunk("Hi"),
            delta_chunk(finish="stop"),
            {"id": "s", "choices": [], "usage": {**USAGE, "prompt_tokens_details": {}}},
        ]
    )
    embed_usage = {"prompt_tokens": 50, "total_tokens": 50}
    embeddings = Recorder.answering(
        body={"data": [{"index": 0, "embedding": [0.1, 0.2]}], "usage": embed_usage}
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("embeddings"):
            return embeddings(request)
        streaming = b'"stream":true' in request.content.replace(b" ", b"")
        return stream(request) if streaming else chat(request)

    client: AIHubMixClient = make_client(handler)
    with track_usage() as meter:
        client.chat(_request("gpt-4o-mini"))
        deltas = client.stream_chat(_request("claude-sonnet-4-5"))
        assert "".join(d.content for d in deltas) == "Hi"
        client.embed(["one"], model="text-embedding-3-small", encoding_format="float")
        client.stream_chat(_request("gpt-4o-mini"))  # never iterated: no usage, not counted
    models = meter.by_model
    assert set(models) == {"gpt-4o-mini", "claude-sonnet-4-5", "text-embedding-3-small"}
    mini = models["gpt-4o-mini"]
    assert (mini.calls, mini.input_tokens, mini.output_tokens, mini.cache_read_tokens) == (
        1,
        1000,
        100,
        200,
    )
    assert mini.cost == pytest.approx(_expected("gpt-4o-mini", USAGE))
    claude = models["claude-sonnet-4-5"]
    assert claude.cost == pytest.approx(
        _expected("claude-sonnet-4-5", {**USAGE, "prompt_tokens_details": {}})
    )
    embedder = models["text-embedding-3-small"]
    assert embedder.cost == pytest.approx(50 * 0.02 / 1_000_000)
    assert meter.total_cost == pytest.approx(mini.cost + claude.cost + embedder.cost)


def test_async_calls_in_tasks_are_counted(mock_http: Any) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=completion("Hi", model="gpt-4o", usage=USAGE))

    client = AIHubMixClient(api_key="sk-test", async_http_client=mock_http.async_client(handler))

    async def main() -> ModelUsage:
        async with track_usage() as meter:
            await asyncio.gather(*(client.achat(_request("gpt-4o")) for _ in range(3)))
        return meter.by_model["gpt-4o"]

    usage = asyncio.run(main())
    assert usage.calls == 3 and usage.cost == pytest.approx(3 * _expected("gpt-4o", USAGE))


def test_threads_started_with_the_context_count_and_others_do_not() -> None:
    usage = Usage(prompt_tokens=10, completion_tokens=1, total_tokens=11)
    cost = cost_of(usage, lookup_model("o3"))
    with track_usage() as meter, ThreadPoolExecutor(4) as pool:
        context = contextvars.copy_context()
        for _ in range(20):
            pool.submit(context.copy().run, record_usage, "o3", usage, cost).result()
        outsider = threading.Thread(target=record_usage, args=("o3", usage, cost))
        outsider.start()
        outsider.join()
    assert meter.by_model["o3"].calls == 20


def test_meters_nest_and_unpriced_calls_are_left_out_of_the_cost() -> None:
    priced = Usage(prompt_tokens=100, completion_tokens=10, total_tokens=110)
    with track_usage() as outer:
        record_usage("o3", priced, cost_of(priced, lookup_model("o3")))
        with track_usage() as inner:
            record_usage("mystery-model", priced, None)
    assert set(inner.by_model) == {"mystery-model"}
    assert inner.total_cost is None and inner.by_model["mystery-model"].unpriced_calls == 1
    assert set(outer.by_model) == {"o3", "mystery-model"}
    assert outer.total_cost == outer.by_model["o3"].cost
    assert outer.as_dict()["models"]["mystery-model"]["cost"] is None
    assert "calls=2" in repr(outer)
