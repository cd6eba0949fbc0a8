"""Fixtures for the LangChain adapter: web images served locally while recording, and
mock-transport models for unit tests."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from testkit import DATA, KEY, MockHTTP, Recorder

from aihubmix_testing import cassettes
from langchain_aihubmix import ChatAIHubMix

TEST_IMAGE = DATA / "langchain-test-image.png"
TEST_PDF = DATA / "langchain-test-document.pdf"
TEST_AUDIO = DATA / "langchain-test-audio.wav"


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


def _pdf(text: str = "Dummy PDF file") -> bytes:
    """A valid one-page PDF showing one line of text, with a correct cross-reference table."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _wav(seconds: float = 0.25, rate: int = 8000, hertz: int = 440) -> bytes:
    """A valid mono 16-bit PCM WAV: a short sine tone."""
    import io
    import math
    import wave

    frames = b"".join(
        struct.pack("<h", int(12000 * math.sin(2 * math.pi * hertz * i / rate)))
        for i in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()


# Sample files the standard tests download from the web, served locally while recording.
_SAMPLES = {
    ".png": (TEST_IMAGE, _png, "image/png"),
    ".pdf": (TEST_PDF, _pdf, "application/pdf"),
    ".wav": (TEST_AUDIO, _wav, "audio/wav"),
}
for _path, _make, _ in _SAMPLES.values():
    if not _path.exists():  # pragma: no cover - written once, then committed
        _path.parent.mkdir(parents=True, exist_ok=True)
        _path.write_bytes(_make())


def _sample_for(url: httpx.URL) -> httpx.Response:
    suffix = Path(url.path).suffix.lower()
    path, _, mime = _SAMPLES.get(suffix, _SAMPLES[".png"])
    return httpx.Response(200, content=path.read_bytes(), headers={"content-type": mime})


@pytest.fixture(scope="module")
def vcr_config() -> Iterator[dict[str, Any]]:
    """The shared cassette settings; while recording from the emulator, web downloads too.

    There is no internet when recording from the emulator, yet some standard tests
    download an image, a PDF or a WAV file with ``httpx.get``. Requests to non-loopback
    hosts are then answered with the small file of that kind in tests/data/ by the
    transport function vcrpy wraps, so vcrpy records that answer into the cassette like
    any other, and replay needs no network."""
    if cassettes.source() != "emulator":
        yield cassettes.vcr_config()
        return
    import vcr.patch

    real = vcr.patch._HttpxHttpTransport_handle_request

    def handle(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        if request.url.host in ("127.0.0.1", "localhost", "::1"):
            return real(self, request)
        return _sample_for(request.url)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vcr.patch, "_HttpxHttpTransport_handle_request", handle)
        yield cassettes.vcr_config()


MockChat = Callable[..., tuple[ChatAIHubMix, Recorder]]


@pytest.fixture
def mock_chat(mock_http: MockHTTP) -> MockChat:
    """``mock_chat(chunks=[...] | body={...}, status=200, **model_kwargs)``: a ChatAIHubMix
    whose sync and async clients answer every request with the given SSE chunks or JSON."""

    def factory(
        *,
        chunks: list[dict[str, Any]] | None = None,
        body: Any = None,
        status: int = 200,
        **kwargs: Any,
    ) -> tuple[ChatAIHubMix, Recorder]:
        recorder = Recorder.answering(chunks=chunks, body=body, status=status)
        kwargs.setdefault("model", "gpt-4o-mini")
        kwargs.setdefault("api_key", KEY)
        kwargs.setdefault("max_retries", 0)
        model = ChatAIHubMix(
            http_client=mock_http.client(recorder),
            http_async_client=mock_http.async_client(recorder),
            **kwargs,
        )
        return model, recorder

    return factory
