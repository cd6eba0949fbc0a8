"""Embeddings: batching, ordering by index, dimensions, base64, concurrency, count checks."""

from __future__ import annotations

import asyncio
import base64
import json
import random
from array import array

import httpx
import pytest
from testkit import KEY

from aihubmix_core import AIHubMixClient, APIResponseError, ConfigurationError
from aihubmix_core.embeddings import batches, embedding_payload, merge_results, parse_embeddings


def vector_for(text: str) -> list[float]:
    """A deterministic vector that identifies its input, exactly representable in float32."""
    return [float(len(text)), float(sum(map(ord, text)) % 1000), 0.5]


def embeddings_body(payload: dict, *, shuffle: bool = True, b64: bool = False) -> dict:
    items = []
    for index, text in enumerate(payload["input"]):
        vector = vector_for(text)
        if b64:
            embedding: object = base64.b64encode(array("f", vector).tobytes()).decode()
        else:
            embedding = vector
        items.append({"object": "embedding", "index": index, "embedding": embedding})
    if shuffle:
        random.Random(len(items)).shuffle(items)
    return {
        "object": "list",
        "data": items,
        "model": payload["model"],
        "usage": {"prompt_tokens": len(items), "total_tokens": len(items)},
    }


class Server:
    def __init__(self, **options) -> None:
        self.payloads: list[dict] = []
        self.options = options

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/embeddings"
        payload = json.loads(request.content)
        self.payloads.append(payload)
        b64 = payload.get("encoding_format") == "base64"
        return httpx.Response(200, json=embeddings_body(payload, b64=b64, **self.options))


TEXTS = [f"text number {i}" + "!" * i for i in range(10)]


def test_batching_and_order(make_client) -> None:
    server = Server()
    result = make_client(server).embed(TEXTS, model="text-embedding-3-small", batch_size=3)
    assert [len(p["input"]) for p in server.payloads] == [3, 3, 3, 1]
    assert [t for p in server.payloads for t in p["input"]] == TEXTS
    assert result.vectors == [vector_for(t) for t in TEXTS]  # input order despite shuffling
    assert result.model == "text-embedding-3-small"
    assert result.usage is not None
    assert (result.usage.prompt_tokens, result.usage.total_tokens) == (10, 10)


def test_one_batch_when_it_fits(make_client) -> None:
    server = Server()
    make_client(server).embed(TEXTS, model="m")
    assert len(server.payloads) == 1


def test_dimensions_and_extra_body_are_passed(make_client) -> None:
    server = Server()
    make_client(server).embed(
        ["a"], model="text-embedding-3-large", dimensions=256, extra_body={"user": "u1"}
    )
    (payload,) = server.payloads
    assert payload == {
        "model": "text-embedding-3-large",
        "input": ["a"],
        "dimensions": 256,
        "encoding_format": "base64",
        "user": "u1",
    }


def test_base64_encoding_is_decoded_to_floats(make_client) -> None:
    server = Server()
    result = make_client(server).embed(TEXTS[:4], model="m", encoding_format="base64")
    assert server.payloads[0]["encoding_format"] == "base64"
    assert result.vectors == [vector_for(t) for t in TEXTS[:4]]
    assert all(isinstance(x, float) for v in result.vectors for x in v)


def test_empty_input_makes_no_request(make_client) -> None:
    server = Server()
    result = make_client(server).embed([], model="m")
    assert result.vectors == []
    assert server.payloads == []


def test_mismatched_count_is_an_error(make_client) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        payload = json.loads(request.content)
        body = embeddings_body(payload)
        body["data"] = body["data"][:-1]
        return httpx.Response(200, json=body)

    with pytest.raises(APIResponseError, match="embeddings for"):
        make_client(handler).embed(["a", "b", "c"], model="m")


def test_parse_embeddings_validation() -> None:
    with pytest.raises(APIResponseError, match="data list"):
        parse_embeddings({"object": "list"}, 1)
    with pytest.raises(APIResponseError, match="data list"):
        parse_embeddings(["not", "a", "mapping"], 1)
    with pytest.raises(APIResponseError, match="not an object"):
        parse_embeddings({"data": ["x"]}, 1)
    with pytest.raises(APIResponseError, match="index 5"):
        parse_embeddings({"data": [{"index": 5, "embedding": [1.0]}]}, 1)
    with pytest.raises(APIResponseError, match="neither a list nor base64"):
        parse_embeddings({"data": [{"index": 0, "embedding": 3}]}, 1)
    # too many: an index past the inputs
    with pytest.raises(APIResponseError):
        parse_embeddings({"data": [{"embedding": [1.0]}, {"embedding": [2.0]}]}, 1)
    # items without index fall back to their position
    result = parse_embeddings({"data": [{"embedding": [1.0]}, {"embedding": [2.0]}]}, 2)
    assert result.vectors == [[1.0], [2.0]]
    assert result.usage is None


def test_payload_validation() -> None:
    with pytest.raises(ConfigurationError, match="model"):
        embedding_payload("", ["a"])
    with pytest.raises(ConfigurationError, match="item 1"):
        embedding_payload("m", ["a", 3])  # type: ignore[list-item]
    with pytest.raises(ConfigurationError, match="batch size"):
        list(batches(["a"], 0))


def test_merge_results_sums_usage() -> None:
    a = parse_embeddings({"data": [{"embedding": [1.0]}], "model": "m"}, 1)
    b = parse_embeddings(
        {"data": [{"embedding": [2.0]}], "usage": {"prompt_tokens": 2, "total_tokens": 2}}, 1
    )
    merged = merge_results([a, b])
    assert merged.vectors == [[1.0], [2.0]]
    assert merged.model == "m"
    assert merged.usage is not None and merged.usage.total_tokens == 2
    assert merge_results([]).usage is None


@pytest.mark.parametrize("concurrency", [1, 3])
def test_aembed_bounds_concurrency_and_keeps_order(concurrency: int) -> None:
    in_flight = 0
    peak = 0
    calls = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak, calls
        calls += 1
        in_flight += 1
        peak = max(peak, in_flight)
        payload = json.loads(request.content)
        # later batches answer sooner, so completion order differs from input order
        await asyncio.sleep(0.002 * (10 - calls % 10))
        in_flight -= 1
        return httpx.Response(200, json=embeddings_body(payload))

    texts = [f"t{i}" * (i + 1) for i in range(23)]

    async def main():
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = AIHubMixClient(api_key=KEY, async_http_client=http)
        try:
            return await client.aembed(texts, model="m", batch_size=2, concurrency=concurrency)
        finally:
            await http.aclose()

    result = asyncio.run(main())
    assert calls == 12
    assert peak == concurrency
    assert result.vectors == [vector_for(t) for t in texts]


def test_aembed_empty_input_makes_no_request() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    client = AIHubMixClient(
        api_key=KEY, async_http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
    )
    assert asyncio.run(client.aembed([], model="m")).vectors == []
