"""A loopback OpenAI-compatible server cheap enough not to be what the benchmark measures.

One asyncio protocol, HTTP/1.1 keep-alive, replies pre-built and cached (see ``replies``).
It runs in its own process (``python -m bench.server`` prints its port), so its work
never shares an interpreter with the clients being timed.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from . import replies

__all__ = ["serve", "server_process"]

_STREAM = re.compile(rb'"stream"\s*:\s*true')
_USAGE = re.compile(rb'"include_usage"\s*:\s*true')
_MODEL = re.compile(rb'"model"\s*:\s*"([^"]*)"')
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)


def _response(status: str, content_type: str, body: bytes, *, chunked: bool = False) -> bytes:
    length = b"transfer-encoding: chunked" if chunked else b"content-length: %d" % len(body)
    return (
        b"HTTP/1.1 %s\r\ncontent-type: %s\r\n%s\r\nx-request-id: bench\r\n\r\n"
        % (status.encode(), content_type.encode(), length)
    ) + body


def _json_error(status: str, message: str) -> bytes:
    body = json.dumps({"error": {"message": message, "type": "invalid_request_error"}})
    return _response(status, "application/json", body.encode())


def _model(body: bytes) -> str:
    found = _MODEL.search(body)
    return found.group(1).decode() if found else "bench"


def _embeddings(body: bytes) -> bytes:
    request = json.loads(body)
    texts = request.get("input")
    count = len(texts) if isinstance(texts, list) else 1
    base64_format = request.get("encoding_format") == "base64"
    dimensions = int(request.get("dimensions") or 1536)
    reply = replies.embeddings_body(count, dimensions, base64_format, request.get("model", ""))
    return _response("200 OK", "application/json", reply)


def answer(method: bytes, path: bytes, body: bytes) -> bytes:
    """The whole HTTP response for one request."""
    if method == b"POST" and path.endswith(b"/chat/completions"):
        model = _model(body)
        if _STREAM.search(body):
            sse = replies.sse_body(model, bool(_USAGE.search(body)))
            return _response("200 OK", "text/event-stream", sse, chunked=True)
        return _response("200 OK", "application/json", replies.chat_body(model))
    if method == b"POST" and path.endswith(b"/embeddings"):
        return _embeddings(body)
    if method == b"GET" and path.endswith(b"/models"):
        return _response("200 OK", "application/json", b'{"object":"list","data":[]}')
    return _json_error("404 Not Found", f"no route for {method.decode()} {path.decode()}")


class _HTTP(asyncio.Protocol):
    def __init__(self) -> None:
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            head_end = self._buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = self._buffer[:head_end]
            found = _CONTENT_LENGTH.search(head)
            length = int(found.group(1)) if found else 0
            end = head_end + 4 + length
            if len(self._buffer) < end:
                return
            body = self._buffer[head_end + 4 : end]
            self._buffer = self._buffer[end:]
            method, path, _ = head.split(b"\r\n", 1)[0].split(b" ", 2)
            try:
                reply = answer(method, path, body)
            except Exception as exc:  # a bad request must not kill the server mid-run
                reply = _json_error("400 Bad Request", f"{type(exc).__name__}: {exc}")
            assert self._transport is not None
            self._transport.write(reply)


async def serve(port: int = 0) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_HTTP, "127.0.0.1", port, backlog=2048)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


@contextmanager
def server_process() -> Iterator[str]:
    """Start the server in a child process; yields its base URL ``http://127.0.0.1:PORT/v1``."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.server"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        port = child.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError(f"the benchmark server did not start (printed {port!r})")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        child.terminate()
        child.wait(timeout=10)


if __name__ == "__main__":
    with suppress(KeyboardInterrupt):
        asyncio.run(serve())
