"""``AIHubMixEmbeddings``: LangChain's ``Embeddings`` over the shared AIHubMix core."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from langchain_core.embeddings import Embeddings
from pydantic import ConfigDict, Field, model_validator

from ._client_settings import ClientSettings
from ._errors import translate_errors
from ._keywords import collect_model_kwargs

__all__ = ["AIHubMixEmbeddings"]


class AIHubMixEmbeddings(ClientSettings, Embeddings):
    """Embedding models (OpenAI, Qwen, Gemini, ...) through AIHubMix.

    Setup:
        ```bash
        pip install "aihubmix-integrations[langchain]"
        export AIHUBMIX_API_KEY="sk-..."
        ```

    Key init args — embedding params:
        model: str
            Embedding model id, e.g. ``"text-embedding-3-small"``.
        dimensions: int | None
            Output size, for models that can shorten their vectors.
        chunk_size: int
            Texts per request; larger jobs are split and reassembled in order.
        max_concurrency: int
            Requests in flight at once in ``aembed_documents``.
        show_progress_bar: bool
            A ``tqdm`` progress bar over the batches of large jobs.
        model_kwargs: dict
            Other request fields; unknown keywords land here, with a warning.

    Key init args — client params:
        api_key: str | None
            AIHubMix key; ``AIHUBMIX_API_KEY`` when not given (``openai_api_key`` too).
        base_url: str | None
            API base URL; ``AIHUBMIX_BASE_URL`` or ``https://aihubmix.com/v1``.
        timeout: float | tuple[float, float] | httpx.Timeout | None
            Seconds per request, a ``(connect, read)`` pair or an ``httpx.Timeout``.
        max_retries: int | None
            Retries for connection errors, 429 and 5xx (default 2).

    Instantiate:
        ```python
        from langchain_aihubmix import AIHubMixEmbeddings

        embeddings = AIHubMixEmbeddings(model="text-embedding-3-small")
        ```

    Embed single text:
        ```python
        query = embeddings.embed_query("what is in the first text?")
        query[:3]  # [-0.02, 0.01, ...]
        ```

    Embed multiple texts:
        ```python
        vectors = embeddings.embed_documents(["first text", "second text"])
        len(vectors) == 2 and len(vectors[0]) == len(query)  # True
        ```

    Async:
        ```python
        vectors = await embeddings.aembed_documents(["first text", "second text"])
        query = await embeddings.aembed_query("what is in the first text?")
        ```
    """

    model_config = ConfigDict(populate_by_name=True)

    model: str = "text-embedding-3-small"
    """Embedding model id."""
    dimensions: int | None = Field(default=None, ge=1)
    chunk_size: int = Field(default=256, ge=1)
    """Texts per request."""
    max_concurrency: int = Field(default=4, ge=1)
    """Batches in flight at once in the async methods."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Other request fields, sent as given. Unknown keywords land here, with a warning."""
    show_progress_bar: bool = False
    """Show a ``tqdm`` progress bar (needs ``tqdm``) for jobs of more than one batch."""

    @model_validator(mode="before")
    @classmethod
    def _collect_model_kwargs(cls, values: Any) -> Any:
        return collect_model_kwargs(cls, values)

    def __repr_args__(self) -> Any:
        return [(k, v) for k, v in super().__repr_args__() if k != "api_key"]

    @contextmanager
    def _progress(self, total: int) -> Iterator[Callable[[int], object] | None]:
        if not self.show_progress_bar or total <= self.chunk_size:
            yield None
            return
        try:
            from tqdm.auto import tqdm  # type: ignore[import-untyped]
        except ImportError as error:
            raise ImportError(
                "show_progress_bar=True needs tqdm: pip install tqdm (or set show_progress_bar=False)."
            ) from error
        with tqdm(total=total, unit="text", desc="Embedding") as bar:
            yield bar.update

    def _options(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "dimensions": self.dimensions,
            "batch_size": self.chunk_size,
            "extra_body": self.model_kwargs or None,
        }

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One vector per text, in the order given."""
        if not texts:
            return []
        with self._progress(len(texts)) as progress, translate_errors():
            return self._client.embed(texts, progress=progress, **self._options()).vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        """One vector per text, in order; at most ``max_concurrency`` requests at once."""
        if not texts:
            return []
        with self._progress(len(texts)) as progress, translate_errors():
            result = await self._client.aembed(
                texts, concurrency=self.max_concurrency, progress=progress, **self._options()
            )
        return result.vectors

    async def aembed_query(self, text: str) -> list[float]:
        return (await self.aembed_documents([text]))[0]
