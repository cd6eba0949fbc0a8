"""Recorded Responses and Messages streams (cassettes from the loopback emulator, or the
live service with ``make record``) split at every byte, and at many places at once: the
decoder yields the same events and the accumulator the same result as the client did."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aihubmix_core import (
    AIHubMixClient,
    ChatRequest,
    ChatResult,
    Message,
    SSEDecoder,
    TextPart,
    Tool,
)
from aihubmix_core._http.sse import ServerSentEvent
from aihubmix_core.chat.stream import handle_event
from aihubmix_core.route_calls import ROUTE_SPECS

pytestmark = pytest.mark.vcr

WEATHER = Tool(
    "get_weather",
    "Current weather for a city.",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
LONG_RULES = "You are the help desk of a bicycle shop. " + " ".join(
    f"Rule {i}: be precise and name the tool for the job." for i in range(160)
)
CASES: dict[str, tuple[str, ChatRequest]] = {
    "responses-text": (
        "responses",
        ChatRequest(
            model="gpt-4o-mini", messages=[Message("user", "Tell me about the river Seine.")]
        ),
    ),
    "responses-reasoning-tool": (
        "responses",
        ChatRequest(
            model="gpt-5-mini",
            messages=[Message("user", "What is the weather in 'Lyon'? Use get_weather.")],
            tools=[WEATHER],
            reasoning_effort="low",
        ),
    ),
    "responses-builtin-tools": (
        "responses",
        ChatRequest(
            model="gpt-4o",
            messages=[Message("user", "Find the tallest tower in Paris and draw it.")],
            tools=[{"type": "web_search"}, {"type": "image_generation"}],
        ),
    ),
    "messages-text": (
        "messages",
        ChatRequest(
            model="claude-sonnet-4-5", messages=[Message("user", "Tell me about the river Loire.")]
        ),
    ),
    "messages-thinking-tool": (
        "messages",
        ChatRequest(
            model="claude-sonnet-4-5",
            messages=[Message("user", "What is the weather in 'Nice'? Use get_weather.")],
            tools=[WEATHER],
            reasoning_effort="low",
        ),
    ),
    "messages-web-search-cached": (
        "messages",
        ChatRequest(
            model="claude-sonnet-4-5",
            messages=[
                Message("system", [TextPart(LONG_RULES, {"type": "ephemeral"})]),
                Message("user", "Search the web: who built the Eiffel Tower?"),
            ],
            tools=[{"type": "web_search"}],
        ),
    ),
}
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def decode(chunks: list[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    return events + decoder.flush()


def accumulate(route: str, events: list[ServerSentEvent]) -> ChatResult:
    accumulator = ROUTE_SPECS[route].protocol.accumulator(None)  # type: ignore[index]
    for event in events:
        handle_event(accumulator, event)
    return accumulator.result()


def summary(result: ChatResult) -> dict[str, Any]:
    message = result.message
    return {
        "text": message.text,
        "reasoning": message.reasoning_content,
        "details": message.reasoning_details,
        "calls": [(c.id, c.name, c.arguments) for c in message.tool_calls],
        "extra": message.extra,
        "usage": result.usage,
        "finish": result.finish_reason,
        "id": result.id,
    }


def _checks(case: str, result: ChatResult) -> None:
    """What each case is there to show."""
    message, usage = result.message, result.usage
    if case.endswith("-tool"):
        assert message.tool_calls and message.tool_calls[0].name == "get_weather"
        assert message.reasoning_details and result.finish_reason == "tool_calls"
    if case == "responses-reasoning-tool":
        assert message.reasoning_details[0]["data"]  # type: ignore[index]
    if case == "messages-thinking-tool":
        assert message.reasoning_details[0]["signature"]  # type: ignore[index]
    if case == "responses-builtin-tools":
        assert message.extra["images"] and message.extra["annotations"]
        assert message.extra["server_tool_calls"]
    if case == "messages-web-search-cached":
        assert message.extra["annotations"] and message.extra["citations"]
        assert usage is not None and (usage.cache_write_tokens or usage.cached_tokens)


@pytest.fixture(params=list(CASES))
def recorded(request: pytest.FixtureRequest, vcr: Any) -> tuple[str, bytes, ChatResult]:
    """Each case streamed once through the client: its route, the body the cassette
    holds, and the client's result."""
    case = request.param
    route, chat_request = CASES[case]
    chat_request.route = route
    with AIHubMixClient() as client:
        stream = client.stream_chat(chat_request)
        deltas = list(stream)
    assert stream.result is not None and deltas
    _checks(case, stream.result)
    body = vcr.responses[-1]["body"]["string"]
    return route, body if isinstance(body, bytes) else body.encode(), stream.result


def test_every_single_split_gives_the_same_events_and_result(
    recorded: tuple[str, bytes, ChatResult],
) -> None:
    route, body, result = recorded
    reference = decode([body])
    assert summary(accumulate(route, reference)) == summary(result)
    for cut in range(len(body) + 1):
        assert decode([body[:cut], body[cut:]]) == reference, cut


@PROPERTY
@given(cuts=st.lists(st.integers(min_value=0, max_value=10**9), max_size=60))
def test_any_splits_give_the_same_result(
    recorded: tuple[str, bytes, ChatResult], cuts: list[int]
) -> None:
    route, body, result = recorded
    points = sorted({c % (len(body) + 1) for c in cuts})
    chunks = [body[a:b] for a, b in itertools.pairwise([0, *points, len(body)])]
    assert summary(accumulate(route, decode(chunks))) == summary(result)
