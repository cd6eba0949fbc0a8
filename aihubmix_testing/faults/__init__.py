"""A fault-injecting loopback AIHubMix gateway, for tests of how a client copes with failures.

``with serve_faults() as gateway:`` runs it; ``gateway.script(rate_limited(), Normal())``
decides how the next requests are answered; ``gateway.attempts`` says what arrived.
Healthy replies come from the emulator (:mod:`aihubmix_testing.emulator`).
"""

from .exchange import Attempt, Request
from .gateway import FaultGateway, refused_url, serve_faults
from .script import (
    HTML_502,
    TRACE_ID,
    CloseBeforeResponse,
    EchoKey,
    ErrorInStream,
    Fault,
    KeepAliveOnly,
    MalformedEvent,
    NonJsonBody,
    Normal,
    QuoteKey,
    ResetBeforeResponse,
    ResetMidStream,
    SlowStream,
    Status,
    TruncatedStream,
    bad_request,
    html_bad_gateway,
    incorrect_model,
    no_channel,
    not_found,
    payment_required,
    permission_denied,
    quota_exhausted,
    rate_limited,
    server_error,
    unauthorized,
)

__all__ = [
    "HTML_502",
    "TRACE_ID",
    "Attempt",
    "CloseBeforeResponse",
    "EchoKey",
    "ErrorInStream",
    "Fault",
    "FaultGateway",
    "KeepAliveOnly",
    "MalformedEvent",
    "NonJsonBody",
    "Normal",
    "QuoteKey",
    "Request",
    "ResetBeforeResponse",
    "ResetMidStream",
    "SlowStream",
    "Status",
    "TruncatedStream",
    "bad_request",
    "html_bad_gateway",
    "incorrect_model",
    "no_channel",
    "not_found",
    "payment_required",
    "permission_denied",
    "quota_exhausted",
    "rate_limited",
    "refused_url",
    "serve_faults",
    "server_error",
    "unauthorized",
]
