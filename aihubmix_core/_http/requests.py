"""Building the ``httpx.Request`` for a call: URL, headers, body and timeout. Pure.

For our own pools the URL, headers and timeout are prepared once per kind of call (the
settings are frozen, and parsing them anew cost a fifth of a request's client time);
a caller's client builds its requests itself, so it can merge its own defaults.
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
_Prepared = tuple[httpx.URL, httpx.Headers, dict[str, Any]]
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

    def timeout(self, *, stream: bool) -> httpx.Timeout:
        read = self.config.timeout
        if stream and self.idle_limit is not None:
            read = self.idle_limit.seconds
        return httpx.Timeout(self.config.timeout, connect=self.config.connect_timeout, read=read)

    @staticmethod
    def _own_timeout(limits: dict[str, Any], call: Call) -> dict[str, Any]:
        """The client's limits with a per-call ``timeout`` over them: it bounds each
        read, write and wait for a connection (a stream's idle wait only shortens)."""
        seconds, connect = call_timeout(call.timeout)
        if seconds is not None:
            read = limits.get("read")
            limits.update(write=seconds, pool=seconds)
            limits["read"] = seconds if read is None or not call.stream else min(read, seconds)
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
        url = self.url(call.path)
        # A relative path is the gateway's own; only an absolute URL needs parsing.
        own_host = url is not call.path or self.sends_key_to(url)
        auth = auth and own_host
        content = None
        body = "none"
        if call.files is not None or call.data is not None:
            body = "multipart"
        elif call.payload is not None:
            body = "json"
            content = _json_bytes(call.payload)
        if not own_client:  # a caller's client: let it merge its own defaults, auth, cookies
            limits = self.timeout(stream=call.stream).as_dict()
            if call.timeout is not None:
                limits = self._own_timeout(limits, call)
            return client.build_request(
                call.method,
                url,
                content=content,
                data=call.data,
                files=call.files,
                params=call.query,
                headers=self.headers(call, auth=auth, body=body, own_host=own_host),
                timeout=httpx.Timeout(**limits),
            )
        key = (call.path, call.stream, auth, body, call.auth_style, call.headers)
        prepared = self._prepared.get(key)
        if prepared is None:
            if len(self._prepared) >= _PREPARED_LIMIT:  # per-job paths and result URLs vary
                self._prepared.clear()
            target = httpx.URL(url)
            # Host first, as httpx would put it; case-insensitive: ours replace its defaults.
            headers = httpx.Headers({"Host": target.netloc.decode("ascii")})
            headers.update(client.headers)
            headers.update(self.headers(call, auth=auth, body=body, own_host=own_host))
            timeout = self.timeout(stream=call.stream).as_dict()
            prepared = self._prepared[key] = (target, headers, timeout)
        prepared_url, headers, timeout = prepared
        # The timeout dict is per request: a finished stream shortens its own read timeout.
        extensions = {"timeout": dict(timeout)}
        if call.timeout is not None:
            extensions["timeout"] = self._own_timeout(extensions["timeout"], call)
        if call.query:
            prepared_url = prepared_url.copy_merge_params(dict(call.query))
        if content is not None:
            return _json_request(call.method, prepared_url, content, headers, extensions)
        return httpx.Request(
            call.method,
            prepared_url,
            data=call.data,
            files=call.files,
            headers=headers,
            extensions=extensions,
        )


def _json_request(
    method: str, url: httpx.URL, content: bytes, headers: httpx.Headers, extensions: Any
) -> httpx.Request:
    """The request httpx would build from ``content=``, with the headers it would add
    (``Host`` is prepared, ``Content-Length`` set here): a ready body stream skips httpx's encoding
    and header merging, a quarter of the client's own time per call."""
    request = httpx.Request(
        method, url, headers=headers, stream=httpx.ByteStream(content), extensions=extensions
    )
    request.headers["Content-Length"] = str(len(content))
    return request
