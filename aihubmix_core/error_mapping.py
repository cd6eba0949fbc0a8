"""Typed errors built from what came back: status, headers and body, or a transport failure.

The one place every error passes before it reaches a caller, so the key is redacted here:
from the message, the parsed body, the response kept on the error and the request id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import httpx

from . import errors as e
from ._http.retry import parse_retry_after

__all__ = [
    "ERROR_TYPE_STATUS",
    "IdleLimit",
    "error_from_body",
    "idle_timeout_error",
    "not_json_error",
    "parse_error_body",
    "redact",
    "redacting",
    "request_id_of",
    "scrub",
    "status_error",
    "status_of_error",
    "stream_failure",
    "transport_error",
]

_REDACTED = "***"
_MIN_SECRET = 8  # shorter "keys" would redact ordinary words


def redact(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of the key replaced."""
    if secret and len(secret) >= _MIN_SECRET and secret in text:
        return text.replace(secret, _REDACTED)
    return text


_TID = re.compile(r"\(?\s*tid:\s*([A-Za-z0-9_-]+)\s*\)?")
_CONTEXT_MARKERS = (
    "context_length_exceeded",
    "context length",
    "context window",
    "maximum context",
    "prompt is too long",
    "prompt_too_long",
    "too many tokens",
    "input is too long",
    "exceeds the context",
    "string_above_max_length",
)
_MODERATION_MARKERS = ("moderation_blocked", "content_policy_violation")
_MODEL_MISSING_MARKERS = (
    "incorrect model id",
    "no available channel",
    "model_not_found",
    "model not found",
    "get_adaptor_failed",
)


ERROR_TYPE_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}
"""The status each of Anthropic's error types stands for, for an error that arrives without
a telling HTTP status (in a 200 reply or inside a stream)."""


def status_of_error(error: Any) -> int:
    """The status an error object stands for: its numeric ``code`` when that is one, else
    its ``type`` (Anthropic's names), else 500."""
    if not isinstance(error, Mapping):
        return 500
    code = error.get("code")
    if isinstance(code, str) and code.isdigit():
        code = int(code)
    if isinstance(code, int) and not isinstance(code, bool) and 400 <= code < 600:
        return code
    return ERROR_TYPE_STATUS.get(str(error.get("type")), 500)


# Error types OpenAI-compatible bodies (and Anthropic's, passed through) carry, for
# replies whose status says nothing: an error object in a 200.
_TYPE_CLASSES: tuple[tuple[str, type[e.APIStatusError]], ...] = tuple(
    (name, cls)
    for cls, names in (
        (e.AuthenticationError, ("authentication", "invalid_api_key")),
        (e.PermissionDeniedError, ("permission",)),
        (e.InsufficientQuotaError, ("billing",)),
        (e.BadRequestError, ("request_too_large", "invalid_request")),
        (e.RateLimitError, ("rate_limit",)),
        (e.NotFoundError, ("not_found",)),
        (e.ServerError, ("server_error", "upstream_error", "overloaded", "timeout", "api_error")),
    )
    for name in names
)
# Statuses that say on their own what happened; the text refines the others.
_DEFINITE = frozenset({401, 402, 403, 429})


def _model_missing(lowered: str) -> bool:
    return any(marker in lowered for marker in _MODEL_MISSING_MARKERS) or (
        # "The model `x` does not exist", but not "tool call id ... does not exist"
        "does not exist" in lowered and "model" in lowered
    )


def _by_status(status: int, lowered: str) -> type[e.APIStatusError]:
    if status in (400, 413, 422):
        return e.BadRequestError
    if status == 401:
        return e.AuthenticationError
    if status == 402 or "insufficient_user_quota" in lowered or "insufficient_quota" in lowered:
        return e.InsufficientQuotaError
    if status == 403:
        return e.PermissionDeniedError
    if status == 404:
        return e.NotFoundError
    if status == 429:
        return e.RateLimitError
    if status >= 500:
        return e.ServerError
    return e.APIStatusError


def _status_class(status: int, error_type: str | None, text: str) -> type[e.APIStatusError]:
    """The class for an error reply: what the body says where the status is not definite
    (a missing model or an overlong prompt behind a 5xx or inside a 200), then the status,
    then, for an error object in a 2xx reply, the error type."""
    lowered = text.lower()
    if status in (400, 403, 422) and any(marker in lowered for marker in _MODERATION_MARKERS):
        return e.ContentModerationError
    if status not in _DEFINITE:
        if _model_missing(lowered):
            return e.ModelNotAvailableError
        if any(marker in lowered for marker in _CONTEXT_MARKERS):
            return e.ContextWindowExceededError
    cls = _by_status(status, lowered)
    if cls is e.APIStatusError and status < 400:
        # An error object in a 2xx: its type if it names one, else the upstream failed.
        kind = (error_type or "").lower()
        cls = next((found for name, found in _TYPE_CLASSES if name in kind), e.ServerError)
    return cls


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value)


def parse_error_body(raw: bytes | str) -> tuple[Any, Mapping[str, Any]]:
    """Parse an error body leniently: (the parsed body or the text, the error object)."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        body: Any = json.loads(text)
    except ValueError:
        return text, {}
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            return body, error
        if isinstance(error, str):
            return body, {"message": error, "type": body.get("type")}
        if "message" in body:
            return body, body
    return body, {}


def error_from_body(
    status: int,
    raw: bytes | str,
    *,
    request_id: str | None = None,
    retry_after: float | None = None,
    response: httpx.Response | None = None,
    secret: str | None = None,
) -> e.APIStatusError:
    """Map an error status and body to the matching ``e.APIStatusError`` subclass; an error
    body in a reply whose status says nothing (a 200) is classified by its text and type."""
    body, error = parse_error_body(raw)
    message = _text(error.get("message"))
    if message is None:
        if isinstance(body, str):
            snippet = " ".join(body.split())[:200]
            message = f"non-JSON reply: {snippet}" if snippet else "empty reply"
        else:
            message = "no error message in the reply"
    message = redact(message, secret)
    tid = _TID.search(message)
    if tid and request_id is None:
        request_id = tid.group(1)
    code = _text(error.get("code"))
    error_type = _text(error.get("type"))
    cls = _status_class(status, error_type, f"{message} {code or ''} {error_type or ''}")
    return cls(
        message,
        status_code=status,
        code=code,
        error_type=error_type,
        param=_text(error.get("param")),
        request_id=request_id,
        body=body,
        response=response,
        retry_after=retry_after,
    )


def _redact_value(value: Any, secret: str) -> Any:
    if isinstance(value, str):
        return redact(value, secret)
    if isinstance(value, Mapping):
        return {key: _redact_value(item, secret) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(item, secret) for item in value]
    return value


def scrub(error: e.AIHubMixError, secret: str | None) -> e.AIHubMixError:
    """The key, wherever the gateway quoted it back, replaced in place: in the message, the
    upstream message, the body and the request id. Every error leaving the client passes here."""
    if not secret or len(secret) < _MIN_SECRET:
        return error
    fields = error.__dict__
    for name in ("message", "upstream_message", "request_id", "body"):
        if fields.get(name) is not None:
            fields[name] = _redact_value(fields[name], secret)
    error.args = tuple(_redact_value(arg, secret) for arg in error.args)
    return error


class redacting:
    """Errors raised inside leave without the key (see ``scrub``). A class rather than a
    generator: it wraps every call, and this is the cheapest context manager there is."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str | None) -> None:
        self._secret = secret

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if isinstance(error, e.AIHubMixError):
            scrub(error, self._secret)  # and the error goes on


def _redacted_response(
    response: httpx.Response, body: bytes, secret: str | None
) -> tuple[httpx.Response, bytes]:
    """A body or header that quotes the key back loses it, in the response kept on the
    error too: frameworks copy both into traces."""
    if not secret or len(secret) < _MIN_SECRET:
        return response, body
    needle = secret.encode()
    headers = response.headers.multi_items()
    if needle not in body and not any(secret in value for _, value in headers):
        return response, body
    body = body.replace(needle, _REDACTED.encode())
    clean_headers = [
        (name, redact(value, secret))
        for name, value in headers
        if name.lower() not in ("content-length", "content-encoding", "transfer-encoding")
    ]
    clean = httpx.Response(
        response.status_code, headers=clean_headers, content=body, request=response.request
    )
    return clean, body


def _retry_after(headers: httpx.Headers) -> float | None:
    seconds = parse_retry_after(headers.get("retry-after"))
    if seconds is None and headers.get("retry-after-ms"):
        ms = parse_retry_after(headers.get("retry-after-ms"))
        seconds = None if ms is None else ms / 1000
    return seconds


def request_id_of(headers: httpx.Headers) -> str | None:
    """The gateway's request id header, if it sent one."""
    value: str | None = headers.get("x-request-id") or headers.get("x-aihubmix-request-id")
    return value


def status_error(response: httpx.Response, body: bytes, secret: str | None) -> e.APIStatusError:
    """The typed error for an error status, from its headers and body."""
    response, body = _redacted_response(response, body, secret)
    if 300 <= response.status_code < 400:
        location = redact(response.headers.get("location") or "no Location header", secret)
        return e.RedirectError(
            f"redirect to {location}",
            status_code=response.status_code,
            request_id=request_id_of(response.headers),
            response=response,
        )
    return error_from_body(
        response.status_code,
        body,
        request_id=request_id_of(response.headers),
        retry_after=_retry_after(response.headers),
        response=response,
        secret=secret,
    )


def transport_error(
    exc: Exception, request: httpx.Request, *, proxy: str | None = None
) -> e.APIConnectionError:
    """No HTTP answer at all: a timeout, or a connection that failed. ``proxy`` names the
    environment's proxy the request went through, the likelier culprit."""
    where = f"{request.method} {request.url.copy_with(query=None)}"
    if proxy is not None:
        where += (
            f" through the proxy {proxy} set in the environment (check it, or exclude the "
            f"host with NO_PROXY={request.url.host})"
        )
    if isinstance(exc, httpx.TimeoutException):
        return e.APITimeoutError(
            f"AIHubMix did not answer {where} in time ({type(exc).__name__}). {e.APITimeoutError.hint}",
            request=request,
        )
    return e.APIConnectionError(
        f"Could not reach AIHubMix at {where}: {type(exc).__name__}: {str(exc).rstrip('. ')}. "
        f"{e.APIConnectionError.hint}",
        request=request,
    )


def not_json_error(body: bytes, response: httpx.Response) -> e.APIResponseError:
    """A 2xx reply whose body is not the JSON (or stream) the API promises."""
    snippet = body[:200].decode("utf-8", "replace")
    return e.APIResponseError(
        f"AIHubMix answered {response.status_code} with a body that is not JSON "
        f"(content-type {response.headers.get('content-type', 'unknown')}): {snippet!r}. "
        "A proxy may sit in front of the gateway; check AIHUBMIX_BASE_URL.",
        body=snippet,
    )


class IdleLimit:
    """How long a stream may go without an event, and which setting said so."""

    __slots__ = ("seconds", "setting")

    def __init__(self, seconds: float, setting: str) -> None:
        self.seconds = seconds
        self.setting = setting

    @classmethod
    def of(cls, timeout: float | None, stream_idle_timeout: float | None) -> IdleLimit | None:
        """The smaller of the two limits: a user who set only ``timeout`` is obeyed."""
        if stream_idle_timeout is None:
            return None if timeout is None else cls(timeout, "timeout")
        if timeout is not None and timeout < stream_idle_timeout:
            return cls(timeout, "timeout")
        return cls(stream_idle_timeout, "stream_idle_timeout")


def idle_timeout_error(limit: IdleLimit) -> e.StreamIdleTimeoutError:
    return e.StreamIdleTimeoutError(
        f"No stream event from AIHubMix for {limit.seconds:g} s ({limit.setting}). "
        f"The partial reply is on .partial; retry, or raise {limit.setting}."
    )


def stream_failure(
    exc: Exception, request: httpx.Request, limit: IdleLimit | None
) -> e.StreamIdleTimeoutError | e.StreamInterruptedError:
    """A stream that failed while being read: silence, or a dropped connection."""
    if isinstance(exc, e.StreamIdleTimeoutError):
        return exc
    if isinstance(exc, httpx.TimeoutException) and limit is not None:
        return idle_timeout_error(limit)
    return e.StreamInterruptedError(
        f"The connection to AIHubMix dropped in the middle of the stream ({type(exc).__name__}: {exc}). "
        "The partial reply is on .partial; retry the request.",
        request=request,
    )
