"""The only code that does I/O: send a call, retry it, and hand back JSON, bytes or events.

``SyncExecutor`` and ``AsyncExecutor`` are twins kept thin over pure pieces: request
building (``requests``), the retry decision (``retry.Attempts``), error building
(``error_mapping``) and the stream body (``stream_body``). Only the awaiting differs.
Waiting between attempts goes through ``sleep``, which tests and callers may replace.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx

from ..error_mapping import (
    IdleLimit,
    not_json_error,
    request_id_of,
    status_error,
    stream_failure,
    transport_error,
)
from ..errors import AIHubMixError, StreamIdleTimeoutError, StreamPayloadError
from ..settings import ClientConfig
from .pools import AsyncPools, SyncPool, environment_proxy
from .requests import Call, RequestFactory
from .retry import Attempts, RetryPolicy
from .sse import ServerSentEvent
from .stream_body import JSONReply, StreamBody, StreamInfo

__all__ = ["AsyncExecutor", "Call", "JSONReply", "StreamInfo", "SyncExecutor"]

StreamItem = ServerSentEvent | JSONReply
"""What a stream call yields: events, or one whole reply from a server that did not stream."""

_DRAIN_SECONDS = 1.0
"""After ``[DONE]``, how long the rest of the body may take before the connection is dropped."""


def _finish_quickly(response: httpx.Response) -> None:
    """The answer is complete: each read of what is left of the body (its terminator) may
    take only a moment, so a server that holds the connection open cannot hold the caller.
    httpcore reads its timeout once per body, so the cap goes on this connection's reads,
    for this thread or task only, until the connection is next handed out."""
    stream = response.extensions.get("network_stream")
    read = getattr(stream, "read", None)
    if stream is None or read is None:
        return
    owner = _reader_identity()

    def capped(max_bytes: int, timeout: float | None = None) -> Any:
        if _reader_identity() == owner:
            timeout = _DRAIN_SECONDS if timeout is None else min(timeout, _DRAIN_SECONDS)
        return read(max_bytes, timeout)

    with contextlib.suppress(AttributeError):  # a stream class with __slots__ keeps its reads
        stream.read = capped
        response.extensions["aihubmix_restore_read"] = lambda: vars(stream).pop("read", None)


def _reader_identity() -> object:
    """The thread, or within an event loop the task, that reads this response."""
    try:
        task = asyncio.current_task()
    except RuntimeError:
        task = None
    return task if task is not None else threading.get_ident()


def _restore_reads(response: httpx.Response) -> None:
    restore = response.extensions.pop("aihubmix_restore_read", None)
    if restore is not None:
        restore()


class _Executor:
    pool: SyncPool | AsyncPools

    def __init__(self, config: ClientConfig) -> None:
        self.config = config
        self.requests = RequestFactory(config)
        self.policy = RetryPolicy(max_retries=config.max_retries)

    def _secret(self) -> str | None:
        key = self.config.api_key
        return key.get_secret_value() if key is not None else None

    def _unreachable(self, exc: httpx.HTTPError, request: httpx.Request) -> AIHubMixError:
        proxy = environment_proxy(request.url) if self.pool.owned else None
        return transport_error(exc, request, proxy=proxy)

    def _error(self, response: httpx.Response, body: bytes) -> AIHubMixError:
        return status_error(response, body, self._secret())

    @staticmethod
    def _body(response: httpx.Response, limit: IdleLimit | None) -> StreamBody:
        return StreamBody(
            response.headers.get("content-type", ""),
            request_id=request_id_of(response.headers),
            limit=limit,
        )

    @staticmethod
    def _reply(response: httpx.Response) -> JSONReply:
        try:
            body = json.loads(response.content)
        except ValueError:
            raise not_json_error(response.content, response) from None
        return JSONReply(body, request_id_of(response.headers))

    def _whole(self, body: StreamBody, response: httpx.Response, content: bytes) -> JSONReply:
        """A stream request answered in one piece: JSON is the reply, anything else (a
        proxy's HTML page, plain text) is reported with a snippet."""
        if body.kind == "other":
            raise not_json_error(content, response)
        try:
            return JSONReply(json.loads(content), body.request_id)
        except ValueError:
            raise StreamPayloadError(
                "AIHubMix answered a stream request with a JSON body that does not parse: "
                f"{content[:120].decode('utf-8', 'replace')!r}. Retry the request."
            ) from None


class SyncExecutor(_Executor):
    pool: SyncPool
    sleep: Callable[[float], object] = staticmethod(time.sleep)

    def __init__(self, config: ClientConfig, client: httpx.Client | None = None) -> None:
        super().__init__(config)
        self.pool = SyncPool(client)

    def close(self) -> None:
        self.pool.close()

    def _request(self, call: Call, *, auth: bool) -> httpx.Request:
        return self.requests.build(call, self.pool.client(), auth=auth, own_client=self.pool.owned)

    def _send(
        self, request: httpx.Request, attempts: Attempts | None, stream: bool
    ) -> httpx.Response:
        """The successful response; ``attempts`` is made at the first failure if not given."""
        while True:
            try:
                response = self.pool.client().send(request, stream=stream, follow_redirects=False)
            except httpx.HTTPError as exc:
                error: AIHubMixError = self._unreachable(exc, request)
            else:
                if response.status_code < 300:
                    return response
                error = self._error(response, self._read_error_body(response))
            attempts = attempts or self.policy.attempts(request)
            self.sleep(attempts.wait_after(error))

    @staticmethod
    def _read_error_body(response: httpx.Response) -> bytes:
        try:
            return response.read()
        except httpx.HTTPError:
            return b""
        finally:
            response.close()

    def send(self, call: Call, *, auth: bool = True) -> httpx.Response:
        """The successful response, body read; failures retried, then raised typed."""
        return self._send(self._request(call, auth=auth), None, stream=False)

    def json(self, call: Call, *, auth: bool = True) -> JSONReply:
        return self._reply(self._send(self._request(call, auth=auth), None, stream=False))

    def byte_chunks(self, call: Call) -> Iterator[bytes]:
        """The body as it arrives (audio for playback); failures before it opens are
        retried, a connection lost after is ``StreamInterruptedError``."""
        request = self._request(call, auth=True)
        response = self._send(request, None, stream=True)
        try:
            yield from response.iter_bytes()
        except httpx.HTTPError as exc:
            raise stream_failure(exc, request, None) from None
        finally:
            response.close()

    def events(self, call: Call, info: StreamInfo) -> Iterator[StreamItem]:
        """Events up to ``[DONE]``; failures before the first event are retried, later ones
        raised. ``info`` learns the request id as soon as a response opens."""
        request = self._request(call, auth=True)
        limit = self.requests.idle_limit_for(call)
        attempts = self.policy.attempts(request, budget=self.config.timeout)
        while True:
            response = self._send(request, attempts, stream=True)
            body = info.body = self._body(response, limit)
            try:
                if body.kind != "sse":
                    yield self._whole(body, response, response.read())
                    return
                for chunk in response.iter_bytes():
                    if not body.done:  # after it, the tail is read only to reuse the connection
                        yield from body.feed(chunk)
                        if body.done:
                            _finish_quickly(response)
                yield from body.end()
                return
            except (httpx.HTTPError, StreamIdleTimeoutError) as exc:
                if body.done:
                    return  # the answer was complete; only its tail was lost
                delay = attempts.wait_after_stream(
                    stream_failure(exc, request, body.limit), body.started
                )
            finally:
                _restore_reads(response)
                response.close()
            self.sleep(delay)


class AsyncExecutor(_Executor):
    pool: AsyncPools
    sleep: Callable[[float], Awaitable[object]] = staticmethod(asyncio.sleep)

    def __init__(self, config: ClientConfig, client: httpx.AsyncClient | None = None) -> None:
        super().__init__(config)
        self.pool = AsyncPools(client)

    async def aclose(self) -> None:
        await self.pool.aclose()

    def _request(self, call: Call, *, auth: bool) -> httpx.Request:
        return self.requests.build(call, self.pool.client(), auth=auth, own_client=self.pool.owned)

    async def _send(
        self, request: httpx.Request, attempts: Attempts | None, stream: bool
    ) -> httpx.Response:
        while True:
            try:
                response = await self.pool.client().send(
                    request, stream=stream, follow_redirects=False
                )
            except httpx.HTTPError as exc:
                error: AIHubMixError = self._unreachable(exc, request)
            else:
                if response.status_code < 300:
                    return response
                error = self._error(response, await self._read_error_body(response))
            attempts = attempts or self.policy.attempts(request)
            await self.sleep(attempts.wait_after(error))

    @staticmethod
    async def _read_error_body(response: httpx.Response) -> bytes:
        try:
            return await response.aread()
        except httpx.HTTPError:
            return b""
        finally:
            await response.aclose()

    async def send(self, call: Call, *, auth: bool = True) -> httpx.Response:
        return await self._send(self._request(call, auth=auth), None, stream=False)

    async def json(self, call: Call, *, auth: bool = True) -> JSONReply:
        return self._reply(await self._send(self._request(call, auth=auth), None, stream=False))

    async def byte_chunks(self, call: Call) -> AsyncIterator[bytes]:
        request = self._request(call, auth=True)
        response = await self._send(request, None, stream=True)
        try:
            async for chunk in response.aiter_bytes():
                yield chunk
        except httpx.HTTPError as exc:
            raise stream_failure(exc, request, None) from None
        finally:
            await response.aclose()

    async def events(self, call: Call, info: StreamInfo) -> AsyncIterator[StreamItem]:
        request = self._request(call, auth=True)
        limit = self.requests.idle_limit_for(call)
        attempts = self.policy.attempts(request, budget=self.config.timeout)
        while True:
            response = await self._send(request, attempts, stream=True)
            body = info.body = self._body(response, limit)
            try:
                if body.kind != "sse":
                    content = await response.aread()
                    yield self._whole(body, response, content)
                    return
                async for chunk in response.aiter_bytes():
                    if not body.done:  # after it, the tail is read only to reuse the connection
                        for event in body.feed(chunk):
                            yield event
                        if body.done:
                            _finish_quickly(response)
                for event in body.end():
                    yield event
                return
            except (httpx.HTTPError, StreamIdleTimeoutError) as exc:
                if body.done:
                    return
                delay = attempts.wait_after_stream(
                    stream_failure(exc, request, body.limit), body.started
                )
            finally:
                _restore_reads(response)
                await response.aclose()
            await self.sleep(delay)
