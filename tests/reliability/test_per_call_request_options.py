"""What the OpenAI clients take per call, and so what their users pass to ``invoke`` and
``chat``: ``timeout``, ``extra_headers``, ``extra_query`` (request options, never body
fields), a per-call ``model`` in LlamaIndex, and ``stream``/``stream_options`` that only
streams send."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest
from llama_index.core.base.llms.types import ChatMessage
from testkit import KEY, completion, delta_chunk, sse

from aihubmix_core import (
    AIHubMixClient,
    ChatRequest,
    ConfigurationError,
    Message,
    StreamIdleTimeoutError,
)
from langchain_aihubmix import ChatAIHubMix
from llama_index_aihubmix import AIHubMix

HI = [ChatMessage(role="user", content="hi")]
USAGE = {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}


class Seen:
    """A MockTransport handler that keeps every request whole and answers JSON or SSE."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if json.loads(request.content).get("stream"):
            chunks = [delta_chunk("Hi"), delta_chunk(finish="stop")]
            usage = {"id": "c", "model": "gpt-4o-mini", "choices": [], "usage": USAGE}
            body = sse(*chunks, usage)
            return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, json=completion("Hi", usage=USAGE))

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    @property
    def body(self) -> dict[str, Any]:
        return dict(json.loads(self.last.content))


def _pools(seen: Seen) -> tuple[httpx.Client, httpx.AsyncClient]:
    return (
        httpx.Client(transport=httpx.MockTransport(seen)),
        httpx.AsyncClient(transport=httpx.MockTransport(seen)),
    )


def _lc(seen: Seen, **kwargs: Any) -> ChatAIHubMix:
    sync, in_loop = _pools(seen)
    settings = {"model": "gpt-4o-mini", **kwargs}
    return ChatAIHubMix(
        api_key=KEY, max_retries=0, http_client=sync, http_async_client=in_loop, **settings
    )


def _li(seen: Seen, **kwargs: Any) -> AIHubMix:
    sync, in_loop = _pools(seen)
    settings = {"model": "gpt-4o-mini", **kwargs}
    return AIHubMix(
        api_key=KEY, max_retries=0, http_client=sync, async_http_client=in_loop, **settings
    )


def _check_options(seen: Seen) -> None:
    request = seen.last
    assert request.headers["X-Title"] == "my app"
    assert request.url.params["trace"] == "1"
    assert request.extensions["timeout"]["read"] == 5.0
    body = seen.body
    for name in ("timeout", "extra_headers", "extra_query"):
        assert name not in body, f"{name} was sent as a body field"


OPTIONS = {"timeout": 5, "extra_headers": {"X-Title": "my app"}, "extra_query": {"trace": "1"}}


@pytest.mark.parametrize("streaming", [False, True], ids=["invoke", "stream"])
def test_langchain_call_options_are_request_options(streaming: bool) -> None:
    seen = Seen()
    chat = _lc(seen)
    if streaming:
        assert "".join(str(c.content) for c in chat.stream("hi", **OPTIONS)) == "Hi"
    else:
        assert chat.invoke("hi", **OPTIONS).content == "Hi"
    _check_options(seen)


async def test_langchain_async_and_bound_options_are_request_options() -> None:
    seen = Seen()
    chat = _lc(seen).bind(**OPTIONS)
    assert (await chat.ainvoke("hi")).content == "Hi"
    _check_options(seen)


@pytest.mark.parametrize("streaming", [False, True], ids=["chat", "stream_chat"])
def test_llama_index_call_options_are_request_options(streaming: bool) -> None:
    seen = Seen()
    llm = _li(seen)
    if streaming:
        assert list(llm.stream_chat(HI, **OPTIONS))[-1].message.content == "Hi"
    else:
        assert llm.chat(HI, **OPTIONS).message.content == "Hi"
    _check_options(seen)


def test_a_per_call_timeout_is_checked_like_the_clients() -> None:
    seen = Seen()
    with pytest.raises(ConfigurationError, match="timeout"):
        _lc(seen).invoke("hi", timeout=-1)
    with pytest.raises(ConfigurationError, match="timeout"):
        _li(seen).chat(HI, timeout=float("nan"))
    assert seen.requests == []
    _lc(seen).invoke("hi", timeout=httpx.Timeout(7.0, connect=2.0))
    assert seen.last.extensions["timeout"]["read"] == 7.0
    assert seen.last.extensions["timeout"]["connect"] == 2.0


def test_llama_index_takes_a_per_call_model() -> None:
    seen = Seen()
    response = _li(seen, model="gpt-4o-mini").chat(HI, model="gpt-4o")
    assert seen.body["model"] == "gpt-4o"
    assert response.message.content == "Hi"


def test_stream_fields_in_model_kwargs_only_go_on_streams() -> None:
    seen = Seen()
    with pytest.warns(UserWarning, match="model_kwargs"):
        chat = _lc(seen, stream_options={"include_usage": True, "chunk_include": "x"})
    chat.invoke("hi")
    assert "stream_options" not in seen.body and "stream" not in seen.body
    list(chat.stream("hi"))
    assert seen.body["stream"] is True
    assert seen.body["stream_options"] == {"include_usage": True, "chunk_include": "x"}
    forced = _lc(seen, model_kwargs={"stream": True})
    assert forced.invoke("hi").content == "Hi"
    assert "stream" not in seen.body


@pytest.mark.parametrize(("given", "route"), [(True, "responses"), (False, "chat"), (None, None)])
def test_use_responses_api_is_the_route(given: bool | None, route: str | None) -> None:
    chat = ChatAIHubMix(model="gpt-4o-mini", api_key=KEY, use_responses_api=given)
    assert chat.route == route


def test_use_responses_api_against_another_route_is_refused() -> None:
    with pytest.raises(ValueError, match="route"):
        ChatAIHubMix(model="gpt-4o-mini", api_key=KEY, use_responses_api=True, route="chat")


def test_the_clients_own_pool_sends_the_call_options_too() -> None:
    from aihubmix_core._http.requests import Call, RequestFactory
    from aihubmix_core.settings import ClientConfig

    factory = RequestFactory(ClientConfig.resolve(api_key=KEY))
    call = Call(
        "POST",
        "chat/completions",
        {"model": "m"},
        headers=(("X-Title", "my app"),),
        query={"trace": "1"},
        timeout=5,
    )
    with httpx.Client() as pool:
        request = factory.build(call, pool, auth=True, own_client=True)
        plain = factory.build(
            Call("POST", "chat/completions", {"model": "m"}), pool, auth=True, own_client=True
        )
    assert request.headers["X-Title"] == "my app"
    assert request.url.params["trace"] == "1"
    assert request.extensions["timeout"]["read"] == 5.0
    assert "X-Title" not in plain.headers and "trace" not in plain.url.params
    assert plain.extensions["timeout"]["read"] != 5.0


class _KeepAlives(httpx.SyncByteStream, httpx.AsyncByteStream):
    """One event, then only keep-alive comments for a long while: a stream gone silent."""

    def __iter__(self) -> Any:
        yield sse(delta_chunk("Hi"), done=False)
        for _ in range(200):
            time.sleep(0.05)
            yield b": keep-alive\n\n"

    async def __aiter__(self) -> Any:
        yield sse(delta_chunk("Hi"), done=False)
        for _ in range(200):
            await asyncio.sleep(0.05)
            yield b": keep-alive\n\n"


def _silent(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, stream=_KeepAlives(), headers={"content-type": "text/event-stream"})


def _silent_pools() -> dict[str, Any]:
    return {
        "http_client": httpx.Client(transport=httpx.MockTransport(_silent)),
        "api_key": KEY,
        "max_retries": 0,
        "model": "gpt-4o-mini",
    }


def _check_silence(error: BaseException) -> None:
    assert isinstance(error, StreamIdleTimeoutError), error
    assert "for 0.3 s (timeout)" in str(error)
    assert "stream_idle_timeout" not in str(error)
    assert error.partial is not None and error.partial.text == "Hi"


def test_a_per_call_timeout_bounds_a_silent_stream_and_is_named() -> None:
    """A per-call ``timeout`` shorter than the client's idle limit ends a stream that went
    silent, and the error names the setting the user gave, not ``stream_idle_timeout``."""
    with pytest.raises(StreamIdleTimeoutError) as core_error:
        request = ChatRequest(model="gpt-4o-mini", messages=[Message("user", "hi")], timeout=0.3)
        list(AIHubMixClient(**_silent_pools()).stream_chat(request))
    _check_silence(core_error.value)
    with pytest.raises(StreamIdleTimeoutError) as lc_error:
        list(ChatAIHubMix(**_silent_pools()).stream("hi", timeout=0.3))
    _check_silence(lc_error.value)
    settings = _silent_pools()
    with pytest.raises(StreamIdleTimeoutError) as li_error:
        list(AIHubMix(**settings).stream_chat(HI, timeout=0.3))
    _check_silence(li_error.value)


async def test_a_per_call_timeout_bounds_a_silent_async_stream() -> None:
    pools = {**_silent_pools(), "http_client": None}
    in_loop = httpx.AsyncClient(transport=httpx.MockTransport(_silent))
    with pytest.raises(StreamIdleTimeoutError) as lc_error:
        async for _ in ChatAIHubMix(**pools, http_async_client=in_loop).astream("hi", timeout=0.3):
            pass
    _check_silence(lc_error.value)
    with pytest.raises(StreamIdleTimeoutError) as li_error:
        stream = await AIHubMix(**pools, async_http_client=in_loop).astream_chat(HI, timeout=0.3)
        async for _ in stream:
            pass
    _check_silence(li_error.value)
