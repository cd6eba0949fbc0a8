"""One exception hierarchy for everything that can go wrong talking to AIHubMix.

Every error says what happened and what to do about it. Status errors carry the
status, the gateway's error ``code`` and ``type``, its message, the request or
trace id, and the parsed body, so a user can quote them to support.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

    from .types import ChatResult

__all__ = [
    "AIHubMixError",
    "APIConnectionError",
    "APIResponseError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ContextWindowExceededError",
    "InsufficientQuotaError",
    "MissingAPIKeyError",
    "ModelNotAvailableError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamError",
    "StreamIdleTimeoutError",
    "StreamIncompleteError",
    "StreamInterruptedError",
    "StreamPayloadError",
    "UpstreamStreamError",
    "error_from_body",
]

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
_MODEL_MISSING_MARKERS = (
    "incorrect model id",
    "no available channel",
    "model_not_found",
    "model not found",
    "get_adaptor_failed",
)


def _rebuild(
    cls: type[AIHubMixError], args: tuple[Any, ...], state: dict[str, Any]
) -> AIHubMixError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class AIHubMixError(Exception):
    """Base class of every error raised by this package."""

    hint: str = ""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle without calling ``__init__`` (subclasses take other arguments), leaving out
        the live request and response, so errors cross process boundaries (worker pools)."""
        state = {k: None if k in ("request", "response") else v for k, v in self.__dict__.items()}
        return (_rebuild, (type(self), self.args, state))


class ConfigurationError(AIHubMixError, ValueError):
    """The client was configured in a way that cannot work."""


class MissingAPIKeyError(ConfigurationError):
    """No API key was given and ``AIHUBMIX_API_KEY`` is not set."""

    def __init__(self) -> None:
        super().__init__(
            "No AIHubMix API key found. Set the AIHUBMIX_API_KEY environment variable "
            "or pass api_key=... (create a key at https://aihubmix.com/token)."
        )


class APIConnectionError(AIHubMixError):
    """The request never got an HTTP answer (DNS, refused, reset, TLS)."""

    hint = "Check the network and AIHUBMIX_BASE_URL; the request was retried where safe."

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The gateway did not answer within the configured timeout."""

    hint = "Raise timeout= (or stream_idle_timeout= for streams), or try again later."


class APIResponseError(AIHubMixError):
    """A 2xx reply that is not what the API promises (not JSON, no choices)."""

    def __init__(self, message: str, *, body: Any = None) -> None:
        super().__init__(message)
        self.body = body


class APIStatusError(AIHubMixError):
    """The gateway answered with an error status."""

    hint = "Try again later; if it persists, quote the request id to AIHubMix support."

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        error_type: str | None = None,
        param: str | None = None,
        request_id: str | None = None,
        body: Any = None,
        response: httpx.Response | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status_code = status_code
        self.code = code
        self.error_type = error_type
        self.param = param
        self.request_id = request_id
        self.body = body
        self.response = response
        self.retry_after = retry_after
        self.upstream_message = message
        super().__init__(self._compose(message))

    def _compose(self, message: str) -> str:
        details = [f"status {self.status_code}"]
        if self.code:
            details.append(f"code {self.code}")
        if self.error_type:
            details.append(f"type {self.error_type}")
        if self.request_id:
            details.append(f"request id {self.request_id}")
        text = f"AIHubMix error ({', '.join(details)}): {(message or 'no message').rstrip('. ')}"
        return f"{text}. {self.hint}" if self.hint else text


class BadRequestError(APIStatusError):
    hint = "The request was rejected as invalid; fix the parameters named above."


class ContextWindowExceededError(BadRequestError):
    hint = "The prompt is longer than the model's context window: shorten it or pick a model with a larger window."


class AuthenticationError(APIStatusError):
    hint = "Check that AIHUBMIX_API_KEY (or api_key=) holds a valid, active AIHubMix key."


class InsufficientQuotaError(APIStatusError):
    hint = "The account balance or key quota is used up: top up at https://aihubmix.com or raise the key's limit."


class PermissionDeniedError(APIStatusError):
    hint = "The key may not use this model or resource (key suspended, IP not allowed, or model not enabled for the key)."


class NotFoundError(APIStatusError):
    hint = "Check the URL (AIHUBMIX_BASE_URL) and the model id."


class ModelNotAvailableError(NotFoundError):
    hint = "The model id is wrong or not available to this key: check it against https://aihubmix.com/models."


class RateLimitError(APIStatusError):
    hint = "Too many requests: slow down, raise max_retries, or add a rate limiter."


class ServerError(APIStatusError):
    hint = "The gateway or the upstream provider failed; it was retried, try again later."


class StreamError(AIHubMixError):
    """A streamed reply failed after it began; ``partial`` holds what arrived before."""

    def __init__(self, message: str, *, partial: ChatResult | None = None) -> None:
        super().__init__(message)
        self.partial = partial

    @property
    def partial_text(self) -> str:
        """The text received before the failure ("" when nothing arrived)."""
        if self.partial is None:
            return ""
        content = self.partial.message.content
        return content if isinstance(content, str) else ""


class StreamInterruptedError(StreamError, APIConnectionError):
    """The connection dropped in the middle of a stream."""

    def __init__(
        self,
        message: str,
        *,
        partial: ChatResult | None = None,
        request: httpx.Request | None = None,
    ) -> None:
        StreamError.__init__(self, message, partial=partial)
        self.request = request


class StreamIdleTimeoutError(StreamError, APITimeoutError):
    """No event arrived within ``stream_idle_timeout`` (keep-alive comments do not count)."""

    def __init__(self, message: str, *, partial: ChatResult | None = None) -> None:
        StreamError.__init__(self, message, partial=partial)
        self.request = None


class StreamIncompleteError(StreamError):
    """The stream ended with neither a finish reason nor ``[DONE]``."""


class StreamPayloadError(StreamError):
    """An event of the stream was not valid JSON."""


class UpstreamStreamError(StreamError):
    """The gateway sent an ``error`` object inside a 200 stream."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        error_type: str | None = None,
        body: Any = None,
        partial: ChatResult | None = None,
    ) -> None:
        super().__init__(message, partial=partial)
        self.code = code
        self.error_type = error_type
        self.body = body


def _status_class(status: int, code: str | None, text: str) -> type[APIStatusError]:
    lowered = text.lower()
    model_missing = any(marker in lowered for marker in _MODEL_MISSING_MARKERS) or (
        # "The model `x` does not exist", but not "tool call id ... does not exist"
        "does not exist" in lowered and "model" in lowered
    )
    if model_missing and status in (400, 404, 503):
        return ModelNotAvailableError
    if status in (400, 413, 422):
        if any(marker in lowered for marker in _CONTEXT_MARKERS):
            return ContextWindowExceededError
        return BadRequestError
    if status == 401:
        return AuthenticationError
    if status == 402 or "insufficient_user_quota" in lowered or "insufficient_quota" in lowered:
        return InsufficientQuotaError
    if status == 403:
        return PermissionDeniedError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    return APIStatusError


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
) -> APIStatusError:
    """Map an error status and body to the matching ``APIStatusError`` subclass."""
    body, error = parse_error_body(raw)
    message = _text(error.get("message"))
    if message is None:
        if isinstance(body, str):
            snippet = " ".join(body.split())[:200]
            message = f"non-JSON reply: {snippet}" if snippet else "empty reply"
        else:
            message = "no error message in the reply"
    if secret and len(secret) >= 8 and secret in message:
        message = message.replace(secret, "***")
    tid = _TID.search(message)
    if tid and request_id is None:
        request_id = tid.group(1)
    code = _text(error.get("code"))
    error_type = _text(error.get("type"))
    cls = _status_class(status, code, f"{message} {code or ''} {error_type or ''}")
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
