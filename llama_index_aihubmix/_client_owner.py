"""What ``AIHubMix`` and ``AIHubMixEmbedding`` share about the core client they own.

LlamaIndex copies components (``deepcopy``) and pickles them for worker processes
(``IngestionPipeline(num_workers=...)``); it rebuilds a pickled component by calling
``__init__`` with its public fields, which would lose the key held by the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aihubmix_core import AIHubMixClient

__all__ = ["ClientOwner"]


class ClientOwner:
    if TYPE_CHECKING:
        _client: AIHubMixClient

    @property
    def client(self) -> AIHubMixClient:
        """The core client, for what LlamaIndex has no API for (model lists, catalog)."""
        return self._client

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Any:
        """Copies share the client: its pooled connections cannot be copied, and need not be."""
        memo = {} if memo is None else memo
        memo[id(self._client)] = self._client
        return super().__deepcopy__(memo)  # type: ignore[misc]

    def __setstate__(self, state: dict[str, Any]) -> None:
        client = (state.get("__pydantic_private__") or {}).get("_client")
        super().__setstate__(state)  # type: ignore[misc]
        if isinstance(client, AIHubMixClient):
            self._client = client
