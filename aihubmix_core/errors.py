"""One exception hierarchy for everything that can go wrong talking to AIHubMix.

Every error says what happened and what to do about it. Status errors carry the
status, the gateway's error ``code`` and ``type``, its message, the request or
trace id, and the parsed body, so a user can quote them to support.
"""

from __future__ import annotations

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
    "ContentModerationError",
    "ContextWindowExceededError",
    "EmptyMediaError",
    "FileTooLargeError",
    "InsufficientQuotaError",
    "InvalidInputError",
    "JobError",
    "JobFailedError",
    "JobTimeoutError",
    "MissingAPIKeyError",
    "ModelNotAvailableError",
    "ModelRefusalError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "ServerError",
    "StreamError",
    "StreamIdleTimeoutError",
    "StreamIncompleteError",
    "StreamInterruptedError",
    "StreamPayloadError",
    "TextTooLongError",
    "UnknownVoiceError",
    "UnsupportedFormatError",
    "UpstreamStreamError",
]


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

    def with_attempts(self, attempts: int) -> AIHubMixError:
        """This error, its message saying how many attempts were made (when more than one)."""
        if attempts > 1 and not getattr(self, "attempts", None):
            self.attempts = attempts
            self.message = f"{self.message.rstrip()} (gave up after {attempts} attempts)"
            self.args = (self.message, *self.args[1:])
        return self

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

    hint = "Check the network and AIHUBMIX_BASE_URL."

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


class ModelRefusalError(APIResponseError):
    """Asked for a structured answer (``response_format``), the model refused; ``refusal``
    holds its words. As ``ChatOpenAI`` does, this is raised rather than parsed as empty."""

    def __init__(self, refusal: str, *, body: Any = None) -> None:
        super().__init__(
            f"The model refused to answer in the requested format: {refusal[:500]!r}",
            body=body,
        )
        self.refusal = refusal


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

    partial: ChatResult | None = None
    """For an error reported inside a stream, what arrived before it."""

    def _compose(self, message: str) -> str:
        # An error object inside a 2xx reply (or stream) is no error status: say so.
        status = self.status_code
        details = [f"status {status}" if status >= 400 else f"error in a {status} reply"]
        if self.code:
            details.append(f"code {self.code}")
        if self.error_type:
            details.append(f"type {self.error_type}")
        if self.request_id:
            details.append(f"request id {self.request_id}")
        text = f"AIHubMix error ({', '.join(details)}): {(message or 'no message').rstrip('. ')}"
        return f"{text}. {self.hint}" if self.hint else text


# The status errors differ only in when they are raised and what to do: one line each
# here, their docstrings and hints in the table below.
class BadRequestError(APIStatusError): ...


class ContextWindowExceededError(BadRequestError): ...


class AuthenticationError(APIStatusError): ...


class InsufficientQuotaError(APIStatusError): ...


class PermissionDeniedError(APIStatusError): ...


class NotFoundError(APIStatusError): ...


class ModelNotAvailableError(NotFoundError): ...


class RateLimitError(APIStatusError): ...


class ServerError(APIStatusError): ...


_STATUS_ERRORS: dict[type[APIStatusError], tuple[str, str]] = {
    BadRequestError: (
        "400, 413 or 422: the request was refused as invalid.",
        "The request was rejected as invalid; fix the parameters named above.",
    ),
    ContextWindowExceededError: (
        "The prompt does not fit in the model's context window.",
        "The prompt is longer than the model's context window: shorten it or pick a model "
        "with a larger window.",
    ),
    AuthenticationError: (
        "401: the key is missing, wrong or revoked.",
        "Check that AIHUBMIX_API_KEY (or api_key=) holds a valid, active AIHubMix key.",
    ),
    InsufficientQuotaError: (
        "402, or a reply saying insufficient_user_quota: the balance is used up.",
        "The account balance or key quota is used up: top up at https://aihubmix.com or "
        "raise the key's limit.",
    ),
    PermissionDeniedError: (
        "403: the key may not use this model or resource.",
        "The key may not use this model or resource (key suspended, IP not allowed, or "
        "model not enabled for the key).",
    ),
    NotFoundError: (
        "404: wrong URL or model.",
        "Check the URL (AIHUBMIX_BASE_URL) and the model id.",
    ),
    ModelNotAvailableError: (
        "The model id does not exist or has no channel for this key.",
        "The model id is wrong or not available to this key: check it against "
        "https://aihubmix.com/models.",
    ),
    RateLimitError: (
        "429: too many requests.",
        "Too many requests: slow down, raise max_retries, or add a rate limiter.",
    ),
    ServerError: (
        "5xx: the gateway or the upstream provider failed.",
        "The gateway or the upstream provider failed; try again later.",
    ),
}
for _cls, (_doc, _hint) in _STATUS_ERRORS.items():
    _cls.__doc__, _cls.hint = _doc, _hint


class RedirectError(APIStatusError):
    """The gateway answered with a redirect, which API calls never follow."""

    hint = (
        "Redirects are not followed: they would send the prompt, the key's headers and any "
        "default_headers to another address. Set base_url to the address you mean."
    )


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


class ContentModerationError(BadRequestError):
    """The provider's moderation refused the prompt or an input image (``moderation_blocked``)."""

    hint = (
        "The provider's moderation refused the prompt or image: reword it. AIHubMix may "
        "still charge for a refused image request, so do not resend it unchanged."
    )


class EmptyMediaError(APIResponseError):
    """A 2xx media reply that holds no media: an image with neither bytes nor a URL."""


class InvalidInputError(AIHubMixError, ValueError):
    """The input alone shows the request cannot work; raised before any request is sent."""


class UnsupportedFormatError(InvalidInputError):
    """A file or output format the endpoint does not take; the message names those it does."""


class FileTooLargeError(InvalidInputError):
    """A file over the endpoint's size limit (25 MB for audio)."""


class TextTooLongError(InvalidInputError):
    """Text over the endpoint's length limit (4,096 characters for speech)."""


class UnknownVoiceError(InvalidInputError):
    """A voice the speech model does not have; the message names those it does."""


class JobError(AIHubMixError):
    """An asynchronous job (a video, a polled image prediction) did not give a result."""

    def __init__(self, message: str, *, job_id: str, status: str | None = None) -> None:
        super().__init__(message)
        self.job_id = job_id
        self.status = status


class JobFailedError(JobError):
    """The job ended failed, cancelled or rejected; ``reason`` says why, when the gateway did."""

    def __init__(
        self, message: str, *, job_id: str, status: str | None = None, reason: str | None = None
    ) -> None:
        super().__init__(message, job_id=job_id, status=status)
        self.reason = reason


class JobTimeoutError(JobError, TimeoutError):
    """The job was still running when the wait ran out; it goes on at AIHubMix, so wait
    again with ``job_id`` (``wait_for_video(error.job_id)``) instead of submitting anew."""

    def __init__(
        self, message: str, *, job_id: str, status: str | None, progress: float | None
    ) -> None:
        super().__init__(message, job_id=job_id, status=status)
        self.progress = progress
