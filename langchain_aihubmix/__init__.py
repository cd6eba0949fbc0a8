"""AIHubMix for LangChain: ``ChatAIHubMix`` and ``AIHubMixEmbeddings``; ``AIHubMixRerank``,
the image, speech and video tools, and ``AIHubMixTranscriptionParser``.

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

    from ._cost import AIHubMixUsage, get_aihubmix_usage
    from ._errors import (
        AIHubMixAPIError,
        AIHubMixAuthenticationError,
        AIHubMixBadRequestError,
        AIHubMixConnectionError,
        AIHubMixContentModerationError,
        AIHubMixContextOverflowError,
        AIHubMixEmptyMediaError,
        AIHubMixInsufficientQuotaError,
        AIHubMixMissingAPIKeyError,
        AIHubMixModelNotAvailableError,
        AIHubMixNotFoundError,
        AIHubMixPermissionDeniedError,
        AIHubMixRateLimitError,
        AIHubMixRefusalError,
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
    from .media_tools import (
        AIHubMixImageGenerationTool,
        AIHubMixTextToSpeechTool,
        AIHubMixVideoGenerationTool,
    )
    from .rerank import AIHubMixRerank
    from .transcription import AIHubMixTranscriptionParser

__all__ = [
    "AIHubMixAPIError",
    "AIHubMixAuthenticationError",
    "AIHubMixBadRequestError",
    "AIHubMixConnectionError",
    "AIHubMixContentModerationError",
    "AIHubMixContextOverflowError",
    "AIHubMixEmbeddings",
    "AIHubMixEmptyMediaError",
    "AIHubMixImageGenerationTool",
    "AIHubMixInsufficientQuotaError",
    "AIHubMixMissingAPIKeyError",
    "AIHubMixModelNotAvailableError",
    "AIHubMixNotFoundError",
    "AIHubMixPermissionDeniedError",
    "AIHubMixRateLimitError",
    "AIHubMixRefusalError",
    "AIHubMixRerank",
    "AIHubMixResponseError",
    "AIHubMixServerError",
    "AIHubMixStreamIdleTimeoutError",
    "AIHubMixStreamIncompleteError",
    "AIHubMixStreamInterruptedError",
    "AIHubMixStreamPayloadError",
    "AIHubMixTextToSpeechTool",
    "AIHubMixTimeoutError",
    "AIHubMixTranscriptionParser",
    "AIHubMixUpstreamStreamError",
    "AIHubMixUsage",
    "AIHubMixVideoGenerationTool",
    "ChatAIHubMix",
    "__version__",
    "get_aihubmix_usage",
]


_WHERE = {
    "ChatAIHubMix": ".chat_models",
    "AIHubMixEmbeddings": ".embeddings",
    "AIHubMixRerank": ".rerank",
    "AIHubMixImageGenerationTool": ".media_tools",
    "AIHubMixTextToSpeechTool": ".media_tools",
    "AIHubMixVideoGenerationTool": ".media_tools",
    "AIHubMixTranscriptionParser": ".transcription",
    "AIHubMixUsage": "._cost",
    "get_aihubmix_usage": "._cost",
}


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
