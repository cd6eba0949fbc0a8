"""One id per message: every streamed chunk of a reply carries the id of the message it
adds up to, which is also the id saved in an agent's state; the provider's id stays in
``response_metadata["id"]``."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import httpx
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage
from langchain_core.tools import tool
from testkit import KEY, MockHTTP, sse

from langchain_aihubmix import ChatAIHubMix


def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-provider",
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


_USAGE = {
    "id": "chatcmpl-provider",
    "model": "gpt-4o-mini",
    "choices": [],
    "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
}
_TEXT = [
    _chunk({"role": "assistant", "content": "Sunny"}),
    _chunk({"content": " in Paris."}, "stop"),
]
_CALL = [
    _chunk(
        {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": '},
                }
            ]
        }
    ),
    _chunk({"tool_calls": [{"index": 0, "function": {"arguments": '"Paris"}'}}]}, "tool_calls"),
]


class Replies:
    """Answers the n-th request with the n-th canned stream (or JSON body)."""

    def __init__(self, *replies: list[dict[str, Any]] | dict[str, Any]) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(json.loads(request.content))
        reply = self.replies[len(self.requests) - 1]
        if isinstance(reply, list):
            body, kind = sse(*reply, _USAGE), "text/event-stream"
        else:
            body, kind = json.dumps(reply).encode(), "application/json"
        return httpx.Response(200, content=body, headers={"content-type": kind})


def _model(mock_http: MockHTTP, replies: Replies, **kwargs: Any) -> ChatAIHubMix:
    return ChatAIHubMix(
        model="gpt-4o-mini",
        api_key=KEY,
        max_retries=0,
        http_client=mock_http.client(replies),
        http_async_client=mock_http.async_client(replies),
        **kwargs,
    )


def test_every_streamed_chunk_has_the_id_of_the_whole_message(mock_http: MockHTTP) -> None:
    model = _model(mock_http, Replies(_TEXT))
    chunks = list(model.stream("weather?"))
    assert len(chunks) >= 3
    ids = {chunk.id for chunk in chunks}
    assert len(ids) == 1 and None not in ids
    total = chunks[0]
    for chunk in chunks[1:]:
        total = total + chunk
    assert total.id == chunks[0].id
    assert total.response_metadata["id"] == "chatcmpl-provider"


async def test_astream_too(mock_http: MockHTTP) -> None:
    model = _model(mock_http, Replies(_CALL))
    chunks = [chunk async for chunk in model.astream("weather?")]
    assert len({chunk.id for chunk in chunks}) == 1
    assert any(chunk.tool_call_chunks for chunk in chunks)


def test_several_completions_get_distinct_ids(mock_http: MockHTTP) -> None:
    choice = {"message": {"role": "assistant", "content": "A"}, "finish_reason": "stop"}
    body = {
        "id": "chatcmpl-provider",
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, **choice}, {"index": 1, **choice}],
        "usage": _USAGE["usage"],
    }
    result = _model(mock_http, Replies(body), n=2).generate([[HumanMessage("hi")]])
    ids = [generation.message.id for generation in result.generations[0]]
    assert len(ids) == 2 and len(set(ids)) == 2 and None not in ids
    for generation in result.generations[0]:
        assert generation.message.response_metadata["id"] == "chatcmpl-provider"


@tool
def get_weather(city: str) -> str:
    """Current weather for a city."""
    return f"Sunny in {city}."


def test_agent_message_stream_groups_into_one_message_per_model_turn(
    mock_http: MockHTTP,
) -> None:
    """What a UI does with ``stream_mode="messages"``: group the chunks by id. Each model
    turn is one group, and its id is the id of the message saved in the agent's state."""
    from langchain.agents import create_agent

    replies = Replies(_CALL, _TEXT)
    agent = create_agent(_model(mock_http, replies), tools=[get_weather])
    streamed: dict[str | None, list[AIMessageChunk]] = defaultdict(list)
    saved: list[AIMessage] = []
    for mode, item in agent.stream(
        {"messages": [HumanMessage("Weather in Paris?")]}, stream_mode=["messages", "values"]
    ):
        if mode == "messages" and isinstance(item[0], AIMessageChunk):
            streamed[item[0].id].append(item[0])
        elif mode == "values":
            saved = [m for m in item["messages"] if isinstance(m, AIMessage)]
    assert len(replies.requests) == 2 and all(r.get("stream") for r in replies.requests)
    assert len(saved) == 2  # two model turns: the tool call, then the answer
    assert list(streamed) == [m.id for m in saved]
    assert saved[0].tool_calls[0]["name"] == "get_weather"
    assert saved[1].text == "Sunny in Paris."
    assert saved[1].response_metadata["id"] == "chatcmpl-provider"
