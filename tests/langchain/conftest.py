"""Fixtures for the LangChain adapter: the cassette endpoint for every test, web images
served locally while recording, and mock-transport models for unit tests."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cassette_support
import httpx
import pytest

from langchain_aihubmix import ChatAIHubMix

TEST_IMAGE = Path(__file__).resolve().parent.parent / "data" / "langchain-test-image.png"


def _png(width: int = 8, height: int = 8) -> bytes:
    """A valid RGB PNG: a small red/blue checkerboard."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b""
    for y in range(height):
        rows += b"\x00" + b"".join(
            b"\xff\x00\x00" if (x + y) % 2 else b"\x00\x00\xff" for x in range(width)
        )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


if not TEST_IMAGE.exists():  # pragma: no cover - written once, then committed
    TEST_IMAGE.parent.mkdir(parents=True, exist_ok=True)
    TEST_IMAGE.write_bytes(_png())


def sse_body(chunks: list[dict[str, Any]]) -> bytes:
    events = [f"data: {json.dumps(chunk)}\n\n" for chunk in chunks]
    return ("".join(events) + "data: [DONE]\n\n").encode()


class Recorder:
    """Answers every request with one canned response and keeps what was sent."""

    def __init__(self, status: int, body: bytes, content_type: str) -> None:
        self.status, self.body, self.content_type = status, body, content_type
        self.requests: list[dict[str, Any]] = []
        self.headers: list[httpx.Headers] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(json.loads(request.content) if request.content else {})
        self.headers.append(request.headers)
        return httpx.Response(
            self.status, content=self.body, headers={"content-type": self.content_type}
        )

    @property
    def last(self) -> dict[str, Any]:
        return self.requests[-1]


@pytest.fixture(autouse=True)
def _endpoint(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """API tests talk to the cassette source; unit tests (modules named ``*_unit``) see no
    AIHUBMIX_* variables at all, so they are the same whatever the record mode."""
    if request.path.stem.endswith("_unit"):
        for name in ("AIHUBMIX_API_KEY", "AIHUBMIX_BASE_URL", "AIHUBMIX_APP_CODE"):
            monkeypatch.delenv(name, raising=False)
    else:
        request.getfixturevalue("aihubmix_env")


@pytest.fixture(scope="module")
def vcr_config() -> Iterator[dict[str, Any]]:
    """The shared cassette settings; while recording from the emulator, web images too.

    There is no internet when recording from the emulator, yet some standard tests
    download an image with ``httpx.get``. Requests to non-loopback hosts are then answered
    with the small PNG in tests/data/ by the transport function vcrpy wraps, so vcrpy
    records that answer into the cassette like any other, and replay needs no network."""
    if cassette_support.source() != "emulator":
        yield cassette_support.vcr_config()
        return
    import vcr.patch

    real = vcr.patch._HttpxHttpTransport_handle_request

    def handle(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        if request.url.host in ("127.0.0.1", "localhost", "::1"):
            return real(self, request)
        return httpx.Response(
            200, content=TEST_IMAGE.read_bytes(), headers={"content-type": "image/png"}
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vcr.patch, "_HttpxHttpTransport_handle_request", handle)
        yield cassette_support.vcr_config()


MockChat = Callable[..., tuple[ChatAIHubMix, Recorder]]


@pytest.fixture
def mock_chat() -> Iterator[MockChat]:
    """``mock_chat(chunks=[...] | body={...}, status=200, **model_kwargs)``: a ChatAIHubMix
    whose sync and async clients answer every request with the given SSE chunks or JSON."""
    clients: list[httpx.Client] = []

    def factory(
        *,
        chunks: list[dict[str, Any]] | None = None,
        body: Any = None,
        status: int = 200,
        **kwargs: Any,
    ) -> tuple[ChatAIHubMix, Recorder]:
        if chunks is not None:
            recorder = Recorder(status, sse_body(chunks), "text/event-stream")
        else:
            recorder = Recorder(status, json.dumps(body).encode(), "application/json")
        transport = httpx.MockTransport(recorder)
        client = httpx.Client(transport=transport)
        clients.append(client)
        kwargs.setdefault("model", "gpt-4o-mini")
        kwargs.setdefault("api_key", "sk-unit-test-key-0123456789")
        kwargs.setdefault("max_retries", 0)
        model = ChatAIHubMix(
            http_client=client,
            http_async_client=httpx.AsyncClient(transport=transport),
            **kwargs,
        )
        return model, recorder

    yield factory
    for client in clients:
        client.close()
