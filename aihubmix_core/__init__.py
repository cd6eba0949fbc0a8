"""The shared AIHubMix core: configuration, transport, chat, streaming, embeddings, models.

No framework imports here; ``langchain_aihubmix`` and ``llama_index_aihubmix`` translate
their own types to and from the ones below.
"""

from ._http.retry import RetryPolicy
from ._http.sse import ServerSentEvent, SSEDecoder
from ._version import __version__
from .catalog import (
    DEFAULT_CONTEXT_WINDOW,
    DEFAULT_MAX_OUTPUT_TOKENS,
    ModelInfo,
    lookup_model,
    parse_catalog,
)
from .chat.accumulator import StreamAccumulator
from .chat.reply import parse_chat_completion, parse_usage
from .chat.request import ChatRequest, message_to_wire, tool_to_wire, uses_max_completion_tokens
from .chat.stream import AsyncChatStream, ChatStream
from .client import AIHubMixClient
from .error_mapping import error_from_body
from .errors import (
    AIHubMixError,
    APIConnectionError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ContextWindowExceededError,
    InsufficientQuotaError,
    MissingAPIKeyError,
    ModelNotAvailableError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    ServerError,
    StreamError,
    StreamIdleTimeoutError,
    StreamIncompleteError,
    StreamInterruptedError,
    StreamPayloadError,
    UpstreamStreamError,
)
from .settings import DEFAULT_BASE_URL, ClientConfig
from .types import (
    ChatDelta,
    ChatResult,
    Choice,
    ContentPart,
    EmbeddingResult,
    ImagePart,
    Message,
    RawPart,
    TextPart,
    Tool,
    ToolCall,
    ToolCallDelta,
    Usage,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_CONTEXT_WINDOW",
    "DEFAULT_MAX_OUTPUT_TOKENS",
    "AIHubMixClient",
    "AIHubMixError",
    "APIConnectionError",
    "APIResponseError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncChatStream",
    "AuthenticationError",
    "BadRequestError",
    "ChatDelta",
    "ChatRequest",
    "ChatResult",
    "ChatStream",
    "Choice",
    "ClientConfig",
    "ConfigurationError",
    "ContentPart",
    "ContextWindowExceededError",
    "EmbeddingResult",
    "ImagePart",
    "InsufficientQuotaError",
    "Message",
    "MissingAPIKeyError",
    "ModelInfo",
    "ModelNotAvailableError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawPart",
    "RedirectError",
    "RetryPolicy",
    "SSEDecoder",
    "ServerError",
    "ServerSentEvent",
    "StreamAccumulator",
    "StreamError",
    "StreamIdleTimeoutError",
    "StreamIncompleteError",
    "StreamInterruptedError",
    "StreamPayloadError",
    "TextPart",
    "Tool",
    "ToolCall",
    "ToolCallDelta",
    "UpstreamStreamError",
    "Usage",
    "__version__",
    "error_from_body",
    "lookup_model",
    "message_to_wire",
    "parse_catalog",
    "parse_chat_completion",
    "parse_usage",
    "tool_to_wire",
    "uses_max_completion_tokens",
]
