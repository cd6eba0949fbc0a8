"""Embeddings travel as base64 by default, with a fallback for gateways that refuse it.

What a user relies on: the vectors are the same floats whichever encoding carried them,
an explicit ``encoding_format`` is sent as given, and a gateway that rejects the
parameter costs one retried batch, after which the client stops asking for it.
"""

from __future__ import annotations

import asyncio
import base64
import json
from array import array
from typing import Any

import httpx
import pytest
from testkit import KEY

from aihubmix_core import BadRequestError, ModelNotAvailableError
from aihubmix_core.embeddings import retry_without_base64, wire_encoding
from aihubmix_core.errors import ContextWindowExceededError

REFUSAL = {
    "error": {
        "message": "Unrecognized request argument supplied: encoding_format",
        "type": "invalid_request_error",
    }
}


def vector_for(text: str) -> list[float]:
    """Values exactly representable in float32, so both encodings carry them unchanged."""
    return [float(len(text)), 0.25, -1.5, float(ord(text[0]))]


class Gateway:
    """Answers /embeddings like the API; ``refuse_base64`` makes it reject the parameter."""

    def __init__(self, *, refuse_base64: bool = False, ignore_encoding: bool = False) -> None:
        self.refuse_base64 = refuse_base64
        self.ignore_encoding = ignore_encoding
        self.payloads: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        payload = json.loads(request.content)
        self.payloads.append(payload)
        wants_base64 = payload.get("encoding_format") == "base64"
        if wants_base64 and self.refuse_base64:
            return httpx.Response(400, json=REFUSAL)
        items = []
        for index, text in enumerate(payload["input"]):
            vector = vector_for(text)
            embedding: Any = vector
            if wants_base64 and not self.ignore_encoding:
                embedding = base64.b64encode(array("f", vector).tobytes()).decode()
            items.append({"object": "embedding", "index": index, "embedding": embedding})
        return httpx.Response(200, json={"object": "list", "data": items, "model": "m"})

    @property
    def encodings(self) -> list[str | None]:
        return [payload.get("encoding_format") for payload in self.payloads]


TEXTS = ["alpha", "beta", "gamma", "delta", "epsilon"]
EXPECTED = [vector_for(text) for text in TEXTS]


def test_default_asks_for_base64_and_gives_the_same_floats(make_client: Any) -> None:
    gateway = Gateway()
    result = make_client(gateway).embed(TEXTS, model="m")
    assert gateway.encodings == ["base64"]
    assert result.vectors == EXPECTED
    assert all(type(value) is float for vector in result.vectors for value in vector)


def test_explicit_float_is_sent_as_given(make_client: Any) -> None:
    gateway = Gateway()
    result = make_client(gateway).embed(TEXTS, model="m", encoding_format="float")
    assert gateway.encodings == ["float"]
    assert result.vectors == EXPECTED


def test_a_gateway_ignoring_the_parameter_still_works(make_client: Any) -> None:
    gateway = Gateway(ignore_encoding=True)
    assert make_client(gateway).embed(TEXTS, model="m").vectors == EXPECTED


def test_refusal_retries_the_batch_once_without_it_and_is_remembered(make_client: Any) -> None:
    gateway = Gateway(refuse_base64=True)
    client = make_client(gateway)
    result = client.embed(TEXTS, model="m", batch_size=2)
    assert result.vectors == EXPECTED
    # First batch: refused, then retried without; later batches never ask again.
    assert gateway.encodings == ["base64", None, None, None]
    client.embed(["zeta"], model="m")
    assert gateway.encodings[-1] is None
    assert len(gateway.payloads) == 5


def test_refusal_fallback_in_async(make_client: Any) -> None:
    gateway = Gateway(refuse_base64=True)
    client = make_client(async_handler=gateway)
    result = asyncio.run(client.aembed(TEXTS, model="m", batch_size=5))
    assert result.vectors == EXPECTED
    assert gateway.encodings == ["base64", None]
    asyncio.run(client.aembed(TEXTS, model="m", batch_size=5))
    assert gateway.encodings == ["base64", None, None]


def test_an_explicit_base64_refused_is_the_callers_error(make_client: Any) -> None:
    gateway = Gateway(refuse_base64=True)
    with pytest.raises(BadRequestError, match="encoding_format"):
        make_client(gateway).embed(TEXTS, model="m", encoding_format="base64")
    assert gateway.encodings == ["base64"]


def test_other_failures_are_not_retried(make_client: Any) -> None:
    requests: list[httpx.Request] = []

    def unknown_model(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        body = {"error": {"message": "Incorrect model ID (tid: 1)", "type": "Aihubmix_api_error"}}
        return httpx.Response(400, json=body)

    client = make_client(unknown_model, max_retries=0)
    with pytest.raises(ModelNotAvailableError):
        client.embed(TEXTS, model="no-such-model")
    assert len(requests) == 1


def test_a_bad_request_on_the_retry_too_raises_that_error(make_client: Any) -> None:
    payloads: list[dict[str, Any]] = []

    def always_bad(request: httpx.Request) -> httpx.Response:
        payloads.append(json.loads(request.content))
        return httpx.Response(400, json={"error": {"message": "input must not be empty"}})

    client = make_client(always_bad)
    with pytest.raises(BadRequestError, match="input must not be empty"):
        client.embed(TEXTS, model="m")
    assert [p.get("encoding_format") for p in payloads] == ["base64", None]
    # The refusal was never confirmed, so the next call asks for base64 again.
    with pytest.raises(BadRequestError):
        client.embed(TEXTS, model="m")
    assert payloads[-2].get("encoding_format") == "base64"


def test_the_decision_functions() -> None:
    bad = BadRequestError("nope", status_code=400)
    too_long = ContextWindowExceededError("too long", status_code=400)
    assert wire_encoding(None, True) == "base64"
    assert wire_encoding(None, False) is None
    assert wire_encoding("float", True) == "float"
    assert retry_without_base64(bad, None, "base64")
    assert not retry_without_base64(bad, "base64", "base64")
    assert not retry_without_base64(too_long, None, "base64")
    assert not retry_without_base64(bad, None, None)


def test_key_is_not_in_the_retried_request_error(make_client: Any) -> None:
    def echo_key(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": {"message": f"bad key {KEY}"}})

    with pytest.raises(BadRequestError) as caught:
        make_client(echo_key).embed(TEXTS, model="m")
    assert KEY not in str(caught.value)
