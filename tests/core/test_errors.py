"""error_from_body: every reply shape in aihubmix-api.md maps to a typed, helpful error."""

from __future__ import annotations

import json

import httpx
import pytest
from testkit import CAPTURES

from aihubmix_core import (
    AIHubMixError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ChatRequest,
    ContextWindowExceededError,
    InsufficientQuotaError,
    Message,
    ModelNotAvailableError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    error_from_body,
)
from aihubmix_core.error_mapping import parse_error_body
from aihubmix_core.errors import StreamError

TID = "2026022815190591577463461966104"
HINTS = {
    AuthenticationError: "AIHUBMIX_API_KEY",
    InsufficientQuotaError: "top up",
    PermissionDeniedError: "may not use",
    NotFoundError: "Check the URL",
    ModelNotAvailableError: "https://aihubmix.com/models",
    RateLimitError: "slow down",
    ServerError: "try again later",
    BadRequestError: "fix the parameters",
    ContextWindowExceededError: "shorten it",
}


def assert_actionable(error: APIStatusError) -> None:
    """The message names the status, carries the upstream text and says what to do."""
    text = str(error)
    assert f"status {error.status_code}" in text
    assert error.hint and error.hint in text
    expected = HINTS.get(type(error))
    if expected:
        assert expected in text


def test_incorrect_model_id_400_with_tid() -> None:
    raw = json.dumps(
        {
            "error": {
                "message": f"Incorrect model ID gpt-9 (tid: {TID})",
                "type": "Aihubmix_api_error",
            }
        }
    )
    error = error_from_body(400, raw)
    assert type(error) is ModelNotAvailableError
    assert error.request_id == TID
    assert error.error_type == "Aihubmix_api_error"
    assert error.status_code == 400
    assert TID in str(error)
    assert_actionable(error)


def test_get_adaptor_failed_with_top_level_type() -> None:
    raw = {
        "error": {"message": f"get_adaptor_failed (tid: {TID})", "type": "Aihubmix_api_error"},
        "type": "error",
    }
    error = error_from_body(400, json.dumps(raw).encode())
    assert isinstance(error, ModelNotAvailableError)
    assert error.request_id == TID
    assert error.body == raw
    assert_actionable(error)


def test_new_api_model_not_found_503() -> None:
    raw = {
        "error": {
            "code": "model_not_found",
            "message": "No available channel for model X under group default",
            "type": "new_api_error",
        }
    }
    error = error_from_body(503, json.dumps(raw))
    assert type(error) is ModelNotAvailableError
    assert error.code == "model_not_found"
    assert error.status_code == 503
    assert "No available channel for model X" in str(error)
    assert_actionable(error)


def test_401() -> None:
    error = error_from_body(401, '{"error":{"message":"Invalid token","type":"invalid_request"}}')
    assert type(error) is AuthenticationError
    assert_actionable(error)


@pytest.mark.parametrize(
    ("status", "raw"),
    [
        (402, {"error": {"message": "Payment required", "type": "new_api_error"}}),
        (
            403,
            {"error": {"message": "user quota is not enough", "code": "insufficient_user_quota"}},
        ),
        (403, {"error": {"message": "insufficient_user_quota", "type": "Aihubmix_api_error"}}),
    ],
)
def test_quota_errors(status: int, raw: dict) -> None:
    error = error_from_body(status, json.dumps(raw))
    assert type(error) is InsufficientQuotaError
    assert_actionable(error)


def test_403_other_is_permission_denied() -> None:
    error = error_from_body(403, '{"error":{"message":"IP not allowed"}}')
    assert type(error) is PermissionDeniedError
    assert_actionable(error)


def test_404() -> None:
    error = error_from_body(404, '{"error":{"message":"Invalid URL (POST /v1/chat/complet)"}}')
    assert type(error) is NotFoundError
    assert_actionable(error)


def test_429_with_retry_after() -> None:
    error = error_from_body(
        429,
        '{"error":{"message":"The gpt-4o model Too many requests; please try again later."}}',
        retry_after=12.0,
    )
    assert type(error) is RateLimitError
    assert error.retry_after == 12.0
    assert_actionable(error)


def test_429_via_transport_carries_retry_after_and_request_id(make_client, sleeps) -> None:
    client = make_client(
        lambda r: httpx.Response(
            429,
            json={"error": {"message": "slow down"}},
            headers={"Retry-After": "4", "x-request-id": "req-429"},
        ),
        max_retries=0,
    )
    request = ChatRequest(model="gpt-4o", messages=[Message(role="user", content="x")])
    with pytest.raises(RateLimitError) as info:
        client.chat(request)
    assert info.value.retry_after == 4.0
    assert info.value.request_id == "req-429"
    assert isinstance(info.value.response, httpx.Response)
    assert "request id req-429" in str(info.value)


@pytest.mark.parametrize("status", [500, 502])
def test_html_server_errors(status: int) -> None:
    html = (
        "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n"
        "<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>"
    )
    error = error_from_body(status, html.encode())
    assert type(error) is ServerError
    assert "502 Bad Gateway" in str(error)
    assert "non-JSON" in str(error)
    assert error.body == html
    assert_actionable(error)


def test_long_non_json_body_is_snipped() -> None:
    error = error_from_body(500, "x" * 5000)
    assert len(str(error)) < 600


def test_empty_body() -> None:
    error = error_from_body(500, b"")
    assert "empty reply" in str(error)


@pytest.mark.parametrize(
    "message",
    [
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
        "prompt is too long: 210000 tokens > 200000 maximum",
        "Input is too long for requested model.",
    ],
)
def test_context_window_exceeded(message: str) -> None:
    raw = {"error": {"message": message, "type": "invalid_request_error"}}
    error = error_from_body(400, json.dumps(raw))
    assert type(error) is ContextWindowExceededError
    assert isinstance(error, BadRequestError)
    assert_actionable(error)


def test_context_window_by_code() -> None:
    raw = {"error": {"message": "too big", "code": "context_length_exceeded"}}
    assert type(error_from_body(400, json.dumps(raw))) is ContextWindowExceededError


def test_numeric_code_is_text() -> None:
    raw = {"error": {"message": "bad thing", "code": 1234, "param": {"nested": 1}}}
    error = error_from_body(400, json.dumps(raw))
    assert error.code == "1234"
    assert error.param == '{"nested": 1}'
    assert "code 1234" in str(error)
    assert type(error) is BadRequestError


def test_reasoning_model_legacy_parameter_capture() -> None:
    raw = (CAPTURES / "reasoning-model-legacy-parameter-error.json").read_bytes()
    error = error_from_body(400, raw)
    assert type(error) is BadRequestError
    assert error.param == "max_tokens"
    assert error.code == "unsupported_parameter"
    assert error.error_type == "invalid_request_error"
    assert "max_completion_tokens" in str(error)
    assert_actionable(error)


def test_x_request_id_header_wins_over_tid() -> None:
    raw = json.dumps({"error": {"message": f"Incorrect model ID (tid: {TID})"}})
    error = error_from_body(400, raw, request_id="hdr-1")
    assert error.request_id == "hdr-1"


def test_x_request_id_header_via_transport(make_client) -> None:
    client = make_client(
        lambda r: httpx.Response(
            401, json={"error": {"message": "nope"}}, headers={"x-request-id": "hdr-401"}
        )
    )
    request = ChatRequest(model="gpt-4o", messages=[Message(role="user", content="x")])
    with pytest.raises(AuthenticationError) as info:
        client.chat(request)
    assert info.value.request_id == "hdr-401"


def test_other_body_shapes() -> None:
    # a string error, a top-level message, JSON that is not an object
    error = error_from_body(400, '{"error": "model is required", "type": "error"}')
    assert type(error) is BadRequestError and "model is required" in str(error)
    assert error.error_type == "error"
    error = error_from_body(500, '{"message": "internal", "code": 7}')
    assert type(error) is ServerError and error.code == "7"
    error = error_from_body(500, "[1, 2]")
    assert "no error message" in str(error)
    assert parse_error_body(b"\xff\xfe") == ("\ufffd\ufffd", {})


def test_unmapped_status_is_plain_status_error() -> None:
    error = error_from_body(418, '{"error":{"message":"teapot"}}')
    assert type(error) is APIStatusError
    assert "teapot" in str(error) and error.hint in str(error)


def test_secret_redacted_from_message() -> None:
    key = "sk-live-abcdef123456"
    raw = f'{{"error":{{"message":"bad key {key}"}}}}'
    error = error_from_body(401, raw, secret=key)
    assert key not in str(error)
    assert "***" in str(error)
    html = error_from_body(502, f"<p>{key}</p>", secret=key)
    assert key not in str(html)


def test_stream_error_partial_text_defaults() -> None:
    assert StreamError("x").partial_text == ""
    assert isinstance(StreamError("x"), AIHubMixError)


def test_model_does_not_exist_is_model_not_available() -> None:
    raw = {
        "error": {"message": "The model `gpt-9` does not exist or you do not have access to it."}
    }
    assert type(error_from_body(404, json.dumps(raw))) is ModelNotAvailableError


def test_other_things_that_do_not_exist_are_not_blamed_on_the_model() -> None:
    raw = {
        "error": {
            "message": "Invalid parameter: tool_call_id call_123 does not exist in the messages.",
            "type": "invalid_request_error",
        }
    }
    error = error_from_body(400, json.dumps(raw))
    assert type(error) is BadRequestError
    assert "model id" not in str(error)
