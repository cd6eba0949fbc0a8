"""``AIHubMixClient``: the one object both adapters hold, with one pool for every route.

Each method is thin: a pure request builder from the route's module, the executor, a
pure reply parser. Sync and async methods differ only in the awaiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import httpx
from typing_extensions import Unpack

from ._http.executor import AsyncExecutor, Call, SyncExecutor
from .catalog import ModelInfo, lookup_model, parse_catalog, use_catalog
from .catalog.cost import cost_of
from .catalog.meter import record_usage
from .embeddings import (
    DEFAULT_BATCH_SIZE,
    EmbeddingBatch,
    EmbeddingSpec,
    EmbedOptions,
    batches,
    merge_results,
)
from .error_mapping import redacting
from .errors import AIHubMixError, ConfigurationError
from .media.client import MediaMixin
from .route_calls import RoutedChat
from .settings import ClientConfig, SettingsArgs
from .types import EmbeddingResult

__all__ = ["AIHubMixClient"]

_EMBEDDINGS = "embeddings"


class AIHubMixClient(MediaMixin, RoutedChat):
    """Chat (over chat completions, the Responses API or Anthropic Messages: ``route_calls``),
    streaming, embeddings and models over AIHubMix's API; images,
    speech, transcription, rerank and video from ``MediaMixin`` (``aihubmix_core/media``).

    ``chat``, ``achat``, ``stream_chat`` and ``astream_chat`` (from ``RoutedChat``) send a
    ``ChatRequest`` over the protocol its ``route`` names: chat completions, the Responses
    API or Anthropic Messages; the result is the same type on every route.

    The key is read from ``api_key`` or ``AIHUBMIX_API_KEY`` when the client is made,
    but only required at the first request, so building a client never fails offline.
    Settings are those of ``ClientConfig.resolve`` (``SETTING_NAMES``), or a ready ``config``;
    ``sleep`` and ``async_sleep`` replace the waits between retries (tests record them).
    """

    def __init__(
        self,
        *,
        config: ClientConfig | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], object] | None = None,
        async_sleep: Callable[[float], Awaitable[object]] | None = None,
        **settings: Unpack[SettingsArgs],
    ) -> None:
        if config is not None and settings:
            raise ConfigurationError(
                f"give either config= or settings ({', '.join(sorted(settings))}), not both"
            )
        self.config = config or ClientConfig.resolve(**settings)
        # Built now (cheap: pools open at first use), so threads never race to build them.
        self.sync_executor = SyncExecutor(self.config, http_client)
        self.async_executor = AsyncExecutor(self.config, async_http_client)
        if sleep is not None:
            self.sync_executor.sleep = sleep
        if async_sleep is not None:
            self.async_executor.sleep = async_sleep
        self._catalog: dict[str, ModelInfo] | None = None
        self._base64_accepted = True

    def _secret(self) -> str | None:
        key = self.config.api_key
        return None if key is None else key.get_secret_value()

    def __repr__(self) -> str:
        return f"AIHubMixClient(base_url={self.config.base_url!r})"

    def __getstate__(self) -> dict[str, Any]:
        """Pickled as its configuration (the key included, so worker processes can call the
        API); connection pools and caller-supplied httpx clients stay behind."""
        return {"config": self.config, "catalog": self._catalog}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(config=state["config"])  # type: ignore[misc]
        self._catalog = state.get("catalog")

    # embeddings
    def embed(
        self, texts: Sequence[str], *, model: str, **options: Unpack[EmbedOptions]
    ) -> EmbeddingResult:
        """Vectors in input order. ``encoding_format=None`` asks for base64 (compact, same
        values) and, if the gateway refuses it, retries without and stops asking;
        ``progress``, if given, is called with each finished batch's size."""
        with redacting(self._secret()):
            spec = EmbeddingSpec.of(model, options)
            progress = options.get("progress")
            parts = []
            for _, texts_batch in batches(texts, options.get("batch_size", DEFAULT_BATCH_SIZE)):
                parts.append(self._embed_batch(spec.batch(texts_batch, self._base64_accepted)))
                if progress is not None:
                    progress(len(texts_batch))
            return self._metered(model, merge_results(parts))

    def _embed_batch(self, batch: EmbeddingBatch) -> EmbeddingResult:
        try:
            return batch.parse(
                self.sync_executor.json(Call("POST", _EMBEDDINGS, batch.payload)).body
            )
        except AIHubMixError as error:
            batch = batch.without_base64(error)
        result = batch.parse(self.sync_executor.json(Call("POST", _EMBEDDINGS, batch.payload)).body)
        self._base64_accepted = False  # refused, and the retry without it worked
        return result

    async def aembed(
        self,
        texts: Sequence[str],
        *,
        model: str,
        concurrency: int = 4,
        **options: Unpack[EmbedOptions],
    ) -> EmbeddingResult:
        """Batches run at most ``concurrency`` at a time; results keep input order."""
        with redacting(self._secret()):
            spec = EmbeddingSpec.of(model, options)
            progress = options.get("progress")
            gate = asyncio.Semaphore(max(1, concurrency))

            async def one(texts_batch: Sequence[str]) -> EmbeddingResult:
                async with gate:
                    result = await self._aembed_batch(
                        spec.batch(texts_batch, self._base64_accepted)
                    )
                if progress is not None:
                    progress(len(texts_batch))
                return result

            size = options.get("batch_size", DEFAULT_BATCH_SIZE)
            parts = await asyncio.gather(*(one(batch) for _, batch in batches(texts, size)))
            return self._metered(model, merge_results(parts))

    def _metered(self, model: str, result: EmbeddingResult) -> EmbeddingResult:
        if result.usage is not None:
            record_usage(model, result.usage, cost_of(result.usage, self.model_info(model)))
        return result

    async def _aembed_batch(self, batch: EmbeddingBatch) -> EmbeddingResult:
        executor = self.async_executor
        try:
            return batch.parse((await executor.json(Call("POST", _EMBEDDINGS, batch.payload))).body)
        except AIHubMixError as error:
            batch = batch.without_base64(error)
        result = batch.parse((await executor.json(Call("POST", _EMBEDDINGS, batch.payload))).body)
        self._base64_accepted = False
        return result

    # models
    def list_models(self) -> list[dict[str, Any]]:
        """``GET /models``: the models this key may use, as the API returns them."""
        with redacting(self._secret()):
            body = self.sync_executor.json(Call("GET", "models")).body
            return list(body.get("data") or []) if isinstance(body, Mapping) else []

    async def alist_models(self) -> list[dict[str, Any]]:
        with redacting(self._secret()):
            body = (await self.async_executor.json(Call("GET", "models"))).body
            return list(body.get("data") or []) if isinstance(body, Mapping) else []

    def fetch_catalog(self, *, refresh: bool = False) -> dict[str, ModelInfo]:
        """The public catalog (no key needed, none sent), read once per client (``refresh``
        reads it again) and installed for every lookup in the process (``use_catalog``):
        profiles, metadata, costs and model lists then follow it."""
        with redacting(self._secret()):
            if self._catalog is None or refresh:
                call = Call("GET", self.config.catalog_url())
                self._catalog = parse_catalog(self.sync_executor.json(call, auth=False).body)
                use_catalog(self._catalog)
            return self._catalog

    async def afetch_catalog(self, *, refresh: bool = False) -> dict[str, ModelInfo]:
        with redacting(self._secret()):
            if self._catalog is None or refresh:
                call = Call("GET", self.config.catalog_url())
                self._catalog = parse_catalog(
                    (await self.async_executor.json(call, auth=False)).body
                )
                use_catalog(self._catalog)
            return self._catalog

    def model_info(self, model: str) -> ModelInfo:
        """What is known about ``model`` without any request: this client's fetched catalog,
        then the process's (``use_catalog``), then the shipped snapshot (``lookup_model``)."""
        return lookup_model(model, self._catalog)

    # lifecycle
    def close(self) -> None:
        self.sync_executor.close()

    async def aclose(self) -> None:
        await self.async_executor.aclose()

    def __enter__(self) -> AIHubMixClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> AIHubMixClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
