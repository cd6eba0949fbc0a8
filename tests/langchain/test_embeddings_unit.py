"""AIHubMixEmbeddings against a mock transport: order, batching, concurrency, progress."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from langchain_core.exceptions import ModelAuthenticationError
from testkit import KEY

from langchain_aihubmix import AIHubMixEmbeddings


def _reply(request: httpx.Request) -> httpx.Response:
    """Vectors that encode each input, returned in reversed index order like the gateway."""
    body = json.loads(request.content)
    data = [
        {"object": "embedding", "index": i, "embedding": [float(len(text)), float(i)]}
        for i, text in enumerate(body["input"])
    ]
    return httpx.Response(
        200,
        json={
            "data": data[::-1],
            "model": body["model"],
            "usage": {"prompt_tokens": 3, "total_tokens": 3},
        },
    )


def _embeddings(
    handler: Any = _reply, **kwargs: Any
) -> tuple[AIHubMixEmbeddings, list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return handler(request)

    transport = httpx.MockTransport(record)
    model = AIHubMixEmbeddings(
        api_key=KEY,
        max_retries=0,
        http_client=httpx.Client(transport=transport),
        http_async_client=httpx.AsyncClient(transport=transport),
        **kwargs,
    )
    return model, sent


def test_vectors_follow_input_order_across_batches() -> None:
    model, sent = _embeddings(
        chunk_size=2, dimensions=64, model_kwargs={"encoding_format": "float"}
    )
    texts = ["a", "bb", "ccc", "dddd", "eeeee"]
    vectors = model.embed_documents(texts)
    assert [v[0] for v in vectors] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert [b["input"] for b in sent] == [["a", "bb"], ["ccc", "dddd"], ["eeeee"]]
    assert all(b["dimensions"] == 64 and b["model"] == "text-embedding-3-small" for b in sent)
    assert sent[0]["encoding_format"] == "float"
    assert model.embed_query("xyz") == [3.0, 0.0]
    assert model.embed_documents([]) == [] and len(sent) == 4


async def test_async_batches_run_with_bounded_concurrency() -> None:
    in_flight = 0
    peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return _reply(request)

    model = AIHubMixEmbeddings(
        api_key=KEY,
        chunk_size=1,
        max_concurrency=3,
        http_async_client=httpx.AsyncClient(transport=httpx.MockTransport(slow)),
    )
    texts = [str(i) * (i + 1) for i in range(10)]
    vectors = await model.aembed_documents(texts)
    assert [v[0] for v in vectors] == [float(i + 1) for i in range(10)]
    assert peak == 3
    assert await model.aembed_query("four") == [4.0, 0.0]


def test_progress_bar_counts_every_text(monkeypatch: pytest.MonkeyPatch) -> None:
    updates: list[int] = []

    class Bar:
        def __init__(self, total: int, **_: Any) -> None:
            self.total = total

        def __enter__(self) -> Bar:
            return self

        def __exit__(self, *_: Any) -> None:
            return None

        def update(self, n: int) -> None:
            updates.append(n)

    import tqdm.auto

    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    model, _ = _embeddings(chunk_size=2, show_progress_bar=True)
    model.embed_documents(["a", "b", "c", "d", "e"])
    assert updates == [2, 2, 1]


def test_errors_are_langchain_errors_and_hide_the_key() -> None:
    def unauthorised(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": {"message": "Invalid token"}})

    model, _ = _embeddings(unauthorised)
    with pytest.raises(ModelAuthenticationError) as caught:
        model.embed_query("x")
    assert "AIHUBMIX_API_KEY" in str(caught.value) and KEY not in str(caught.value)
    assert KEY not in repr(model) and KEY not in model.model_dump_json()


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        AIHubMixEmbeddings(api_key=KEY, chunk_size=0)
    # An unknown keyword is a request field, as on ChatAIHubMix: a typo is named at once.
    with pytest.warns(UserWarning, match="'modle' is not a AIHubMixEmbeddings parameter"):
        AIHubMixEmbeddings(api_key=KEY, modle="x")  # type: ignore[call-arg]
