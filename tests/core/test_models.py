"""Models: GET /models, the shipped table, the public catalog and its cache."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from testkit import KEY

from aihubmix_core import (
    DEFAULT_CONTEXT_WINDOW,
    DEFAULT_MAX_OUTPUT_TOKENS,
    AIHubMixClient,
    ModelInfo,
    lookup_model,
    parse_catalog,
)

MODELS_BODY = {
    "object": "list",
    "data": [
        {"id": "gpt-4o-mini", "object": "model", "created": 1, "owned_by": "openai"},
        {"id": "claude-sonnet-4-5", "object": "model", "created": 2, "owned_by": "anthropic"},
    ],
}

CATALOG_BODY = {
    "success": True,
    "data": [
        {
            "model_id": "gpt-4o-mini",
            "desc": "Small, fast GPT-4o.",
            "types": "llm",
            "features": "tools,function_calling,structured_outputs",
            "input_modalities": "text,image",
            "context_length": "128000",
            "max_output": "16384",
            "pricing": {"input": 0.15, "output": 0.6, "cache_read": 0.075},
        },
        {
            "model_id": "brand-new-thinker",
            "desc": "Nobody has heard of it.",
            "types": "llm",
            "features": "thinking, web , long_context",
            "input_modalities": ["text"],
            "context_length": "1,000,000",
            "max_output": "",
            "pricing": {"input": "2.5", "output": "10"},
        },
        {
            "model_id": "some-embedder",
            "types": "embedding",
            "features": "",
            "input_modalities": "text",
            "context_length": 8192,
            "pricing": {"input": 0.02},
        },
        {"model_id": "function-model", "features": ["function_calling"], "pricing": None},
        {"desc": "no id, skipped"},
        "not an object",
    ],
}


def test_list_models(make_client) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=MODELS_BODY)

    models = make_client(handler).list_models()
    assert [m["id"] for m in models] == ["gpt-4o-mini", "claude-sonnet-4-5"]
    (request,) = seen
    assert request.method == "GET"
    assert str(request.url) == "https://aihubmix.com/v1/models"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.content == b""


def test_list_models_odd_bodies(make_client) -> None:
    assert make_client(lambda r: httpx.Response(200, json=[1, 2])).list_models() == []
    assert make_client(lambda r: httpx.Response(200, json={"data": None})).list_models() == []


def test_alist_models() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        assert request.method == "GET" and request.url.path == "/v1/models"
        return httpx.Response(200, json=MODELS_BODY)

    client = AIHubMixClient(
        api_key=KEY, async_http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
    )
    assert len(asyncio.run(client.alist_models())) == 2


@pytest.mark.parametrize(
    ("model", "window", "output", "reasoning"),
    [
        ("gpt-4o-mini", 128_000, 16_384, False),
        ("gpt-4o-2024-08-06", 128_000, 16_384, False),
        ("claude-sonnet-4-5", 200_000, 64_000, True),
        ("claude-sonnet-4-5-20250929", 200_000, 64_000, True),
        ("deepseek-chat", 1_000_000, 384_000, False),  # the snapshot's figures (models.dev)
        ("gemini-2.5-flash", 1_048_576, 65_536, True),
        ("gemini-2.5-flash-nothink", 1_048_576, 65_536, True),
        ("gemini-2.5-flash-search", 1_048_576, 65_536, True),
        ("claude-sonnet-4-5-think", 1_000_000, 64_000, True),  # AIHubMix lists its own window
        ("o3-mini", 200_000, 100_000, True),
        ("o3", 200_000, 100_000, True),
        ("gpt-5-mini", 400_000, 128_000, True),
        ("openai/gpt-4o-mini", 128_000, 16_384, False),
        ("GPT-4O-MINI", 128_000, 16_384, False),
    ],
)
def test_lookup_known_families(model: str, window: int, output: int, reasoning: bool) -> None:
    info = lookup_model(model)
    assert info.known
    assert info.id == model  # the caller's id, not the table's prefix
    assert (info.context_window, info.max_output_tokens) == (window, output)
    assert info.reasoning is reasoning


def test_longest_prefix_wins() -> None:
    assert lookup_model("gpt-5-chat-latest").max_output_tokens == 16_384  # not gpt-5
    assert lookup_model("o1-mini").tools is False  # not o1
    assert lookup_model("text-embedding-3-large").embedding_dimensions == 3_072


@pytest.mark.parametrize(
    "model", ["totally-unknown-model", "gpt-4oops", "o3x", "my-gpt-4o", "", "deepseek"]
)
def test_unknown_ids_get_defaults(model: str) -> None:
    info = lookup_model(model)
    assert info.known is False
    assert info.context_window == DEFAULT_CONTEXT_WINDOW
    assert info.max_output_tokens == DEFAULT_MAX_OUTPUT_TOKENS
    assert info.id == model


def test_parse_catalog() -> None:
    catalog = parse_catalog(CATALOG_BODY)
    assert set(catalog) == {"gpt-4o-mini", "brand-new-thinker", "some-embedder", "function-model"}

    mini = catalog["gpt-4o-mini"]
    assert (mini.context_window, mini.max_output_tokens) == (128_000, 16_384)
    assert mini.tools and mini.structured_output and mini.image_input
    assert (mini.input_price, mini.output_price, mini.cache_read_price) == (0.15, 0.6, 0.075)
    assert mini.known

    new = catalog["brand-new-thinker"]
    assert new.context_window == 1_000_000  # "1,000,000" as a string
    assert new.max_output_tokens == DEFAULT_MAX_OUTPUT_TOKENS  # empty string: default
    assert new.reasoning
    assert new.tools is False  # neither tools nor function_calling, unknown to the table
    assert new.image_input is False
    assert (new.input_price, new.output_price, new.cache_read_price) == (2.5, 10.0, None)

    embedder = catalog["some-embedder"]
    assert embedder.context_window == 8192
    assert embedder.tools is False

    assert catalog["function-model"].tools is True
    assert catalog["function-model"].input_price is None


def test_parse_catalog_other_shapes() -> None:
    assert set(parse_catalog([{"id": "x-model"}])) == {"x-model"}
    assert parse_catalog({"data": "nope"}) == {}
    assert parse_catalog(None) == {}


def test_lookup_prefers_catalog() -> None:
    catalog = parse_catalog(CATALOG_BODY)
    assert lookup_model("brand-new-thinker", catalog).context_window == 1_000_000
    assert lookup_model("gpt-4o", catalog).context_window == 128_000  # falls back to the table


def test_fetch_catalog_caches_and_uses_catalog_url(make_client) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=CATALOG_BODY)

    client = make_client(handler, base_url="https://api.aihubmix.com/v1")
    assert client.model_info("brand-new-thinker").known is False  # nothing fetched yet
    first = client.fetch_catalog()
    second = client.fetch_catalog()
    assert first is second
    assert len(seen) == 1
    assert seen[0].method == "GET"
    assert str(seen[0].url) == "https://api.aihubmix.com/api/v1/models"
    info = client.model_info("brand-new-thinker")
    assert isinstance(info, ModelInfo) and info.context_window == 1_000_000
    client.fetch_catalog(refresh=True)
    assert len(seen) == 2


def test_afetch_catalog_caches() -> None:
    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=CATALOG_BODY)

    client = AIHubMixClient(
        api_key=KEY,
        base_url="http://127.0.0.1:1/v1",
        async_http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
    )

    async def main() -> None:
        await client.afetch_catalog()
        await client.afetch_catalog()

    asyncio.run(main())
    assert len(seen) == 1
    assert str(seen[0].url) == "http://127.0.0.1:1/api/v1/models"


def test_fetch_catalog_needs_no_key_and_sends_none(make_client) -> None:
    """The catalog is public: it works before a key is configured, and no key is sent to it."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=CATALOG_BODY)

    client = make_client(handler, api_key=None)
    assert client.fetch_catalog()
    assert "authorization" not in seen[0].headers
