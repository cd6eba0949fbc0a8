"""AIHubMix for LangChain: ``ChatAIHubMix`` and ``AIHubMixEmbeddings``.

Names are loaded on first use, so ``import langchain_aihubmix`` stays cheap; LangChain's
chat model machinery is imported only when ``ChatAIHubMix`` is.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any


def _require_langchain_core() -> None:
    """Without langchain-core, name the extra that brings it (looked up, not imported)."""
    try:
        if find_spec("langchain_core") is not None:
            return
    except ImportError:
        pass
    raise ImportError(
        "langchain_aihubmix needs langchain-core, which is not installed. Install it with "
        'pip install "aihubmix-integrations[langchain]" (or pip install langchain-core).',
        name="langchain_core",
    )


_require_langchain_core()

if TYPE_CHECKING:
    from aihubmix_core import __version__

    from ._errors import (
        AIHubMixAPIError,
        AIHubMixAuthenticationError,
        AIHubMixBadRequestError,
        AIHubMixConnectionError,
        AIHubMixContextOverflowError,
        AIHubMixInsufficientQuotaError,
        AIHubMixMissingAPIKeyError,
        AIHubMixModelNotAvailableError,
        AIHubMixNotFoundError,
        AIHubMixPermissionDeniedError,
        AIHubMixRateLimitError,
        AIHubMixResponseError,
        AIHubMixServerError,
        AIHubMixStreamIdleTimeoutError,
        AIHubMixStreamIncompleteError,
        AIHubMixStreamInterruptedError,
        AIHubMixStreamPayloadError,
        AIHubMixTimeoutError,
        AIHubMixUpstreamStreamError,
    )
    from .chat_models import ChatAIHubMix
    from .embeddings import AIHubMixEmbeddings

__all__ = [
    "AIHubMixAPIError",
    "AIHubMixAuthenticationError",
    "AIHubMixBadRequestError",
    "AIHubMixConnectionError",
    "AIHubMixContextOverflowError",
    "AIHubMixEmbeddings",
    "AIHubMixInsufficientQuotaError",
    "AIHubMixMissingAPIKeyError",
    "AIHubMixModelNotAvailableError",
    "AIHubMixNotFoundError",
    "AIHubMixPermissionDeniedError",
    "AIHubMixRateLimitError",
    "AIHubMixResponseError",
    "AIHubMixServerError",
    "AIHubMixStreamIdleTimeoutError",
    "AIHubMixStreamIncompleteError",
    "AIHubMixStreamInterruptedError",
    "AIHubMixStreamPayloadError",
    "AIHubMixTimeoutError",
    "AIHubMixUpstreamStreamError",
    "ChatAIHubMix",
    "__version__",
]


_WHERE = {"ChatAIHubMix": ".chat_models", "AIHubMixEmbeddings": ".embeddings"}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from aihubmix_core import __version__

        return __version__
    module = _WHERE.get(name)
    if module is None and name in __all__ and name.endswith("Error"):
        module = "._errors"
    if module is None:
        raise AttributeError(f"module 'langchain_aihubmix' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
