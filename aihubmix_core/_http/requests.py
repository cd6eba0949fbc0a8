"""Building the ``httpx.Request`` for a call: URL, headers, body and timeout. Pure.

The URL, headers and timeout are prepared once per kind of call (the settings are frozen,
and parsing them anew cost a fifth of a request's client time). For our own pools the
request is then built directly, its JSON body as ready bytes; a caller's client builds
its requests itself, so it can merge its own defaults.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ..error_mapping import IdleLimit
from ..settings import AuthStyle, ClientConfig, TimeoutArg, call_timeout

__all__ = ["Call", "RequestFactory"]

_JSON = "application/json"
_SSE = "text/event-stream"


def _json_bytes(payload: Any) -> bytes:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode()
    except UnicodeEncodeError:
        # Surrogates cannot be UTF-8: the halves of a pair split apart (an emoji cut between
        # two stream deltas) are joined again, and a lone half becomes U+FFFD.
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode()


@dataclass(slots=True)
class Call:
    """What one API call sends: method, path (or absolute URL), and a JSON or multipart body."""

    method: str
    path: str
    payload: Any = None
    data: Mapping[str, Any] | None = None
    files: Any = None
    stream: bool = False
    auth_style: AuthStyle = "bearer"
    """How the key travels (``"x-api-key"`` for Anthropic's Messages protocol)."""
    headers: tuple[tuple[str, str], ...] = ()
    """Headers this call adds (a protocol version, a caller's ``extra_headers``), after
    the client's own."""
    query: Mapping[str, Any] | None = None
    """Query parameters this call adds (a caller's ``extra_query``)."""
    timeout: TimeoutArg = None
    """This call's own timeout (a caller's per-call ``timeout``); the client's when ``None``."""


_PREPARED_LIMIT = 256
_Prepared = tuple[httpx.URL, httpx.Headers, dict[str, Any], httpx.Timeout]
_PreparedKey = tuple[str, bool, bool, str, AuthStyle, tuple[tuple[str, str], ...]]


class RequestFactory:
    def __init__(self, config: ClientConfig) -> None:
        self.config = config
        self.idle_limit = IdleLimit.of(config.timeout, config.stream_idle_timeout)
        self._base = httpx.URL(config.base_url)
        self._prepared: dict[_PreparedKey, _Prepared] = {}

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.config.url(path)

    def sends_key_to(self, url: str) -> bool:
        """The key goes only to the configured gateway, never to a result or polling URL
        on another host."""
        target = httpx.URL(url)
        return (target.scheme, target.host, target.port) == (
            self._base.scheme,
            self._base.host,
            self._base.port,
        )

    def idle_limit_for(self, call: Call) -> IdleLimit | None:
        """How long this call's stream may stay silent: the client's limit, or a per-call
        ``timeout`` when that is shorter (the error then names ``timeout``)."""
        if call.timeout is None:
            return self.idle_limit
        return self._idle_limit_within(call_timeout(call.timeout)[0])

    def _idle_limit_within(self, seconds: float | None) -> IdleLimit | None:
        if seconds is not None and (self.idle_limit is None or seconds < self.idle_limit.seconds):
            return IdleLimit(seconds, "timeout")
        return self.idle_limit

    def timeout(self, *, stream: bool) -> httpx.Timeout:
        read = self.config.timeout
        if stream and self.idle_limit is not None:
            read = self.idle_limit.seconds
        return httpx.Timeout(self.config.timeout, connect=self.config.connect_timeout, read=read)

    def _own_timeout(self, limits: dict[str, Any], call: Call) -> dict[str, Any]:
        """The client's limits with a per-call ``timeout`` over them: it bounds each
        read, write and wait for a connection; a stream's reads wait its idle limit, the
        one ``idle_limit_for`` gives the stream's clock."""
        seconds, connect = call_timeout(call.timeout)
        if seconds is not None:
            limits.update(read=seconds, write=seconds, pool=seconds)
            idle = self._idle_limit_within(seconds) if call.stream else None
            if idle is not None:
                limits["read"] = idle.seconds
        if connect is not None:
            limits["connect"] = connect
        return limits

    def headers(
        self, call: Call, *, auth: bool, body: str, own_host: bool = True
    ) -> dict[str, str]:
        if own_host:
            headers = self.config.headers(auth=auth, auth_style=call.auth_style)
        else:  # a result or polling URL elsewhere: no key, APP-Code or caller's headers
            headers = {"User-Agent": self.config.user_agent, "Accept": "application/json"}
        if body == "json":
            headers["Content-Type"] = _JSON
        if call.stream:
            headers["Accept"] = _SSE
        headers.update(call.headers)
        return headers

    def build(
        self,
        call: Call,
        client: httpx.Client | httpx.AsyncClient,
        *,
        auth: bool,
        own_client: bool,
    ) -> httpx.Request:
        if call.files is not None or call.data is not None:
            body = "multipart"
        else:
            body = "none" if call.payload is None else "json"
        key = (call.path, call.stream, auth, body, call.auth_style, call.headers)
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self._prepare(key, call, client, auth=auth, body=body, own=own_client)
        url, headers, limits, timeout = prepared
        content = _json_bytes(call.payload) if body == "json" else None
        if call.timeout is not None:
            limits = self._own_timeout(dict(limits), call)
            timeout = httpx.Timeout(**limits)
        if not own_client:  # a caller's client: let it merge its own defaults, auth, cookies
            return client.build_request(
                call.method,
                url,
                content=content,
                data=call.data,
                files=call.files,
                params=call.query,
                headers=headers,
                timeout=timeout,
            )
        # The timeout dict is per request: a finished stream shortens its own read timeout.
        extensions = {"timeout": dict(limits)}
        if call.query:
            url = url.copy_merge_params(dict(call.query))
        if content is not None:
            return _json_request(call.method, url, content, headers, extensions)
        return httpx.Request(
            call.method,
            url,
            data=call.data,
            files=call.files,
            headers=headers,
            extensions=extensions,
        )

    def _prepare(
        self,
        key: _PreparedKey,
        call: Call,
        client: httpx.Client | httpx.AsyncClient,
        *,
        auth: bool,
        body: str,
        own: bool,
    ) -> _Prepared:
        """URL, headers and timeout for one kind of call. For our own pool the headers are
        the whole set the request will carry (``Host`` first, as httpx puts it; ours
        replace its defaults); a caller's client gets only ours and merges its own."""
        if len(self._prepared) >= _PREPARED_LIMIT:  # per-job paths and result URLs vary
            self._prepared.clear()
        url = self.url(call.path)
        # A relative path is the gateway's own; only an absolute URL needs parsing.
        own_host = url is not call.path or self.sends_key_to(url)
        target = httpx.URL(url)
        headers = httpx.Headers()
        if own:
            headers["Host"] = target.netloc.decode("ascii")
            headers.update(client.headers)
        headers.update(self.headers(call, auth=auth and own_host, body=body, own_host=own_host))
        timeout = self.timeout(stream=call.stream)
        prepared = self._prepared[key] = (target, headers, timeout.as_dict(), timeout)
        return prepared


def _json_request(
    method: str, url: httpx.URL, content: bytes, headers: httpx.Headers, extensions: Any
) -> httpx.Request:
    """The request httpx would build from ``content=``, with the headers it would add
    (``Host`` is prepared, ``Content-Length`` set here): a ready body stream skips httpx's
    encoding and header merging, a quarter of the client's own time per call."""
    request = httpx.Request(
        method, url, headers=headers, stream=httpx.ByteStream(content), extensions=extensions
    )
    request.headers["Content-Length"] = str(len(content))
    request.read()  # .content readable, as with content=: errors carry the request they failed on
    return request
