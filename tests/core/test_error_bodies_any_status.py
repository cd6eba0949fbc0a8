"""An error is classified by what its body says, whatever the transport status: an
``error`` object in a 200 reply and an error event in a stream get the class (and the
hint) their text and type call for, and a 200 is never reported as a 500."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from testkit import sse

from aihubmix_core import (
    AIHubMixClient,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ChatRequest,
    ContextWindowExceededError,
    Message,
    ModelNotAvailableError,
    RateLimitError,
    ServerError,
    UpstreamStreamError,
    error_from_body,
    parse_chat_completion,
)
from aihubmix_core.errors import StreamError

REQUEST = ChatRequest(model="gpt-9", messages=[Message(role="user", content="hi")])
WRONG_MODEL = {
    "error": {
        "message": "Incorrect model ID gpt-9 (tid: 2026022815190591577463461966104)",
        "type": "invalid_request_error",
        "code": "model_not_found",
    }
}
TRANSIENT_HINT = "Try again later"


def _answering(body: bytes, content_type: str) -> Callable[[httpx.Request], httpx.Response]:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, content=body, headers={"content-type": content_type})

    handler.calls = calls  # type: ignore[attr-defined]
    return handler


def test_a_wrong_model_in_a_200_body_is_model_not_available() -> None:
    with pytest.raises(ModelNotAvailableError) as info:
        parse_chat_completion(WRONG_MODEL)
    text = str(info.value)
    assert "status 500" not in text and info.value.status_code == 200
    assert "200 reply" in text
    assert "https://aihubmix.com/models" in text and TRANSIENT_HINT not in text
    assert info.value.code == "model_not_found"


def test_through_the_client_one_request_no_false_status(
    make_client: Callable[..., AIHubMixClient], sleeps: list[float]
) -> None:
    handler = _answering(json.dumps(WRONG_MODEL).encode(), "application/json")
    with pytest.raises(ModelNotAvailableError) as info:
        make_client(handler, max_retries=2).chat(REQUEST)
    assert len(handler.calls) == 1 and sleeps == []  # type: ignore[attr-defined]
    assert "status 500" not in str(info.value)


@pytest.mark.parametrize(
    ("error", "cls"),
    [
        ({"message": "Invalid token", "type": "authentication_error"}, AuthenticationError),
        ({"message": "slow down", "type": "rate_limit_error"}, RateLimitError),
        ({"message": "bad field", "type": "invalid_request_error"}, BadRequestError),
        (
            {"message": "This model's maximum context length is 8192 tokens"},
            ContextWindowExceededError,
        ),
        ({"message": "upstream overloaded", "type": "upstream_error"}, ServerError),
    ],
)
def test_a_200_body_is_classified_by_its_text_and_type(error: dict[str, Any], cls: type) -> None:
    with pytest.raises(APIStatusError) as info:
        parse_chat_completion({"error": error})
    assert type(info.value) is cls
    assert "status 500" not in str(info.value)


def test_an_unclassifiable_200_body_is_a_server_error_with_its_real_status() -> None:
    with pytest.raises(APIStatusError) as info:
        parse_chat_completion({"error": {"message": "something odd"}})
    assert type(info.value) is ServerError and info.value.status_code == 200
    assert "error in a 200 reply" in str(info.value)


@pytest.mark.parametrize("status", [500, 502])
def test_a_wrong_model_behind_a_server_status_is_still_the_model(status: int) -> None:
    error = error_from_body(status, json.dumps(WRONG_MODEL))
    assert isinstance(error, ModelNotAvailableError)
    assert f"status {status}" in str(error)


def test_a_429_about_tokens_per_minute_stays_a_rate_limit() -> None:
    body = {"error": {"message": "Too many tokens per minute; rate limit reached"}}
    assert type(error_from_body(429, json.dumps(body))) is RateLimitError


def test_a_wrong_model_as_the_first_stream_event(
    make_client: Callable[..., AIHubMixClient],
) -> None:
    handler = _answering(sse(WRONG_MODEL), "text/event-stream")
    with pytest.raises(ModelNotAvailableError) as info:
        list(make_client(handler).stream_chat(REQUEST))
    text = str(info.value)
    assert "retry the request" not in text and TRANSIENT_HINT not in text
    assert "https://aihubmix.com/models" in text
    assert info.value.partial is not None and info.value.partial.text == ""


async def test_async_stream_too(make_client: Callable[..., AIHubMixClient]) -> None:
    handler = _answering(
        sse({"choices": [{"index": 0, "delta": {"content": "Hel"}}]}, WRONG_MODEL),
        "text/event-stream",
    )
    client = make_client(async_handler=handler)
    with pytest.raises(ModelNotAvailableError) as info:
        async for _ in client.astream_chat(REQUEST):
            pass
    assert info.value.partial is not None and info.value.partial.text == "Hel"


def test_a_transient_stream_error_still_says_retry(
    make_client: Callable[..., AIHubMixClient],
) -> None:
    body = {"error": {"message": "upstream overloaded", "type": "upstream_error"}}
    handler = _answering(sse(body), "text/event-stream")
    with pytest.raises(UpstreamStreamError, match="retry the request") as info:
        list(make_client(handler).stream_chat(REQUEST))
    assert isinstance(info.value, StreamError)
