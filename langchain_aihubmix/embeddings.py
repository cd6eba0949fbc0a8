"""``AIHubMixEmbeddings``: LangChain's ``Embeddings`` over the shared AIHubMix core."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from langchain_core.embeddings import Embeddings
from langchain_core.utils import from_env, secret_from_env
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    SecretStr,
    model_validator,
)
from typing_extensions import Self

from aihubmix_core import AIHubMixClient

from ._errors import translate_errors
from ._secrets import seal_api_key

__all__ = ["AIHubMixEmbeddings"]


class AIHubMixEmbeddings(BaseModel, Embeddings):
    """Embedding models (OpenAI, Qwen, Gemini, ...) through AIHubMix.

    Setup:
        ```bash
        pip install "aihubmix-integrations[langchain]"
        export AIHUBMIX_API_KEY="sk-..."
        ```

    Key init args:
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

    Instantiate:
        ```python
        from langchain_aihubmix import AIHubMixEmbeddings

        embeddings = AIHubMixEmbeddings(model="text-embedding-3-small")
        ```

    Embed:
        ```python
        vectors = embeddings.embed_documents(["first text", "second text"])
        query = embeddings.embed_query("what is in the first text?")
        len(vectors) == 2 and len(query) == len(vectors[0])  # True
        ```

    Async:
        ```python
        vectors = await embeddings.aembed_documents(["first text", "second text"])
        query = await embeddings.aembed_query("what is in the first text?")
        ```
    """

    # hide_input_in_errors: a validation error must not echo the arguments, the key among them.
    model_config = ConfigDict(
        populate_by_name=True,
        arbitrary_types_allowed=True,
        extra="forbid",
        hide_input_in_errors=True,
    )

    model: str = "text-embedding-3-small"
    """Embedding model id."""
    api_key: SecretStr | None = Field(
        default_factory=secret_from_env("AIHUBMIX_API_KEY", default=None)
    )
    """AIHubMix key; ``AIHUBMIX_API_KEY`` when not given."""
    base_url: str | None = Field(default_factory=from_env("AIHUBMIX_BASE_URL", default=None))
    """API base URL; ``https://aihubmix.com/v1`` when neither this nor the env var is set."""
    app_code: str | None = None
    dimensions: int | None = Field(default=None, ge=1)
    chunk_size: int = Field(default=256, ge=1)
    """Texts per request."""
    max_concurrency: int = Field(default=4, ge=1)
    """Batches in flight at once in the async methods."""
    max_retries: int | None = Field(default=None, ge=0)
    timeout: float | None = None
    default_headers: dict[str, str] | None = None
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Other request fields, sent as given."""
    show_progress_bar: bool = False
    """Show a ``tqdm`` progress bar (needs ``tqdm``) for jobs of more than one batch."""
    http_client: httpx.Client | None = Field(default=None, exclude=True)
    http_async_client: httpx.AsyncClient | None = Field(default=None, exclude=True)

    _client: AIHubMixClient = PrivateAttr()

    @model_validator(mode="after")
    def _build_client(self) -> Self:
        self._client = AIHubMixClient(
            api_key=self.api_key,
            base_url=self.base_url,
            app_code=self.app_code,
            timeout=self.timeout,
            max_retries=self.max_retries,
            default_headers=self.default_headers,
            http_client=self.http_client,
            async_http_client=self.http_async_client,
            user_agent_suffix="langchain",
        )
        return self

    @model_validator(mode="wrap")
    @classmethod
    def _seal_api_key(cls, values: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        # Defined last, so it wraps every other validator and their errors see no clear key.
        return handler(seal_api_key(values))

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
