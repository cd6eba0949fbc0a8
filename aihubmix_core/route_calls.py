"""Chat calls over every route: the client's ``chat``, ``achat``, ``stream_chat`` and
``astream_chat``, one request type in and one result type out whatever the protocol.

Each route is a ``RouteSpec``: its path, its pure request builder, its stream protocol
(accumulator and whole-reply parser) and how it authenticates. The methods pick the spec
for the call (``routes.resolve_route``), then do what the chat route always did: build,
send through the executor, parse or stream.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ._http.executor import AsyncExecutor, Call, SyncExecutor
from .catalog.info import ModelInfo
from .catalog.metered import MeteredAsyncChatStream, MeteredChatStream, record_result
from .chat.request import ChatRequest
from .chat.stream import CHAT, AsyncChatStream, ChatStream, StreamProtocol
from .error_mapping import redacting
from .errors import ModelRefusalError
from .messages import HEADERS as MESSAGES_HEADERS
from .messages import MessagesAccumulator, messages_payload, parse_messages_reply
from .responses import ResponsesAccumulator, parse_responses_reply, responses_payload
from .routes import RouteName, resolve_route
from .settings import AuthStyle
from .types import ChatResult

__all__ = ["ROUTE_SPECS", "RouteSpec", "RoutedChat"]

_S = TypeVar("_S", MeteredChatStream, MeteredAsyncChatStream)


def _chat_payload(request: ChatRequest, *, stream: bool) -> dict[str, Any]:
    return request.to_payload(stream=stream)


@dataclass(frozen=True, slots=True)
class RouteSpec:
    path: str
    payload: Callable[..., dict[str, Any]]
    """``(request, stream=...)`` -> the JSON body."""
    protocol: StreamProtocol
    auth_style: AuthStyle = "bearer"
    headers: tuple[tuple[str, str], ...] = ()

    def call(self, request: ChatRequest, *, stream: bool) -> Call:
        body = self.payload(request, stream=stream)
        headers = self.headers
        if request.extra_headers:
            headers += tuple((str(k), str(v)) for k, v in request.extra_headers.items())
        return Call(
            "POST",
            self.path,
            body,
            stream=stream,
            auth_style=self.auth_style,
            headers=headers,
            query=request.extra_query,
            timeout=request.timeout,
        )

    def parse(self, body: Any, request_id: str | None) -> ChatResult:
        return self.protocol.parse(body, request_id=request_id)


ROUTE_SPECS: dict[RouteName, RouteSpec] = {
    "chat": RouteSpec("chat/completions", _chat_payload, CHAT),
    "responses": RouteSpec(
        "responses",
        responses_payload,
        StreamProtocol(ResponsesAccumulator, parse_responses_reply),
    ),
    "messages": RouteSpec(
        "messages",
        messages_payload,
        StreamProtocol(MessagesAccumulator, parse_messages_reply),
        auth_style="x-api-key",
        headers=MESSAGES_HEADERS,
    ),
}


def _raise_refusal(result: ChatResult, body: Any) -> None:
    """A refusal in place of the structured answer asked for is an error that says so
    (the usage is counted first: the call was made and billed)."""
    refusal = result.message.extra.get("refusal")
    if isinstance(refusal, str) and refusal and not result.message.text:
        raise ModelRefusalError(refusal, body=body)


class RoutedChat:
    """The chat methods of ``AIHubMixClient``; ``request.route`` picks the protocol."""

    sync_executor: SyncExecutor
    async_executor: AsyncExecutor

    def _secret(self) -> str | None:
        raise NotImplementedError  # pragma: no cover - the client defines it

    def model_info(self, model: str) -> ModelInfo:
        raise NotImplementedError  # pragma: no cover - the client defines it

    def route_of(self, request: ChatRequest) -> RouteName:
        """The protocol this request goes over."""
        return resolve_route(request.route, request.model)

    def chat(self, request: ChatRequest) -> ChatResult:
        with redacting(self._secret()):
            spec = ROUTE_SPECS[self.route_of(request)]
            reply = self.sync_executor.json(spec.call(request, stream=False))
            return self._finished(request, spec.parse(reply.body, reply.request_id), reply.body)

    async def achat(self, request: ChatRequest) -> ChatResult:
        with redacting(self._secret()):
            spec = ROUTE_SPECS[self.route_of(request)]
            reply = await self.async_executor.json(spec.call(request, stream=False))
            return self._finished(request, spec.parse(reply.body, reply.request_id), reply.body)

    def _finished(self, request: ChatRequest, result: ChatResult, body: Any) -> ChatResult:
        """A whole reply priced and counted, then refused if it refused a structured answer."""
        record_result(request.model, result, self.model_info)
        if request.response_format is not None:
            _raise_refusal(result, body)
        return result

    def _stream(self, request: ChatRequest, executor: Any, kind: type[_S]) -> _S:
        spec = ROUTE_SPECS[self.route_of(request)]
        call = spec.call(request, stream=True)
        return kind(
            lambda info: executor.events(call, info),
            secret=self._secret(),
            protocol=spec.protocol,
            model=request.model,  # the metered streams count usage in the open meters
            pricer=self.model_info,
        )

    def stream_chat(self, request: ChatRequest) -> ChatStream:
        return self._stream(request, self.sync_executor, MeteredChatStream)

    def astream_chat(self, request: ChatRequest) -> AsyncChatStream:
        return self._stream(request, self.async_executor, MeteredAsyncChatStream)
