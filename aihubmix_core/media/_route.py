"""What every media mixin needs from ``AIHubMixClient``: its executors, its key for
redaction, and the two flow drivers wrapped in that redaction."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, TypeVar

from .._http.executor import Call
from ..error_mapping import redacting
from .flow import Flow, run_async, run_sync

if TYPE_CHECKING:
    from .._http.executor import AsyncExecutor, SyncExecutor

__all__ = ["RouteMixin"]

T = TypeVar("T")


class RouteMixin:
    if TYPE_CHECKING:
        sync_executor: SyncExecutor
        async_executor: AsyncExecutor

        def _secret(self) -> str | None: ...

    def _run(self, flow: Flow[T]) -> T:
        with redacting(self._secret()):
            return run_sync(self.sync_executor, flow)

    async def _arun(self, flow: Flow[T]) -> T:
        with redacting(self._secret()):
            return await run_async(self.async_executor, flow)

    def _chunks(self, call: Call) -> Iterator[bytes]:
        with redacting(self._secret()):
            yield from self.sync_executor.byte_chunks(call)

    async def _achunks(self, call: Call) -> AsyncIterator[bytes]:
        with redacting(self._secret()):
            async for chunk in self.async_executor.byte_chunks(call):
                yield chunk
