"""StreamAccumulator and ChatStream: chunks in, deltas and one whole reply out."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from testkit import KEY, completion, delta_chunk, sse

from aihubmix_core import (
    APIStatusError,
    ChatRequest,
    Message,
    ModelNotAvailableError,
    RateLimitError,
    ServerSentEvent,
    StreamAccumulator,
    StreamIncompleteError,
    StreamPayloadError,
    UpstreamStreamError,
)
from aihubmix_core.chat.stream import handle_event

REQUEST = ChatRequest(model="gpt-4o-mini", messages=[Message(role="user", content="Hi")])


def call(
    index: Any = None, id: str | None = None, name: str | None = None, args: str | None = None
):
    item: dict[str, Any] = {"type": "function", "function": {}}
    if index is not None:
        item["index"] = index
    if id is not None:
        item["id"] = id
    if name is not None:
        item["function"]["name"] = name
    if args is not None:
        item["function"]["arguments"] = args
    return item


def tools_chunk(*calls: dict, finish: str | None = None) -> dict:
    return delta_chunk(finish=finish, tool_calls=list(calls))


def run(*chunks: dict) -> StreamAccumulator:
    acc = StreamAccumulator()
    for chunk in chunks:
        acc.add(chunk)
    return acc


def calls_of(acc: StreamAccumulator) -> list[tuple[str, str, Any]]:
    return [(c.id, c.name, c.parsed_arguments()) for c in acc.result().message.tool_calls]


# ---------------------------------------------------------------- text, reasoning, metadata


def test_text_reasoning_and_metadata() -> None:
    acc = StreamAccumulator(request_id="req-1")
    first = acc.add(
        {
            "id": "c1",
            "model": "deepseek-reasoner",
            "created": 17,
            "system_fingerprint": "fp_1",
            "service_tier": "default",
            "choices": [{"index": 0, "delta": {"role": "assistant", "reasoning_content": "Hm"}}],
        }
    )
    assert first[0].reasoning == "Hm" and first[0].id == "c1"
    acc.add(delta_chunk(reasoning="m."))  # some upstreams name it "reasoning"
    acc.add(delta_chunk("The answer"))
    acc.add(delta_chunk(" is 4.", finish="stop"))
    assert acc.finished
    result = acc.result()
    assert result.text == "The answer is 4."
    assert result.message.reasoning_content == "Hmm."
    assert (result.id, result.created, result.system_fingerprint) == ("c1", 17, "fp_1")
    assert result.model == "gpt-4o-mini"  # the latest non-empty model wins
    assert result.service_tier == "default"
    assert result.request_id == "req-1"
    assert result.finish_reason == "stop"


def test_placeholder_chunks_with_empty_choices_id_model() -> None:
    acc = StreamAccumulator()
    assert acc.add({"id": "", "model": "", "choices": [], "prompt_filter_results": []}) == []
    acc.add({"id": "real", "model": "gpt-4o", "choices": [{"index": 0, "delta": {"content": "a"}}]})
    acc.add(
        {"id": "", "model": "", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    )
    result = acc.result()
    assert (result.id, result.model, result.text) == ("real", "gpt-4o", "a")


def test_usage_chunk_with_empty_choices() -> None:
    acc = run(delta_chunk("hi"), delta_chunk(finish="stop"))
    deltas = acc.add(
        {
            "id": "chatcmpl-s",
            "choices": [],
            "usage": {
                "prompt_tokens": 3,
                "completion_tokens": 1,
                "total_tokens": 4,
                "prompt_tokens_details": {"cached_tokens": 2},
                "completion_tokens_details": {"reasoning_tokens": 0},
            },
        }
    )
    assert len(deltas) == 1 and deltas[0].usage is not None
    assert deltas[0].content == "" and deltas[0].tool_calls == []
    usage = acc.result().usage
    assert usage is not None
    assert (usage.prompt_tokens, usage.total_tokens, usage.cached_tokens) == (3, 4, 2)
    assert usage.reasoning_tokens == 0


def test_usage_on_a_choice_chunk_rides_on_its_delta() -> None:
    chunk = delta_chunk("x", finish="stop")
    chunk["usage"] = {"prompt_tokens": 1, "completion_tokens": 1}
    (delta,) = StreamAccumulator().add(chunk)
    assert delta.usage is not None and delta.usage.total_tokens == 2
    assert delta.content == "x"


def test_usage_null_is_ignored() -> None:
    chunk = delta_chunk("x")
    chunk["usage"] = None
    (delta,) = StreamAccumulator().add(chunk)
    assert delta.usage is None


def test_content_as_typed_parts_in_stream() -> None:
    acc = run(
        delta_chunk(content=[{"type": "thinking", "thinking": "hmm"}]),
        delta_chunk(content=[{"type": "text", "text": "Hi"}, {"type": "image_url", "x": 1}]),
        delta_chunk(finish="stop"),
    )
    message = acc.result().message
    assert message.content == "Hi"
    assert message.reasoning_content == "hmm"
    assert message.extra["content_parts"] == [{"type": "image_url", "x": 1}]


def test_refusal_annotations_and_logprobs_are_collected() -> None:
    first = delta_chunk(refusal="I can't")
    first["choices"][0]["logprobs"] = {"content": [{"token": "I", "logprob": -0.1}]}
    second = delta_chunk(refusal=" help.", annotations=[{"type": "url_citation"}])
    second["choices"][0]["logprobs"] = {"content": [{"token": "x", "logprob": -1.0}]}
    acc = run(first, second, delta_chunk(finish="stop", audio={"id": "a1"}))
    choice = acc.result().choices[0]
    assert choice.message.extra["refusal"] == "I can't help."
    assert choice.message.extra["annotations"] == [{"type": "url_citation"}]
    assert choice.message.extra["audio"] == {"id": "a1"}
    assert [t["token"] for t in choice.logprobs["content"]] == ["I", "x"]


def test_several_choices_and_finished_needs_all() -> None:
    acc = StreamAccumulator()
    acc.add(
        {
            "choices": [
                {"index": 0, "delta": {"content": "a"}},
                {"index": 1, "delta": {"content": "b"}},
            ]
        }
    )
    acc.add({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    assert not acc.finished
    acc.add({"choices": [{"index": 1, "delta": {"content": "c"}, "finish_reason": "length"}]})
    assert acc.finished
    result = acc.result()
    assert [(c.index, c.message.content, c.finish_reason) for c in result.choices] == [
        (0, "a", "stop"),
        (1, "bc", "length"),
    ]


# ---------------------------------------------------------------- tool calls


@pytest.mark.parametrize("first_index", [0, 1, 5])
def test_tool_call_deltas_keyed_by_index_whatever_its_first_value(first_index: int) -> None:
    acc = run(
        tools_chunk(call(first_index, "call_a", "weather", "")),
        tools_chunk(call(first_index, args='{"city"')),
        tools_chunk(call(first_index, args=': "Paris"}')),
        delta_chunk(finish="tool_calls"),
    )
    assert calls_of(acc) == [("call_a", "weather", {"city": "Paris"})]
    assert acc.result().finish_reason == "tool_calls"


def test_several_calls_in_one_chunk() -> None:
    acc = run(
        tools_chunk(call(0, "c0", "weather", '{"city": "Oslo"}'), call(1, "c1", "time", "{}")),
        delta_chunk(finish="tool_calls"),
    )
    assert calls_of(acc) == [("c0", "weather", {"city": "Oslo"}), ("c1", "time", {})]


def test_calls_without_index_use_their_position() -> None:
    acc = run(
        tools_chunk(call(None, "m1", "weather", '{"a": 1}'), call(None, "m2", "time", "{}")),
        delta_chunk(finish="tool_calls"),
    )
    assert [c[0] for c in calls_of(acc)] == ["m1", "m2"]


def test_interleaved_fragments_of_two_calls() -> None:
    acc = run(
        tools_chunk(call(0, "c0", "weather", "")),
        tools_chunk(call(1, "c1", "time", "")),
        tools_chunk(call(0, args='{"city":')),
        tools_chunk(call(1, args='{"tz":')),
        tools_chunk(call(1, args='"UTC"}')),
        tools_chunk(call(0, args='"Rome"}')),
        delta_chunk(finish="tool_calls"),
    )
    assert calls_of(acc) == [("c0", "weather", {"city": "Rome"}), ("c1", "time", {"tz": "UTC"})]


@pytest.mark.parametrize("later", ["repeated", "empty", "absent"])
def test_ids_and_names_are_never_concatenated(later: str) -> None:
    def again(args: str) -> dict:
        if later == "repeated":
            return call(0, "call_x", "weather", args)
        if later == "empty":
            return call(0, "", "", args)
        return call(0, args=args)

    acc = run(
        tools_chunk(call(0, "call_x", "weather", '{"ci')),
        tools_chunk(again('ty": "Lima"')),
        tools_chunk(again("}")),
        delta_chunk(finish="tool_calls"),
    )
    assert calls_of(acc) == [("call_x", "weather", {"city": "Lima"})]


def test_tool_call_deltas_report_slot_and_fragments() -> None:
    acc = StreamAccumulator()
    (first,) = acc.add(tools_chunk(call(3, "c3", "weather", "{")))
    (second,) = acc.add(tools_chunk(call(3, args="}")))
    assert (first.tool_calls[0].index, first.tool_calls[0].id, first.tool_calls[0].name) == (
        0,
        "c3",
        "weather",
    )
    assert (second.tool_calls[0].id, second.tool_calls[0].name) == (None, None)
    assert second.tool_calls[0].arguments == "}"
    assert [c.arguments for c in acc.tool_calls()] == ["{}"]
    assert acc.tool_calls(choice=7) == []


def test_empty_tool_calls_list_is_nothing() -> None:
    acc = StreamAccumulator()
    (delta,) = acc.add(delta_chunk("hi", tool_calls=[]))
    assert delta.tool_calls == []
    acc.add(delta_chunk(finish="stop", tool_calls=None))
    assert acc.result().message.tool_calls == []


def test_new_id_reusing_index_zero_starts_a_new_call() -> None:
    acc = run(
        tools_chunk(call(0, "call_1", "weather", '{"city": "A"}')),
        tools_chunk(call(0, "call_2", "weather", '{"city": ')),
        tools_chunk(call(0, args='"B"}')),  # continues the newest call at that index
        delta_chunk(finish="tool_calls"),
    )
    assert calls_of(acc) == [
        ("call_1", "weather", {"city": "A"}),
        ("call_2", "weather", {"city": "B"}),
    ]


def test_arguments_as_object_and_missing_id() -> None:
    acc = run(
        tools_chunk({"index": 0, "function": {"name": "f", "arguments": {"k": 1}}}),
        delta_chunk(finish="tool_calls"),
    )
    ((call_id, name, args),) = calls_of(acc)
    assert call_id and name == "f" and args == {"k": 1}


# ---------------------------------------------------------------- reasoning_details


def test_reasoning_details_fragments_merged_by_index() -> None:
    acc = run(
        delta_chunk(reasoning_details=[{"type": "reasoning.text", "text": "First ", "index": 0}]),
        delta_chunk(reasoning_details=[{"type": "reasoning.text", "text": "second.", "index": 0}]),
        delta_chunk(
            reasoning_details=[
                {"type": "reasoning.text", "text": "", "signature": "sig==", "index": 0},
                {"type": "reasoning.encrypted", "data": "AAA", "index": 1},
            ]
        ),
        delta_chunk(reasoning_details=[{"type": "reasoning.encrypted", "data": "BBB", "index": 1}]),
        delta_chunk(reasoning_details=["opaque"]),
        delta_chunk("done", finish="stop"),
    )
    assert acc.result().message.reasoning_details == [
        {"type": "reasoning.text", "text": "First second.", "index": 0, "signature": "sig=="},
        {"type": "reasoning.encrypted", "data": "AAABBB", "index": 1},
        "opaque",
    ]


def test_reasoning_details_delta_is_passed_on() -> None:
    fragment = [{"type": "reasoning.text", "text": "x", "index": 0}]
    (delta,) = StreamAccumulator().add(delta_chunk(reasoning_details=fragment))
    assert delta.reasoning_details == fragment


# ---------------------------------------------------------------- failures


def test_error_object_in_stream_raises_upstream_error() -> None:
    acc = run(delta_chunk("partial "))
    with pytest.raises(UpstreamStreamError) as info:
        acc.add({"error": {"message": "upstream overloaded", "code": 529, "type": "overloaded"}})
    assert info.value.code == "529"
    assert info.value.error_type == "overloaded"
    assert "upstream overloaded" in str(info.value)
    assert "retry" in str(info.value)
    with pytest.raises(UpstreamStreamError, match="plain text error"):
        acc.add({"error": "plain text error"})


def test_incomplete_stream_raises_with_partial() -> None:
    acc = run(delta_chunk("Hello"), delta_chunk(" wor"))
    assert not acc.finished
    with pytest.raises(StreamIncompleteError) as info:
        acc.result()
    assert info.value.partial_text == "Hello wor"


def test_empty_accumulator_snapshot() -> None:
    snapshot = StreamAccumulator().snapshot()
    assert snapshot.text == "" and len(snapshot.choices) == 1


def test_handle_event_rules() -> None:
    acc = StreamAccumulator()
    assert handle_event(acc, ServerSentEvent(data="")) == []
    with pytest.raises(StreamPayloadError, match="not a JSON object"):
        handle_event(acc, ServerSentEvent(data="[1, 2]"))
    with pytest.raises(UpstreamStreamError, match="bad gateway"):
        handle_event(acc, ServerSentEvent(data='{"message": "bad gateway"}', event="error"))
    assert handle_event(acc, ServerSentEvent(data="[DONE]")) == []
    assert acc.done and acc.finished


# ---------------------------------------------------------------- through the client


def stream_client(make_client, body: bytes | Iterator[bytes], content_type="text/event-stream"):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"content-type": content_type, "x-request-id": "req-s"},
            content=body,
        )

    return make_client(handler).stream_chat(REQUEST)


def test_client_stream_error_object_has_partial(make_client) -> None:
    body = sse(delta_chunk("Hel"), delta_chunk("lo"), {"error": {"message": "quota exceeded"}})
    stream = stream_client(make_client, body)
    received: list[str] = []
    with pytest.raises(UpstreamStreamError) as info:
        for delta in stream:
            received.append(delta.content)
    assert received == ["Hel", "lo"]
    assert info.value.partial_text == "Hello"
    assert info.value.partial is not None and info.value.partial.request_id == "req-s"


def test_client_stream_error_event_type(make_client) -> None:
    body = b'data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\nevent: error\ndata: {"message":"upstream died"}\n\n'
    with pytest.raises(UpstreamStreamError, match="upstream died") as info:
        list(stream_client(make_client, body))
    assert info.value.partial_text == "a"


def test_client_stream_malformed_json_has_partial(make_client) -> None:
    body = sse(delta_chunk("Hi "), '{"choices": [broken', delta_chunk("never"))
    with pytest.raises(StreamPayloadError, match="not JSON") as info:
        list(stream_client(make_client, body))
    assert info.value.partial_text == "Hi "


def test_client_stream_ending_without_finish_or_done(make_client) -> None:
    body = sse(delta_chunk("cut"), delta_chunk(" short"), done=False)
    stream = stream_client(make_client, body)
    with pytest.raises(StreamIncompleteError) as info:
        list(stream)
    assert info.value.partial_text == "cut short"
    assert stream.result is None


def test_client_stream_with_finish_reason_but_no_done(make_client) -> None:
    body = sse(delta_chunk("ok"), delta_chunk(finish="stop"), done=False)
    stream = stream_client(make_client, body)
    assert [d.content for d in stream] == ["ok", ""]
    assert stream.result is not None and stream.result.finish_reason == "stop"


def test_client_stream_done_without_finish_reason(make_client) -> None:
    stream = stream_client(make_client, sse(delta_chunk("fine")))
    list(stream)
    assert stream.result is not None and stream.result.text == "fine"


def test_client_stream_with_no_events_at_all(make_client) -> None:
    with pytest.raises(StreamIncompleteError, match="before any event"):
        list(stream_client(make_client, b": just a comment\n\n"))


def test_client_stream_stops_at_done(make_client) -> None:
    body = sse(delta_chunk("a", finish="stop")) + sse(delta_chunk("after done"))
    stream = stream_client(make_client, body)
    assert [d.content for d in stream] == ["a"]


def test_client_stream_answered_with_json_completion(make_client) -> None:
    body = completion("whole reply")
    body["choices"][0]["message"]["reasoning_content"] = "thought"
    body["choices"][0]["message"]["reasoning_details"] = [{"type": "reasoning.text", "text": "t"}]
    body["choices"][0]["message"]["tool_calls"] = [
        {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    ]
    stream = stream_client(make_client, json.dumps(body).encode(), "application/json")
    deltas = list(stream)
    assert [d.content for d in deltas] == ["whole reply"]
    result = stream.result
    assert result is not None
    assert result.text == "whole reply"
    assert result.message.reasoning_content == "thought"
    assert result.message.reasoning_details == [{"type": "reasoning.text", "text": "t"}]
    assert [(c.id, c.name) for c in result.message.tool_calls] == [("c1", "f")]
    assert result.usage is not None and result.usage.total_tokens == 7
    assert result.request_id == "req-s"


def test_client_stream_answered_with_json_error_body(make_client) -> None:
    body = {"error": {"message": "Incorrect model ID foo (tid: 77)", "type": "Aihubmix_api_error"}}
    with pytest.raises(APIStatusError) as info:
        list(stream_client(make_client, json.dumps(body).encode(), "application/json"))
    assert "Incorrect model ID foo" in str(info.value)
    assert info.value.request_id in ("req-s", "77")


def test_client_stream_answered_with_invalid_json_body(make_client) -> None:
    with pytest.raises(StreamPayloadError):
        list(stream_client(make_client, b"{not json", "application/json; charset=utf-8"))


def test_stream_error_status_is_raised_before_iteration(make_client, sleeps) -> None:
    client = make_client(
        lambda r: httpx.Response(
            400, json={"error": {"message": "Incorrect model ID x", "type": "Aihubmix_api_error"}}
        )
    )
    with pytest.raises(ModelNotAvailableError):
        list(client.stream_chat(REQUEST))
    assert sleeps == []


def test_async_stream_error_object_has_partial() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"content-type": "text/event-stream"},
            content=sse(delta_chunk("par"), {"error": {"message": "boom"}}),
        )

    async def main() -> None:
        from aihubmix_core import AIHubMixClient

        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = AIHubMixClient(api_key=KEY, async_http_client=http)
        with pytest.raises(UpstreamStreamError) as info:
            async for _ in client.astream_chat(REQUEST):
                pass
        assert info.value.partial_text == "par"
        await http.aclose()

    asyncio.run(main())


def test_async_stream_with_no_events() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=b"")

    async def main() -> None:
        from aihubmix_core import AIHubMixClient

        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = AIHubMixClient(api_key=KEY, async_http_client=http)
        with pytest.raises(StreamIncompleteError):
            async for _ in client.astream_chat(REQUEST):
                pass
        await http.aclose()

    asyncio.run(main())


def test_choices_without_index_use_their_position() -> None:
    acc = run(
        {"choices": [{"delta": {"content": "a"}}, {"delta": {"content": "b"}}]},
        {
            "choices": [
                {"delta": {}, "finish_reason": "stop"},
                {"delta": {}, "finish_reason": "stop"},
            ]
        },
    )
    assert [c.message.content for c in acc.result().choices] == ["a", "b"]


def test_client_stream_json_error_body_keeps_its_numeric_code(make_client) -> None:
    """A 200 JSON error body answering a stream maps like the non-streamed path does."""
    body = {"error": {"message": "The model Too many requests", "code": 429}}
    with pytest.raises(RateLimitError):
        list(stream_client(make_client, json.dumps(body).encode(), "application/json"))


def test_repeated_ids_and_names_reach_the_deltas_once() -> None:
    """Deltas are merged by adding strings downstream, so a repeat must not be handed on."""
    acc = StreamAccumulator()
    deltas = [
        acc.add(tools_chunk(call(0, "call_x", "weather", args)))[0].tool_calls[0]
        for args in ("", '{"city":', '"Lima"}')
    ]
    assert [(d.id, d.name) for d in deltas] == [("call_x", "weather"), (None, None), (None, None)]
    assert "".join(d.arguments for d in deltas) == '{"city":"Lima"}'
