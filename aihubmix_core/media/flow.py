"""Media calls as pure generators ("flows") that say what to fetch and how long to wait.

A flow yields ``Fetch`` and ``Wait`` steps and gets each answer back; it returns the result.
Two short drivers run any flow, one on the sync executor and one on the async executor, so
polling, URL downloads and reply parsing are written once and only the awaiting differs.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from .._http.executor import AsyncExecutor, Call, JSONReply, SyncExecutor
from ..error_mapping import error_from_body, request_id_of

__all__ = [
    "BinaryReply",
    "Fetch",
    "Flow",
    "Wait",
    "check_body",
    "run_async",
    "run_sync",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Fetch:
    """Send ``call``; the answer is a ``JSONReply``, or a ``BinaryReply`` when ``binary``."""

    call: Call
    binary: bool = False


@dataclass(frozen=True, slots=True)
class Wait:
    seconds: float


@dataclass(frozen=True, slots=True)
class BinaryReply:
    content: bytes
    content_type: str
    request_id: str | None = None


Step = Fetch | Wait
Flow = Generator[Step, Any, T]


def check_body(body: Any, request_id: str | None = None) -> Mapping[str, Any]:
    """A 2xx JSON body as a mapping; an ``error`` object inside it raises the typed error."""
    if not isinstance(body, Mapping):
        return {}
    error = body.get("error")
    if isinstance(error, Mapping | str) and error:
        code = error.get("code") if isinstance(error, Mapping) else None
        status = code if isinstance(code, int) and code >= 400 else 400
        raise error_from_body(status, json.dumps(body), request_id=request_id)
    return body


def _binary(response: httpx.Response) -> BinaryReply:
    return BinaryReply(
        response.content, response.headers.get("content-type", ""), request_id_of(response.headers)
    )


def _advance(flow: Flow[T], answer: Any) -> tuple[Step | None, T | None]:
    try:
        return flow.send(answer), None
    except StopIteration as done:
        return None, done.value


def _do(executor: SyncExecutor, step: Step) -> JSONReply | BinaryReply | None:
    if isinstance(step, Wait):
        executor.sleep(step.seconds)
        return None
    if step.binary:
        return _binary(executor.send(step.call))
    return executor.json(step.call)


async def _ado(executor: AsyncExecutor, step: Step) -> JSONReply | BinaryReply | None:
    if isinstance(step, Wait):
        await executor.sleep(step.seconds)
        return None
    if step.binary:
        return _binary(await executor.send(step.call))
    return await executor.json(step.call)


def run_sync(executor: SyncExecutor, flow: Flow[T]) -> T:
    step, result = _advance(flow, None)
    while step is not None:
        step, result = _advance(flow, _do(executor, step))
    return result  # type: ignore[return-value]


async def run_async(executor: AsyncExecutor, flow: Flow[T]) -> T:
    step, result = _advance(flow, None)
    while step is not None:
        step, result = _advance(flow, await _ado(executor, step))
    return result  # type: ignore[return-value]
