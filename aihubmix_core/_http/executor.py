"""The only module that does I/O: pooled httpx clients, one retry layer, timeouts, SSE framing.

Sync and async loops are twins over the same pure helpers (request building, error
mapping, retry policy, SSE decoding, the idle clock); only the awaiting differs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from typing import Any

import httpx

from ..errors import (
    AIHubMixError,
    APIConnectionError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    StreamIdleTimeoutError,
    StreamInterruptedError,
    error_from_body,
)
from ..settings import ClientConfig
from .retry import RetryPolicy, parse_retry_after
from .sse import ServerSentEvent, SSEDecoder

__all__ = ["JSON_BODY_EVENT", "AsyncTransport", "SyncTransport"]

logger = logging.getLogger("aihubmix_core")

JSON_BODY_EVENT = "aihubmix.json-body"
"""Event name for a stream request answered with a plain JSON body instead of SSE."""

_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100, keepalive_expiry=30)


def _timeout(config: ClientConfig, *, stream: bool) -> httpx.Timeout:
    read = config.timeout
    if stream and config.stream_idle_timeout is not None:
        read = config.stream_idle_timeout if read is None else min(read, config.stream_idle_timeout)
    return httpx.Timeout(config.timeout, connect=config.connect_timeout, read=read)


class _IdleClock:
    """Raises when no real event came within the idle timeout; comments do not reset it."""

    __slots__ = ("_idle", "_last")

    def __init__(self, idle: float | None) -> None:
        self._idle = idle
        self._last = time.monotonic()

    def tick(self, got_event: bool) -> None:
        if self._idle is None:
            return
        now = time.monotonic()
        if got_event:
            self._last = now
        elif now - self._last > self._idle:
            raise _idle_error(self._idle)


_Prepared = tuple[httpx.URL, httpx.Headers, dict[str, Any]]


class _Base:
    def __init__(self, config: ClientConfig) -> None:
        self.config = config
        self.policy = RetryPolicy(max_retries=config.max_retries)
        # URL, headers and timeout per (path, stream, auth, body) for our own clients: the
        # config is frozen, and parsing them anew costs a fifth of a request's client time.
        self._prepared: dict[tuple[str, bool, bool, bool], _Prepared] = {}

    def _headers(self, *, stream: bool, auth: bool, body: bool) -> dict[str, str]:
        headers = self.config.headers(auth=auth)
        if body:
            headers["Content-Type"] = "application/json"
        if stream:
            headers["Accept"] = "text/event-stream"
        return headers

    def _url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.config.url(path)

    def _build(
        self,
        client: httpx.Client | httpx.AsyncClient,
        method: str,
        path: str,
        payload: Any,
        *,
        stream: bool,
        auth: bool = True,
        own_client: bool = False,
    ) -> httpx.Request:
        content = None
        if payload is not None:
            content = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        if not own_client:  # a caller's client: let it merge its own defaults, auth, cookies
            return client.build_request(
                method,
                self._url(path),
                content=content,
                headers=self._headers(stream=stream, auth=auth, body=content is not None),
                timeout=_timeout(self.config, stream=stream),
            )
        key = (path, stream, auth, content is not None)
        prepared = self._prepared.get(key)
        if prepared is None:
            headers = httpx.Headers(client.headers)  # case-insensitive: ours replace its defaults
            headers.update(self._headers(stream=stream, auth=auth, body=content is not None))
            timeout = _timeout(self.config, stream=stream).as_dict()
            prepared = self._prepared[key] = (httpx.URL(self._url(path)), headers, timeout)
        url, headers, timeout = prepared
        return httpx.Request(
            method, url, content=content, headers=headers, extensions={"timeout": timeout}
        )

    def _status_error(self, response: httpx.Response, body: bytes) -> APIStatusError:
        response, body = self._redacted(response, body)
        headers = response.headers
        retry_after = parse_retry_after(headers.get("retry-after"))
        if retry_after is None and headers.get("retry-after-ms"):
            ms = parse_retry_after(headers.get("retry-after-ms"))
            retry_after = None if ms is None else ms / 1000
        return error_from_body(
            response.status_code,
            body,
            request_id=headers.get("x-request-id") or headers.get("x-aihubmix-request-id"),
            retry_after=retry_after,
            response=response,
            secret=self._secret_or_none(),
        )

    def _secret_or_none(self) -> str | None:
        key = self.config.api_key
        return key.get_secret_value() if key is not None else None

    def _redacted(self, response: httpx.Response, body: bytes) -> tuple[httpx.Response, bytes]:
        """An error body that quotes the key back ("Incorrect API key: sk-...") loses it here,
        in the response kept on the error too: frameworks copy both into traces."""
        secret = self._secret_or_none()
        if not secret or len(secret) < 8 or secret.encode() not in body:
            return response, body
        body = body.replace(secret.encode(), b"***")
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-length", "content-encoding", "transfer-encoding")
        ]
        clean = httpx.Response(
            response.status_code, headers=headers, content=body, request=response.request
        )
        return clean, body

    @staticmethod
    def _transport_error(exc: Exception, request: httpx.Request) -> APIConnectionError:
        where = f"{request.method} {request.url.copy_with(query=None)}"
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(
                f"AIHubMix did not answer {where} in time ({type(exc).__name__}). {APITimeoutError.hint}",
                request=request,
            )
        return APIConnectionError(
            f"Could not reach AIHubMix at {where}: {type(exc).__name__}: {str(exc).rstrip('. ')}. "
            f"{APIConnectionError.hint}",
            request=request,
        )

    @staticmethod
    def _not_json(body: bytes, response: httpx.Response) -> APIResponseError:
        snippet = body[:200].decode("utf-8", "replace")
        return APIResponseError(
            f"AIHubMix answered {response.status_code} with a body that is not JSON "
            f"(content-type {response.headers.get('content-type', 'unknown')}): {snippet!r}. "
            "A proxy may sit in front of the gateway; check AIHUBMIX_BASE_URL.",
            body=snippet,
        )

    @classmethod
    def _json(cls, body: bytes, response: httpx.Response) -> Any:
        try:
            return json.loads(body)
        except ValueError:
            raise cls._not_json(body, response) from None

    @staticmethod
    def _content_type(response: httpx.Response) -> str:
        content_type: str = response.headers.get("content-type", "")
        return content_type

    def _give_up_or_wait(self, attempt: int, error: AIHubMixError, request: httpx.Request) -> float:
        delay = self.policy.delay(attempt, error)
        if delay is None:
            raise error
        logger.info(
            "AIHubMix %s %s failed (%s); retry %d of %d in %.2f s",
            request.method,
            request.url.path,
            getattr(error, "status_code", type(error).__name__),
            attempt + 1,
            self.policy.max_retries,
            delay,
        )
        return delay

    def _stream_failure(
        self, exc: Exception, request: httpx.Request, attempt: int, *, started: bool
    ) -> float:
        """Seconds to wait before retrying a stream that failed before its first event;
        raises the typed error once an event reached the caller or retries are spent."""
        error = self._mid_stream_error(exc, request)
        if started:
            raise error from exc
        delay = self.policy.delay(attempt, APITimeoutError(str(error), request=request))
        if delay is None:
            raise error from exc
        return delay

    def _mid_stream_error(self, exc: Exception, request: httpx.Request) -> AIHubMixError:
        if isinstance(exc, StreamIdleTimeoutError):
            return exc
        if isinstance(exc, httpx.TimeoutException):
            return _idle_error(self.config.stream_idle_timeout or self.config.timeout or 0)
        return StreamInterruptedError(
            f"The connection to AIHubMix dropped in the middle of the stream ({type(exc).__name__}: {exc}). "
            "The partial reply is on .partial; retry the request.",
            request=request,
        )


def _idle_error(idle: float) -> StreamIdleTimeoutError:
    return StreamIdleTimeoutError(
        f"No stream event from AIHubMix for {idle:g} s (stream_idle_timeout). "
        "The partial reply is on .partial; retry, or raise stream_idle_timeout."
    )


class SyncTransport(_Base):
    def __init__(self, config: ClientConfig, client: httpx.Client | None = None) -> None:
        super().__init__(config)
        self._owns_client = client is None
        self._client = client or httpx.Client(limits=_LIMITS, follow_redirects=True)

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def _send(
        self, request: httpx.Request, *, stream: bool, attempt: int
    ) -> tuple[httpx.Response, int]:
        while True:
            try:
                response = self._client.send(request, stream=stream)
            except httpx.HTTPError as exc:
                error: AIHubMixError = self._transport_error(exc, request)
            else:
                if response.status_code < 400:
                    return response, attempt
                try:
                    body = response.read()
                except httpx.HTTPError:
                    body = b""
                finally:
                    response.close()
                error = self._status_error(response, body)
            time.sleep(self._give_up_or_wait(attempt, error, request))
            attempt += 1

    def request_json(
        self, method: str, path: str, payload: Any = None, *, auth: bool = True
    ) -> tuple[Any, httpx.Response]:
        request = self._build(
            self._client,
            method,
            path,
            payload,
            stream=False,
            auth=auth,
            own_client=self._owns_client,
        )
        response, _ = self._send(request, stream=False, attempt=0)
        return self._json(response.content, response), response

    def stream(self, path: str, payload: Any) -> Iterator[tuple[ServerSentEvent, httpx.Response]]:
        """Yield SSE events; failures before the first event are retried, later ones raised."""
        request = self._build(
            self._client, "POST", path, payload, stream=True, own_client=self._owns_client
        )
        attempt = 0
        while True:
            response, attempt = self._send(request, stream=True, attempt=attempt)
            started = False
            try:
                content_type = self._content_type(response)
                if content_type.startswith("application/json"):
                    yield (
                        ServerSentEvent(
                            response.read().decode("utf-8", "replace"), JSON_BODY_EVENT
                        ),
                        response,
                    )
                    return
                if content_type.startswith("text/html"):  # a proxy's page, not a stream
                    raise self._not_json(response.read(), response)
                decoder = SSEDecoder()
                clock = _IdleClock(self.config.stream_idle_timeout)
                for chunk in response.iter_bytes():
                    events = decoder.feed(chunk)
                    clock.tick(bool(events))
                    for event in events:
                        started = True
                        yield event, response
                for event in decoder.flush():
                    yield event, response
                return
            except (httpx.HTTPError, StreamIdleTimeoutError) as exc:
                delay = self._stream_failure(exc, request, attempt, started=started)
            finally:
                response.close()
            time.sleep(delay)
            attempt += 1


class AsyncTransport(_Base):
    """Async twin; without a caller's client it keeps one pooled client per event loop,
    so the same object works across consecutive ``asyncio.run`` calls.

    Pooled connections hold their loop, so a client cannot simply be forgotten with its
    loop: each one is closed when its loop shuts down (``asyncio.run`` closes every async
    generator still open, and one parked generator per client does the closing), and
    clients of loops closed some other way are dropped at the next ``client()``.
    """

    def __init__(self, config: ClientConfig, client: httpx.AsyncClient | None = None) -> None:
        super().__init__(config)
        self._given = client
        self._lock = threading.Lock()  # one object may serve event loops in several threads
        self._clients: dict[
            asyncio.AbstractEventLoop, tuple[httpx.AsyncClient, AsyncGenerator[None, None]]
        ] = {}

    def client(self) -> httpx.AsyncClient:
        if self._given is not None:
            return self._given
        loop = asyncio.get_running_loop()
        entry = self._clients.get(loop)
        if entry is not None and not entry[0].is_closed:
            return entry[0]
        with self._lock:
            for other in [other for other in self._clients if other.is_closed()]:
                del self._clients[other]
            client = httpx.AsyncClient(limits=_LIMITS, follow_redirects=True)
            self._clients[loop] = (client, self._closer(loop, client))
        return client

    def _closer(
        self, loop: asyncio.AbstractEventLoop, client: httpx.AsyncClient
    ) -> AsyncGenerator[None, None]:
        async def close_with_loop() -> AsyncGenerator[None, None]:
            try:
                yield
            finally:
                entry = self._clients.get(loop)
                if entry is not None and entry[0] is client:
                    del self._clients[loop]
                await client.aclose()

        closer = close_with_loop()
        with contextlib.suppress(StopIteration):  # run to the ``yield``: now the loop knows it
            closer.asend(None).send(None)
        return closer

    async def aclose(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - called outside a loop
            return
        entry = self._clients.pop(loop, None)
        if entry is not None:
            await entry[0].aclose()

    async def _send(
        self, client: httpx.AsyncClient, request: httpx.Request, *, stream: bool, attempt: int
    ) -> tuple[httpx.Response, int]:
        while True:
            try:
                response = await client.send(request, stream=stream)
            except httpx.HTTPError as exc:
                error: AIHubMixError = self._transport_error(exc, request)
            else:
                if response.status_code < 400:
                    return response, attempt
                try:
                    body = await response.aread()
                except httpx.HTTPError:
                    body = b""
                finally:
                    await response.aclose()
                error = self._status_error(response, body)
            await asyncio.sleep(self._give_up_or_wait(attempt, error, request))
            attempt += 1

    async def request_json(
        self, method: str, path: str, payload: Any = None, *, auth: bool = True
    ) -> tuple[Any, httpx.Response]:
        client = self.client()
        request = self._build(
            client, method, path, payload, stream=False, auth=auth, own_client=self._given is None
        )
        response, _ = await self._send(client, request, stream=False, attempt=0)
        return self._json(response.content, response), response

    async def stream(
        self, path: str, payload: Any
    ) -> AsyncIterator[tuple[ServerSentEvent, httpx.Response]]:
        client = self.client()
        request = self._build(
            client, "POST", path, payload, stream=True, own_client=self._given is None
        )
        attempt = 0
        while True:
            response, attempt = await self._send(client, request, stream=True, attempt=attempt)
            started = False
            try:
                content_type = self._content_type(response)
                if content_type.startswith("application/json"):
                    body = await response.aread()
                    yield (
                        ServerSentEvent(body.decode("utf-8", "replace"), JSON_BODY_EVENT),
                        response,
                    )
                    return
                if content_type.startswith("text/html"):  # a proxy's page, not a stream
                    raise self._not_json(await response.aread(), response)
                decoder = SSEDecoder()
                clock = _IdleClock(self.config.stream_idle_timeout)
                async for chunk in response.aiter_bytes():
                    events = decoder.feed(chunk)
                    clock.tick(bool(events))
                    for event in events:
                        started = True
                        yield event, response
                for event in decoder.flush():
                    yield event, response
                return
            except (httpx.HTTPError, StreamIdleTimeoutError) as exc:
                delay = self._stream_failure(exc, request, attempt, started=started)
            finally:
                await response.aclose()
            await asyncio.sleep(delay)
            attempt += 1
