"""One HTTP/1.1 request and the primitives a fault needs to answer it (or not).

Deliberately small: request head and ``Content-Length`` body in, and out a whole
response, a chunked stream, a clean close or a TCP reset. Nothing here decides what
to send; that is the fault's job (see ``script.py``).
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from dataclasses import dataclass, field
from typing import Any

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"{}")
        except ValueError:
            return {}

    @property
    def wants_stream(self) -> bool:
        payload = self.json()
        return isinstance(payload, dict) and payload.get("stream") is True


@dataclass
class Attempt:
    """What the gateway saw and did for one request, for tests to assert on."""

    method: str
    path: str
    payload: Any
    authorization: str
    fault: str
    events_sent: int = 0
    text_sent: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The reply text the client was sent before the fault struck."""
        return "".join(self.text_sent)


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """The next request on a kept-alive connection, or ``None`` when the client hung up."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length") or 0)
    try:
        body = await reader.readexactly(length) if length else b""
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    return Request(method, target.split("?", 1)[0], headers, body)


class Exchange:
    """The writing side of one request; ``attempt`` records what was sent."""

    def __init__(self, request: Request, writer: asyncio.StreamWriter, attempt: Attempt) -> None:
        self.request = request
        self.writer = writer
        self.attempt = attempt
        self.request_id = f"req-{id(attempt):x}"

    def _head(self, status: int, headers: dict[str, str]) -> bytes:
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    async def send(
        self,
        status: int,
        body: bytes,
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        """A whole response with a ``Content-Length``."""
        all_headers = {
            "Content-Type": content_type,
            "Content-Length": str(len(body)),
            "X-Request-Id": self.request_id,
            **(headers or {}),
        }
        self.writer.write(self._head(status, all_headers) + body)
        await self.writer.drain()

    async def send_json(
        self, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        await self.send(status, json.dumps(body).encode(), headers=headers)

    async def send_head(self, status: int, headers: dict[str, str]) -> None:
        """Only the head: the body follows with ``write``/``chunk`` or never."""
        self.writer.write(self._head(status, {"X-Request-Id": self.request_id, **headers}))
        await self.writer.drain()

    async def start_stream(self, content_type: str = "text/event-stream; charset=utf-8") -> None:
        await self.send_head(
            200,
            {
                "Content-Type": content_type,
                "Cache-Control": "no-cache",
                "Transfer-Encoding": "chunked",
            },
        )

    async def chunk(self, data: bytes) -> None:
        """One chunk of a chunked body (an SSE event, a comment, any bytes)."""
        self.writer.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        await self.writer.drain()

    async def event(self, part: bytes) -> None:
        """One SSE event of a normal reply, noting the text it carries."""
        await self.chunk(part)
        self.attempt.events_sent += 1
        self.attempt.text_sent.append(_event_text(part))

    async def end_stream(self) -> None:
        await self.chunk(b"")

    def reset(self) -> None:
        """Drop the connection with a TCP RST (SO_LINGER 0), as a crashed proxy does."""
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()

    def client_gone(self) -> bool:
        return self.writer.transport.is_closing()


def _event_text(part: bytes) -> str:
    """The content delta text of one ``data: {...}`` event ("" for others)."""
    data = part.decode("utf-8").strip().removeprefix("data: ")
    try:
        chunk = json.loads(data)
    except ValueError:
        return ""
    if not isinstance(chunk, dict):
        return ""
    text = ""
    for choice in chunk.get("choices") or []:
        content = (choice.get("delta") or {}).get("content")
        if isinstance(content, str):
            text += content
    return text
