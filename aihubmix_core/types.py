"""Framework-neutral chat and embedding types the adapters translate to and from.

Plain slotted dataclasses: they sit on the per-chunk hot path, where pydantic
validation would cost more than the network.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .catalog.cost import Cost

__all__ = [
    "AudioPart",
    "ChatDelta",
    "ChatResult",
    "Choice",
    "ContentPart",
    "EmbeddingResult",
    "FilePart",
    "ImagePart",
    "Message",
    "RawPart",
    "Role",
    "TextPart",
    "Tool",
    "ToolCall",
    "ToolCallDelta",
    "Usage",
]

Role = Literal["system", "developer", "user", "assistant", "tool"]


# MIME subtypes whose name as an ``input_audio`` format differs.
_AUDIO_FORMATS = {
    "mpeg": "mp3",
    "mpeg3": "mp3",
    "x-mp3": "mp3",
    "x-wav": "wav",
    "wave": "wav",
    "vnd.wave": "wav",
}


@dataclass(slots=True)
class TextPart:
    """Text; ``cache_control`` (e.g. ``{"type": "ephemeral"}``) marks a prompt-cache breakpoint."""

    text: str
    cache_control: dict[str, Any] | None = None


@dataclass(slots=True)
class ImagePart:
    """An image by URL; base64 data travels as a ``data:`` URL."""

    url: str
    detail: str | None = None
    cache_control: dict[str, Any] | None = None

    @classmethod
    def from_base64(
        cls, data: str | bytes, mime_type: str = "image/png", detail: str | None = None
    ) -> ImagePart:
        if isinstance(data, bytes):
            data = base64.b64encode(data).decode("ascii")
        return cls(url=f"data:{mime_type};base64,{data}", detail=detail)


@dataclass(slots=True)
class FilePart:
    """A document: base64 ``data`` of ``mime_type`` (upstreams want a ``filename`` with a
    real extension), or a ``file_id`` uploaded before."""

    data: str | None = None
    mime_type: str = "application/pdf"
    filename: str | None = None
    file_id: str | None = None
    cache_control: dict[str, Any] | None = None


@dataclass(slots=True)
class AudioPart:
    """Base64 audio; ``format`` is the wire's name for it (``wav``, ``mp3``, ...)."""

    data: str
    format: str | None
    cache_control: dict[str, Any] | None = None

    @classmethod
    def from_mime_type(cls, data: str, mime_type: str) -> AudioPart:
        """The format from a MIME type such as ``audio/wav`` or ``audio/mpeg``."""
        subtype = mime_type.rsplit("/", 1)[-1].lower()
        return cls(data=data, format=_AUDIO_FORMATS.get(subtype, subtype))


@dataclass(slots=True)
class RawPart:
    """A content part in the wire format, sent as given (types this package has no name for)."""

    data: dict[str, Any]


ContentPart = TextPart | ImagePart | FilePart | AudioPart | RawPart


@dataclass(slots=True)
class ToolCall:
    """A call the model made. ``extra`` holds the call's other wire fields (Gemini's
    ``extra_content`` with its thought signature), sent back verbatim on that call."""

    id: str
    name: str
    arguments: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def parsed_arguments(self) -> Any:
        """The arguments as JSON (``{}`` for an empty string); raises ``ValueError`` if invalid."""
        return json.loads(self.arguments) if self.arguments.strip() else {}


@dataclass(slots=True)
class Tool:
    """A function the model may call; ``parameters`` is a JSON schema."""

    name: str
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})
    strict: bool | None = None


@dataclass(slots=True)
class Message:
    """One chat message. ``extra`` holds wire fields this package has no name for, kept verbatim."""

    role: Role
    content: str | list[ContentPart] | None = None
    name: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    tool_call_id: str | None = None
    reasoning_content: str | None = None
    reasoning_details: list[Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The text of the message, joining text parts when content is a list."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text for p in self.content if isinstance(p, TextPart))


@dataclass(slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int | None = None
    cache_write_tokens: int | None = None
    reasoning_tokens: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    counted: bool = True
    """Whether the upstream gave readable input and output counts: a usage of ``null``,
    negative or unreadable counts is kept as sent (``raw``) but priced at nothing, never
    at a made-up zero."""


@dataclass(slots=True)
class Choice:
    index: int
    message: Message
    finish_reason: str | None = None
    logprobs: Any = None


@dataclass(slots=True)
class ChatResult:
    """A whole reply, streamed or not. ``message`` is the first choice's message."""

    choices: list[Choice]
    id: str | None = None
    model: str | None = None
    created: int | None = None
    system_fingerprint: str | None = None
    service_tier: str | None = None
    request_id: str | None = None
    usage: Usage | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    cost: Cost | None = None
    """USD for this call at the catalog's prices, set by the client once the usage is in;
    ``None`` when no price is known (never zero)."""

    @property
    def message(self) -> Message:
        return self.choices[0].message if self.choices else Message(role="assistant", content="")

    @property
    def finish_reason(self) -> str | None:
        return self.choices[0].finish_reason if self.choices else None

    @property
    def text(self) -> str:
        return self.message.text


@dataclass(slots=True)
class ToolCallDelta:
    """A fragment of a streamed tool call; ``index`` is the call's position in the final message."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""
    extra: dict[str, Any] | None = None
    """The call's other wire fields, when this fragment brought some."""


@dataclass(slots=True)
class ChatDelta:
    """What one stream chunk added for one choice (or, with ``usage``, the usage chunk)."""

    content: str = ""
    reasoning: str = ""
    tool_calls: list[ToolCallDelta] = field(default_factory=list)
    reasoning_details: list[Any] | None = None
    finish_reason: str | None = None
    usage: Usage | None = None
    logprobs: Any = None
    index: int = 0
    id: str | None = None
    model: str | None = None
    system_fingerprint: str | None = None


@dataclass(slots=True)
class EmbeddingResult:
    """Vectors in input order, with the usage summed over batches."""

    vectors: list[list[float]]
    model: str | None = None
    usage: Usage | None = None
