"""A loopback HTTP server speaking AIHubMix's OpenAI-compatible API, for tests and cassettes.

Run it by hand with ``python -m aihubmix_testing.emulator --port 8089``, then point
``AIHUBMIX_BASE_URL`` at ``http://127.0.0.1:8089/v1``.
"""

from __future__ import annotations

import errno
import json
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import catalog, messages, responses, vectors, wire
from .brain import ApiError, decide, gateway_error, short_hash
from .media import Routes
from .media_reply import MediaReply
from .protocols import PromptCache, ResponseStore, cite_on_chat

VERSION = "aihubmix-emulator/1"
DEFAULT_PORT = 8089
INVALID_KEY = "invalid-key"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = VERSION

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send_json(self, status: int, body: Any, request_id: str) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Request-Id", request_id)
        self.end_headers()
        self.wfile.write(payload)

    def _send_stream(self, parts: Iterator[bytes], request_id: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("X-Request-Id", request_id)
        self.end_headers()
        for part in parts:
            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def _media(self, raw: bytes, request_id: str) -> bool:
        """Answer a media route (images, audio, rerank, videos); ``False`` for other paths."""
        routes: Routes = getattr(self.server, "media", None) or Routes()
        path = self.path.split("?", 1)[0]
        reply = routes.answer(
            self.command, path, self.headers, raw, lambda: self._authorised(request_id)
        )
        if reply is None:
            return False
        if reply.status:  # 0: the 401 has been sent
            self._send_media(reply, request_id)
        return True

    def _send_media(self, reply: MediaReply, request_id: str) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("X-Request-Id", request_id)
        if not reply.chunked:
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for start in range(0, len(reply.body), 4096):
            part = reply.body[start : start + 4096]
            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def do_DELETE(self) -> None:
        self._discard_body()
        request_id = short_hash("DELETE", self.path, length=20)
        if not self._media(b"", request_id):
            self._send_json(
                404,
                {
                    "error": {
                        "message": f"Invalid URL (DELETE {self.path})",
                        "type": "invalid_request_error",
                    }
                },
                request_id,
            )

    def _discard_body(self) -> None:
        """Read a body nobody uses, so the next request on a kept-alive connection starts clean."""
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)

    def _authorised(self, request_id: str) -> bool:
        auth = self.headers.get("Authorization", "")
        key = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
        if not key or key == INVALID_KEY:
            error = gateway_error(401, "Invalid token", request_id)
            self._send_json(error.status, error.body, request_id)
            return False
        return True

    def _authorised_anthropic(self, request_id: str) -> bool:
        """The Messages route takes the key as ``x-api-key``, Anthropic's way."""
        key = self.headers.get("x-api-key", "").strip()
        if not key or key == INVALID_KEY:
            error = messages.error(401, "invalid x-api-key")
            self._send_json(error.status, error.body, request_id)
            return False
        return True

    def _send(self, answer: tuple[Any, bool], request_id: str) -> None:
        body, streamed = answer
        if streamed:
            self._send_stream(body, request_id)
        else:
            self._send_json(200, body, request_id)

    def do_GET(self) -> None:
        self._discard_body()
        request_id = short_hash("GET", self.path, length=20)
        path = self.path.split("?", 1)[0]
        if self._media(b"", request_id):
            return
        if path == "/api/v1/models":
            self._send_json(200, catalog.public_catalog(), request_id)
        elif path == "/v1/models":
            if self._authorised(request_id):
                self._send_json(200, catalog.openai_list(), request_id)
        else:
            self._send_json(
                404,
                {
                    "error": {
                        "message": f"Invalid URL (GET {path})",
                        "type": "invalid_request_error",
                    }
                },
                request_id,
            )

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        request_id = short_hash("POST", self.path, raw.decode("utf-8", "replace"), length=20)
        if self._media(raw, request_id):
            return
        path = self.path.split("?", 1)[0]
        anthropic = path == "/v1/messages"
        if not (self._authorised_anthropic if anthropic else self._authorised)(request_id):
            return
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._send_json(
                400,
                {
                    "error": {
                        "message": "We could not parse the JSON body of your request.",
                        "type": "invalid_request_error",
                    }
                },
                request_id,
            )
            return
        server: Any = self.server
        try:
            if anthropic:
                messages.check_headers(self.headers)
                self._send(messages.answer(body, server.prompt_cache), request_id)
            elif path == "/v1/responses":
                self._send(responses.answer(body, server.stored_responses), request_id)
            elif path == "/v1/chat/completions":
                reply = decide(body)
                cite_on_chat(body, reply)
                if body.get("stream"):
                    self._send_stream(wire.sse(wire.chunks(body, reply)), request_id)
                else:
                    self._send_json(200, wire.completion(body, reply), request_id)
            elif path == "/v1/embeddings":
                if not body.get("model"):
                    raise gateway_error(400, "model is required", request_id)
                self._send_json(200, vectors.response(body), request_id)
            else:
                self._send_json(
                    404,
                    {
                        "error": {
                            "message": f"Invalid URL (POST {path})",
                            "type": "invalid_request_error",
                        }
                    },
                    request_id,
                )
        except ApiError as error:
            self._send_json(error.status, error.body, request_id)


class PortTakenError(OSError):
    """The port asked for is already in use on 127.0.0.1."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(
            errno.EADDRINUSE,
            f"port {port} on {host} is already in use (another emulator, or another server); "
            "choose another with --port N, or --port 0 for any free one",
        )
        self.host, self.port = host, port


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    media: Routes  # the media routes' job state (polls, deletions), one per server
    prompt_cache: PromptCache
    """Anthropic prompt-cache prefixes seen by this server."""
    stored_responses: ResponseStore
    """Responses kept for ``previous_response_id``."""
    # Restarting on the same port must not wait for old connections in TIME_WAIT; on Windows
    # the same option would let two servers share a port, so it stays off there.
    allow_reuse_address = sys.platform != "win32"

    def get_request(self) -> tuple[socket.socket, Any]:
        """Accept a connection with Nagle's algorithm off.

        A JSON reply goes out as two writes (head, then body). With Nagle on, the second
        waits for the client to acknowledge the first, and clients delay that ACK by up to
        40 ms, so every request on a kept-alive connection stalled that long.
        """
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


_IN_USE = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)}


def make_server(port: int = 0, host: str = "127.0.0.1") -> EmulatorServer:
    """A bound, listening emulator server (not yet serving); ``PortTakenError`` if the port is in use."""
    try:
        server = EmulatorServer((host, port), Handler)
    except OSError as error:
        if error.errno in _IN_USE:
            raise PortTakenError(host, port) from error
        raise
    server.media = Routes()
    server.prompt_cache = PromptCache()
    server.stored_responses = ResponseStore()
    return server


@contextmanager
def serve_in_thread(port: int = 0) -> Iterator[str]:
    """Run the emulator on 127.0.0.1 for the duration of the block; yields its /v1 base URL.

    ``port=0`` takes any free port; a port already in use raises ``PortTakenError``.
    """
    server = make_server(port)
    thread = threading.Thread(target=server.serve_forever, name="aihubmix-emulator", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
