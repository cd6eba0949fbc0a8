"""The faults a test can script, each one way a gateway or network misbehaves.

A fault answers one request. ``play`` returns whether the connection may serve the
next request (keep-alive) or must be dropped. Normal replies, and the healthy part of
a reply before a fault strikes, come from the emulator's scripted model, so the client
sees the same wire shapes it sees in the cassettes.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from ..emulator import catalog, vectors, wire
from ..emulator.brain import ApiError, decide
from .exchange import Exchange

TRACE_ID = "2026030112000012345678901234"
"""The trace id every scripted error carries in its message, as AIHubMix writes it."""

HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


def _reply(payload: dict[str, Any], path: str) -> tuple[int, Any]:
    """The emulator's answer to a non-streamed request: (status, body)."""
    try:
        if path.endswith("/chat/completions"):
            return 200, wire.completion(payload, decide(payload))
        if path.endswith("/embeddings"):
            return 200, vectors.response(payload)
        if path.endswith("/api/v1/models"):
            return 200, catalog.public_catalog()
        if path.endswith("/models"):
            return 200, catalog.openai_list()
    except ApiError as error:
        return error.status, error.body
    return 404, {"error": {"message": f"Invalid URL ({path})", "type": "invalid_request_error"}}


def stream_parts(payload: dict[str, Any]) -> list[bytes]:
    """The SSE events of the emulator's streamed answer, ``[DONE]`` last."""
    return list(wire.sse(wire.chunks(payload, decide(payload))))


class Fault:
    """Base: subclasses answer one request in their own broken way."""

    @property
    def name(self) -> str:
        return type(self).__name__

    async def play(self, ex: Exchange) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Normal(Fault):
    """A healthy reply, streamed (optionally paced) or not."""

    interval: float = 0.0

    async def play(self, ex: Exchange) -> bool:
        payload = ex.request.json()
        if not ex.request.wants_stream:
            status, body = _reply(payload, ex.request.path)
            await ex.send_json(status, body)
            return True
        try:
            parts = stream_parts(payload)
        except ApiError as error:
            await ex.send_json(error.status, error.body)
            return True
        await ex.start_stream()
        for part in parts:
            if self.interval:
                await asyncio.sleep(self.interval)
            await ex.event(part)
        await ex.end_stream()
        return True


def SlowStream(interval: float = 0.05) -> Normal:
    """A healthy stream that paces its events, so a caller can cancel in the middle."""
    return Normal(interval=interval)


@dataclass(frozen=True)
class Status(Fault):
    """An error status with a JSON (or any) body, as the gateway or a proxy sends it."""

    status: int
    body: Any
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = "application/json"
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or f"Status{self.status}"

    async def play(self, ex: Exchange) -> bool:
        raw = self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()
        await ex.send(self.status, raw, content_type=self.content_type, headers=dict(self.headers))
        return True


def _error(message: str, error_type: str = "Aihubmix_api_error", **extra: Any) -> dict[str, Any]:
    return {"error": {"message": f"{message} (tid: {TRACE_ID})", "type": error_type, **extra}}


def rate_limited(retry_after: str | None = None) -> Status:
    headers = (("Retry-After", retry_after),) if retry_after is not None else ()
    return Status(
        429,
        _error(
            "The gpt-4o-mini model Too many requests; please try again later.", code="rate_limit"
        ),
        headers,
        label="RateLimited" + ("+Retry-After" if retry_after is not None else ""),
    )


def no_channel() -> Status:
    return Status(
        503,
        {
            "error": {
                "code": "model_not_found",
                "message": f"No available channel for model gpt-4o-mini under group default (tid: {TRACE_ID})",
                "type": "new_api_error",
            }
        },
        label="NoChannel",
    )


def server_error() -> Status:
    return Status(
        500,
        _error("upstream error: do request failed", code="do_request_failed"),
        label="ServerError",
    )


def html_bad_gateway() -> Status:
    return Status(
        502,
        HTML_502,
        (("X-Request-Id", f"proxy-{TRACE_ID}"),),
        content_type="text/html",
        label="HtmlBadGateway",
    )


def bad_request() -> Status:
    return Status(
        400,
        _error(
            "temperature must be between 0 and 2",
            "invalid_request_error",
            param="temperature",
            code="invalid_value",
        ),
        label="BadRequest",
    )


def unauthorized() -> Status:
    return Status(401, _error("Invalid token", code="invalid_api_key"), label="Unauthorized")


def payment_required() -> Status:
    return Status(
        402,
        _error("Insufficient account balance", code="insufficient_quota"),
        label="PaymentRequired",
    )


def quota_exhausted() -> Status:
    return Status(
        403,
        _error("user quota is not enough", code="insufficient_user_quota"),
        label="QuotaExhausted",
    )


def permission_denied() -> Status:
    return Status(
        403,
        _error("this token has no access to model gpt-4o-mini", code="access_denied"),
        label="PermissionDenied",
    )


def not_found() -> Status:
    return Status(
        404,
        _error("Invalid URL (POST /v1/chat/completion)", "invalid_request_error", code="not_found"),
        label="NotFound",
    )


def incorrect_model() -> Status:
    return Status(
        400,
        _error("Incorrect model ID. Please check the model name on https://aihubmix.com/models"),
        label="IncorrectModelId",
    )


@dataclass(frozen=True)
class EchoKey(Fault):
    """A 401 that quotes the key it was sent, as some gateways do ("Incorrect API key: sk-...")."""

    async def play(self, ex: Exchange) -> bool:
        key = ex.request.headers.get("authorization", "").removeprefix("Bearer ")
        await ex.send_json(
            401, _error(f"Incorrect API key provided: {key}", code="invalid_api_key")
        )
        return True


@dataclass(frozen=True)
class QuoteKey(Fault):
    """The key sent, quoted back in a place an error is built from: ``"stream-error"`` (an
    error event inside a 200 stream), ``"non-json"`` (a 200 body that is not JSON),
    ``"wrong-shape"`` (a 200 JSON body with no choices) or ``"request-id"`` (the request id
    header of an error status)."""

    place: str

    async def play(self, ex: Exchange) -> bool:
        key = ex.request.headers.get("authorization", "").removeprefix("Bearer ")
        quoted = f"key {key} is not allowed here"
        if self.place == "stream-error" and ex.request.wants_stream:
            await _begin(ex, 2)
            await ex.chunk(b"data: " + json.dumps(_error(quoted)).encode() + b"\n\n")
            await ex.end_stream()
        elif self.place == "non-json":
            await ex.send(200, quoted.encode(), content_type="text/plain")
        elif self.place == "wrong-shape":
            await ex.send_json(200, {"object": "chat.completion", "note": quoted})
        elif self.place == "request-id":
            await ex.send_json(400, _error("bad request"), headers={"X-Request-Id": quoted})
        else:
            await ex.send_json(200, _error(quoted))
        return True


@dataclass(frozen=True)
class ResetBeforeResponse(Fault):
    """The request is read, then the connection is reset with no answer at all."""

    async def play(self, ex: Exchange) -> bool:
        ex.reset()
        return False


@dataclass(frozen=True)
class CloseBeforeResponse(Fault):
    """The request is read, then the connection is closed cleanly with no answer."""

    async def play(self, ex: Exchange) -> bool:
        ex.writer.close()
        return False


async def _begin(ex: Exchange, after: int) -> list[bytes]:
    """Start a healthy stream, send its first ``after`` events; return the rest."""
    parts = stream_parts(ex.request.json())
    await ex.start_stream()
    for part in parts[:after]:
        await ex.event(part)
    return parts[after:]


def _half_body(ex: Exchange) -> bytes:
    _, body = _reply(ex.request.json(), ex.request.path)
    raw = json.dumps(body).encode()
    return raw[: len(raw) // 2]


@dataclass(frozen=True)
class ResetMidStream(Fault):
    """Some events (or half a JSON body), then a TCP reset."""

    after: int = 3

    async def play(self, ex: Exchange) -> bool:
        if ex.request.wants_stream:
            await _begin(ex, self.after)
        else:
            half = _half_body(ex)
            await ex.send_head(
                200, {"Content-Type": "application/json", "Content-Length": str(2 * len(half) + 2)}
            )
            ex.writer.write(half)
            await ex.writer.drain()
        ex.reset()
        return False


@dataclass(frozen=True)
class TruncatedStream(Fault):
    """Some events, then a clean end of body: no finish reason and no ``[DONE]``.

    Non-streamed: a JSON body cut in half but framed correctly, so only its content is wrong.
    """

    after: int = 3

    async def play(self, ex: Exchange) -> bool:
        if ex.request.wants_stream:
            await _begin(ex, self.after)
            await ex.end_stream()
        else:
            await ex.send(200, _half_body(ex))
        return True


@dataclass(frozen=True)
class ErrorInStream(Fault):
    """Some events, then an ``error`` object inside the 200 stream (or as the 200 body)."""

    after: int = 3

    @staticmethod
    def body() -> dict[str, Any]:
        return _error("upstream provider overloaded", "upstream_error", code="overloaded")

    async def play(self, ex: Exchange) -> bool:
        if ex.request.wants_stream:
            await _begin(ex, self.after)
            await ex.chunk(b"data: " + json.dumps(self.body()).encode() + b"\n\n")
            await ex.chunk(b"data: [DONE]\n\n")
            await ex.end_stream()
        else:
            await ex.send_json(200, self.body())
        return True


@dataclass(frozen=True)
class MalformedEvent(Fault):
    """One event that is not JSON among healthy ones (non-streamed: a JSON body that is not)."""

    after: int = 3

    async def play(self, ex: Exchange) -> bool:
        if ex.request.wants_stream:
            rest = await _begin(ex, self.after)
            await ex.chunk(b'data: {"choices": [{"delta": {"content": "lost\n\n')
            for part in rest:
                await ex.chunk(part)
            await ex.end_stream()
        else:
            await ex.send(200, b'{"id": "chatcmpl-x", "choices": [')
        return True


@dataclass(frozen=True)
class NonJsonBody(Fault):
    """A 200 whose body is an HTML page, as a captive portal or misrouted proxy sends."""

    async def play(self, ex: Exchange) -> bool:
        await ex.send(
            200, b"<html><body>Welcome to the proxy</body></html>", content_type="text/html"
        )
        return True


@dataclass(frozen=True)
class DoneThenHold(Fault):
    """A whole, healthy stream up to ``data: [DONE]``, then the connection held open with no
    chunked terminator (for ``hold`` seconds, or until the client leaves), then dropped."""

    hold: float = 15.0

    async def play(self, ex: Exchange) -> bool:
        for part in await _begin(ex, 0):
            await ex.event(part)
        for _ in range(int(self.hold / 0.05)):
            if ex.client_gone():
                break
            await asyncio.sleep(0.05)
        ex.reset()
        return False


@dataclass(frozen=True)
class Redirect(Fault):
    """A redirect (``status``) to ``location``, as a misconfigured proxy answers."""

    status: int = 307
    location: str = "http://127.0.0.1:9/v1/chat/completions"

    async def play(self, ex: Exchange) -> bool:
        await ex.send(
            self.status, b"", content_type="text/plain", headers={"Location": self.location}
        )
        return True


@dataclass(frozen=True)
class KeepAliveOnly(Fault):
    """Some events, then only ``: keep-alive`` comments until the client leaves (or ``limit``)."""

    after: int = 3
    interval: float = 0.05
    limit: float = 15.0

    async def play(self, ex: Exchange) -> bool:
        await _begin(ex, self.after)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limit
        while loop.time() < deadline and not ex.client_gone():
            await asyncio.sleep(self.interval)
            await ex.chunk(b": keep-alive\n\n")
        return False
