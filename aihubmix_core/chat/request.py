"""Chat requests: core types in, the JSON body of ``POST /chat/completions`` out. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import ConfigurationError
from ..secret_names import refuse_secret_names
from ..settings import TimeoutArg
from ..types import Message, Tool
from .reasoning_history import ReasoningHistory, keeps_reasoning
from .wire import part_to_wire, tool_calls_to_wire, tool_to_wire

__all__ = [
    "OPTION_ALIASES",
    "REQUEST_FIELDS",
    "SET_BY_CORE",
    "ChatRequest",
    "DisabledParams",
    "message_to_wire",
    "split_options",
    "tool_to_wire",
    "uses_max_completion_tokens",
]

REQUEST_FIELDS = frozenset(
    {
        "tools",
        "tool_choice",
        "response_format",
        "max_tokens",
        "reasoning_effort",
        "reasoning",
        "reasoning_history",
        "extra_body",
        "route",
        "extra_headers",
        "extra_query",
        "timeout",
    }
)
"""Call options that are ``ChatRequest`` fields; every other option is a wire parameter."""
OPTION_ALIASES = {"max_completion_tokens": "max_tokens"}
"""Other names callers use for a request field."""
SET_BY_CORE = frozenset({"model", "messages", "stream"})
"""Wire fields only the request itself writes; callers choose the model elsewhere."""
_WRITTEN_BY_PAYLOAD = SET_BY_CORE | {"stream_options"}
"""Never copied from ``params``: ``stream_options`` goes only on a stream, merged."""

# o1, o3, o4-mini, gpt-5 and their dated or suffixed ids reject ``max_tokens``.
_MAX_COMPLETION_TOKENS_MODELS = re.compile(r"^(?:[\w.-]+/)?(?:o\d|gpt-5)", re.IGNORECASE)

DisabledParams = Mapping[str, Any] | Iterable[str]
"""Names of parameters never to send, or ``{name: None}`` / ``{name: [values to drop]}``."""


@lru_cache(maxsize=512)  # asked on every call; model ids repeat
def uses_max_completion_tokens(model: str) -> bool:
    """Whether the model family wants ``max_completion_tokens`` instead of ``max_tokens``."""
    return bool(_MAX_COMPLETION_TOKENS_MODELS.match(model))


def message_to_wire(message: Message, *, with_reasoning: bool = True) -> dict[str, Any]:
    """One message in the OpenAI wire shape, carrying reasoning fields back verbatim
    (unless ``with_reasoning`` is false; see ``reasoning_history``)."""
    content: Any = message.content
    if isinstance(content, list):
        content = [part_to_wire(part) for part in content]
    wire: dict[str, Any] = {"role": message.role}
    if message.role == "assistant" and message.tool_calls:
        wire["content"] = content or None
        wire["tool_calls"] = tool_calls_to_wire(message.tool_calls)
    else:
        wire["content"] = "" if content is None else content
    if message.name:
        wire["name"] = message.name
    if message.tool_call_id is not None:
        wire["tool_call_id"] = message.tool_call_id
    reasoning = with_reasoning and message.role == "assistant"
    if message.reasoning_content is not None and reasoning:
        wire["reasoning_content"] = message.reasoning_content
    if message.reasoning_details is not None and reasoning:
        wire["reasoning_details"] = message.reasoning_details
    if message.extra:
        for key, value in message.extra.items():
            wire.setdefault(key, value)
    return wire


def split_options(options: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Call options as (``ChatRequest`` fields, other wire parameters).

    ``max_completion_tokens`` counts as ``max_tokens`` (the request picks the name the
    model wants); what the core sets itself (model, messages, stream) is dropped.
    """
    fields: dict[str, Any] = {}
    params: dict[str, Any] = {}
    for key, value in options.items():
        if key in REQUEST_FIELDS:
            fields[key] = value
        elif key not in SET_BY_CORE and key not in OPTION_ALIASES:
            params[key] = value
    for alias, name in OPTION_ALIASES.items():
        if alias in options:
            fields.setdefault(name, options[alias])
    return fields, params


def _drop_disabled(payload: dict[str, Any], disabled: DisabledParams | None) -> None:
    if not disabled:
        return
    if isinstance(disabled, Mapping):
        for name, values in disabled.items():
            if name not in payload:
                continue
            if values is None or payload[name] in values:
                del payload[name]
    else:
        for name in disabled:
            payload.pop(name, None)


@dataclass(slots=True)
class ChatRequest:
    """A chat call. ``params`` holds OpenAI-named sampling options (temperature, stop, seed, ...)."""

    model: str
    messages: Sequence[Message]
    tools: Sequence[Tool | Mapping[str, Any]] | None = None
    tool_choice: str | Mapping[str, Any] | None = None
    response_format: Mapping[str, Any] | None = None
    max_tokens: int | None = None
    reasoning_effort: str | None = None
    reasoning: Mapping[str, Any] | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    extra_body: Mapping[str, Any] | None = None
    disabled_params: DisabledParams | None = None
    include_usage: bool = True
    reasoning_history: ReasoningHistory | None = None
    """Which assistant messages carry their reasoning back (``chat.reasoning_history``);
    the model family's default when ``None``."""
    route: str | None = None
    """The protocol: ``"chat"``, ``"responses"``, ``"messages"`` or ``"auto"``/``None``
    (see ``aihubmix_core.routes``); ``to_payload`` is the chat route's body."""
    extra_headers: Mapping[str, str] | None = None
    """Headers for this call only, after the client's (the OpenAI clients' per-call option)."""
    extra_query: Mapping[str, Any] | None = None
    """Query parameters for this call only."""
    timeout: TimeoutArg = None
    """This call's timeout, in any form the client's ``timeout`` takes; the client's when
    ``None``."""

    def to_payload(self, *, stream: bool = False) -> dict[str, Any]:
        if not self.model:
            raise ConfigurationError(
                "model must be a non-empty AIHubMix model id, such as 'gpt-4o-mini'"
            )
        if not self.messages:
            raise ConfigurationError("a chat request needs at least one message")
        keep = keeps_reasoning(self.messages, self.reasoning_history, self.model)
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": [
                message_to_wire(message, with_reasoning=kept)
                for message, kept in zip(self.messages, keep, strict=True)
            ],
        }
        for key, value in self.params.items():
            if value is not None and key not in _WRITTEN_BY_PAYLOAD:
                payload[key] = value
        if "max_tokens" in payload and uses_max_completion_tokens(self.model):
            payload["max_completion_tokens"] = payload.pop("max_tokens")
        if self.max_tokens is not None:
            key = (
                "max_completion_tokens" if uses_max_completion_tokens(self.model) else "max_tokens"
            )
            payload[key] = self.max_tokens
        if self.tools:
            payload["tools"] = [tool_to_wire(tool) for tool in self.tools]
            if self.tool_choice is not None:
                payload["tool_choice"] = self.tool_choice
        else:
            # The gateway rejects tool_choice (and parallel_tool_calls) without tools.
            payload.pop("tool_choice", None)
            payload.pop("parallel_tool_calls", None)
        if self.response_format is not None:
            payload["response_format"] = dict(self.response_format)
        if self.reasoning_effort is not None:
            payload["reasoning_effort"] = self.reasoning_effort
        if self.reasoning is not None:
            payload["reasoning"] = dict(self.reasoning)
        if stream:
            payload["stream"] = True
            options = self.params.get("stream_options")
            options = dict(options) if isinstance(options, Mapping) else {}
            if self.include_usage:
                options.setdefault("include_usage", True)
            if options:
                payload["stream_options"] = options
        if self.extra_body:
            payload.update(self.extra_body)
        _drop_disabled(payload, self.disabled_params)
        refuse_secret_names(payload, "A chat request")
        return payload
