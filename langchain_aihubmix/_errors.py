"""Errors that are both an ``aihubmix_core`` error and a ``langchain_core`` model error.

Code written against LangChain catches ``ModelRateLimitError``, ``ContextOverflowError``
and friends (and reads ``is_retryable``); code written against this package catches the
core classes and reads ``status_code``, ``request_id`` or ``partial``. Each class below
inherits from both, so either style works. ``translate_errors`` is the one place where
core errors become these classes. The package's ``__init__`` lists the public ones.
"""

from __future__ import annotations

from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelError,
    ModelInvalidRequestError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
)

from aihubmix_core import errors as core


class AIHubMixAuthenticationError(core.AuthenticationError, ModelAuthenticationError):
    """401: the key is missing, wrong or revoked."""


class AIHubMixMissingAPIKeyError(core.MissingAPIKeyError, ModelAuthenticationError):
    """No key was given and ``AIHUBMIX_API_KEY`` is not set; raised at the first request."""


class AIHubMixPermissionDeniedError(core.PermissionDeniedError, ModelPermissionDeniedError):
    """403: the key may not use this model or resource."""


class AIHubMixInsufficientQuotaError(core.InsufficientQuotaError, ModelPermissionDeniedError):
    """402/403 ``insufficient_user_quota``: the balance is used up.

    LangChain has no billing error class; permission-denied fits best because, unlike a
    rate limit, waiting and retrying does not help.
    """


class AIHubMixBadRequestError(core.BadRequestError, ModelInvalidRequestError):
    """400: the gateway rejected the request's parameters."""


class AIHubMixContentModerationError(core.ContentModerationError, ModelInvalidRequestError):
    """400 ``moderation_blocked``: the provider's moderation refused the prompt or image."""


class AIHubMixContextOverflowError(core.ContextWindowExceededError, ContextOverflowError):
    """400: the prompt does not fit in the model's context window."""


class AIHubMixNotFoundError(core.NotFoundError, ModelNotFoundError):
    """404: wrong URL or model."""


class AIHubMixModelNotAvailableError(core.ModelNotAvailableError, ModelNotFoundError):
    """The model id is unknown to AIHubMix or not enabled for this key (400/404/503)."""


class AIHubMixRateLimitError(core.RateLimitError, ModelRateLimitError):
    """429: too many requests."""


class AIHubMixServerError(core.ServerError, ModelAPIError):
    """5xx: the gateway or the upstream provider failed."""


class AIHubMixAPIError(core.APIStatusError, ModelAPIError):
    """Any other error status (408, 409, ...).

    LangChain has no class for "other status"; ``ModelAPIError`` (retryable) fits the
    statuses that reach here, which the retry policy also treats as transient.
    """


class AIHubMixResponseError(core.APIResponseError, ModelAPIError):
    """A 2xx reply that is not a valid completion (not JSON, no choices)."""


class AIHubMixEmptyMediaError(core.EmptyMediaError, ModelAPIError):
    """A 2xx image reply with neither bytes nor a URL."""


class AIHubMixConnectionError(core.APIConnectionError, ModelConnectionError):
    """The request never got an HTTP answer."""


class AIHubMixTimeoutError(core.APITimeoutError, ModelTimeoutError):
    """No answer within ``timeout``."""


class AIHubMixRefusalError(core.ModelRefusalError, ModelAPIError):
    """Asked for a structured answer, the model refused; ``refusal`` holds its words."""


class AIHubMixStreamInterruptedError(core.StreamInterruptedError, ModelConnectionError):
    """The connection dropped mid-stream; ``partial`` holds what arrived."""


class AIHubMixStreamIdleTimeoutError(core.StreamIdleTimeoutError, ModelTimeoutError):
    """The stream went silent for longer than ``stream_idle_timeout``."""


class AIHubMixStreamIncompleteError(core.StreamIncompleteError, ModelAPIError):
    """The stream ended without a finish reason or ``[DONE]``."""


class AIHubMixStreamPayloadError(core.StreamPayloadError, ModelAPIError):
    """A stream event was not valid JSON."""


class AIHubMixUpstreamStreamError(core.UpstreamStreamError, ModelAPIError):
    """The gateway reported an error inside a 200 stream."""


_DUALS: tuple[type[core.AIHubMixError], ...] = (
    AIHubMixAuthenticationError,
    AIHubMixMissingAPIKeyError,
    AIHubMixPermissionDeniedError,
    AIHubMixInsufficientQuotaError,
    AIHubMixBadRequestError,
    AIHubMixContextOverflowError,
    AIHubMixContentModerationError,
    AIHubMixNotFoundError,
    AIHubMixModelNotAvailableError,
    AIHubMixRateLimitError,
    AIHubMixServerError,
    AIHubMixAPIError,
    AIHubMixResponseError,
    AIHubMixRefusalError,
    AIHubMixEmptyMediaError,
    AIHubMixConnectionError,
    AIHubMixTimeoutError,
    AIHubMixStreamInterruptedError,
    AIHubMixStreamIdleTimeoutError,
    AIHubMixStreamIncompleteError,
    AIHubMixStreamPayloadError,
    AIHubMixUpstreamStreamError,
)
# Keyed by the core class each dual class directly extends.
_BY_CORE: dict[type[BaseException], type[core.AIHubMixError]] = {
    dual.__mro__[1]: dual for dual in _DUALS
}


def as_langchain_error(error: core.AIHubMixError) -> core.AIHubMixError:
    """The same error as an instance of its dual class, attributes and message kept.

    Errors with no LangChain counterpart (bad settings) come back unchanged.
    """
    if isinstance(error, ModelError):
        return error
    for cls in type(error).__mro__:
        dual = _BY_CORE.get(cls)
        if dual is not None:
            converted = dual.__new__(dual)
            converted.__dict__.update(error.__dict__)
            converted.args = error.args
            return converted
    return error


class _Translating:
    """Re-raise core errors as their dual classes (no chained traceback from the core).
    A class rather than a generator: it wraps every call."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if isinstance(error, core.AIHubMixError):
            converted = as_langchain_error(error)
            if converted is not error:
                raise converted.with_traceback(error.__traceback__) from None


_TRANSLATING = _Translating()


def translate_errors() -> _Translating:
    """``with translate_errors():`` core errors leave as their LangChain dual classes."""
    return _TRANSLATING
