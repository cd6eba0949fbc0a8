"""What the emulator's Responses and Messages routes share: named-event SSE framing, the
way text is cut into deltas, canned web search results, a generated image, the prompt
cache, and the scripted failures a prompt can ask for.

Both routes translate their request into the chat body the scripted model (``brain``)
reads, and render its ``Reply`` in their own protocol, so every route answers the same
question the same way.

Scripted failures, for tests of typed errors on every protocol: a prompt containing
``EMULATE 429`` is refused as rate limited; one containing ``EMULATE STREAM FAILURE``
streams part of its answer and then fails inside the stream (a whole reply fails with
the upstream's overload error).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from typing import Any

from . import text as t
from .brain import Reply, short_hash

RATE_LIMIT_MARKER = "EMULATE 429"
STREAM_FAILURE_MARKER = "EMULATE STREAM FAILURE"
MIN_CACHEABLE_TOKENS = 1024
"""Anthropic caches no prefix shorter than this (Sonnet's minimum)."""

# A 1x1 PNG: what the emulator's image_generation tool "draws".
PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="

SEARCH_RESULTS = (
    ("https://en.wikipedia.org/wiki/{topic}", "{title} - Wikipedia"),
    ("https://www.britannica.com/search?query={topic}", "{title} | Britannica"),
)


def named_events(events: Iterator[tuple[str, dict[str, Any]]]) -> Iterator[bytes]:
    """``event: <name>`` / ``data: <json>`` pairs, as both protocols frame them (no ``[DONE]``)."""
    for name, data in events:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        yield f"event: {name}\ndata: {body}\n\n".encode()


def pieces(text: str) -> list[str]:
    """Text as the deltas a model streams: a word with the space before it."""
    return re.findall(r"\s*\S+|\s+$", text) if text else []


def fragments(arguments: str, size: int = 8) -> list[str]:
    return [arguments[i : i + size] for i in range(0, len(arguments), size)]


def failure_asked(prompt: str) -> str | None:
    """``"rate_limit"`` or ``"stream"`` when the prompt scripts a failure."""
    if RATE_LIMIT_MARKER in prompt:
        return "rate_limit"
    if STREAM_FAILURE_MARKER in prompt:
        return "stream"
    return None


def search_sources(prompt: str) -> list[dict[str, str]]:
    """Two web pages "found" for the prompt's topic."""
    topic_words = sorted(t.content_words(prompt), key=prompt.lower().find)[:3] or ["search"]
    topic = "_".join(word.capitalize() for word in topic_words)
    title = " ".join(word.capitalize() for word in topic_words)
    return [
        {"url": url.format(topic=topic), "title": name.format(title=title)}
        for url, name in SEARCH_RESULTS
    ]


def cited_answer(
    reply: Reply, sources: list[dict[str, str]]
) -> tuple[str, list[tuple[int, int, dict[str, str]]]]:
    """The answer with a sentence citing each source, and where each citation sits."""
    text = reply.content
    spans = []
    for source in sources:
        sentence = f" According to {source['title']}, this is well documented."
        start = len(text) + 1
        text += sentence
        spans.append((start, len(text), source))
    return text, spans


def searches_on_chat(body: dict[str, Any]) -> bool:
    """Chat completions search the web for ``web_search_options`` or a ``-search`` model id."""
    model = str(body.get("model") or "").lower()
    return body.get("web_search_options") is not None or model.endswith(
        ("-search", "-search-preview")
    )


def cite_on_chat(body: dict[str, Any], reply: Reply) -> None:
    """A chat answer that searched: cited sentences added, and the ``url_citation``
    annotations OpenAI's search models return (nested under ``url_citation``)."""
    if reply.tool_calls or not searches_on_chat(body):
        return
    messages = body.get("messages") or []
    reply.content, spans = cited_answer(reply, search_sources(prompt_of(messages)))
    reply.annotations = [
        {"type": "url_citation", "url_citation": {"start_index": a, "end_index": b, **source}}
        for a, b, source in spans
    ]


def encrypted_reasoning(reasoning: str) -> str:
    """Opaque reasoning the emulator can verify when it comes back (as OpenAI's is)."""
    digest = hashlib.sha256(("emulator-reasoning:" + reasoning).encode()).hexdigest()
    blob = json.dumps({"reasoning": reasoning, "mac": digest}).encode()
    return "gAAAAA" + base64.urlsafe_b64encode(blob).decode()


def verify_reasoning(blob: Any) -> bool:
    if not isinstance(blob, str) or not blob.startswith("gAAAAA"):
        return False
    try:
        data = json.loads(base64.urlsafe_b64decode(blob[6:].encode()))
    except ValueError:
        return False
    return isinstance(data, dict) and encrypted_reasoning(str(data.get("reasoning"))) == blob


class PromptCache:
    """Prefixes seen before, by hash: the first request with a marked prefix writes it,
    later ones read it. One per server, so each recording session starts cold."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def use(self, prefix: str) -> tuple[int, int]:
        """``(tokens written, tokens read)`` for a request whose cached prefix is ``prefix``."""
        tokens = t.approx_tokens(prefix)
        if tokens < MIN_CACHEABLE_TOKENS:
            return 0, 0
        key = short_hash(prefix)
        with self._lock:
            if key in self._seen:
                return 0, tokens
            self._seen.add(key)
        return tokens, 0


class ResponseStore:
    """Responses kept with ``store`` (the API's default), for ``previous_response_id``."""

    def __init__(self) -> None:
        self._items: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def save(self, response_id: str, messages: list[dict[str, Any]]) -> None:
        with self._lock:
            self._items[response_id] = messages

    def load(self, response_id: str) -> list[dict[str, Any]] | None:
        with self._lock:
            return self._items.get(response_id)


def prompt_of(messages: list[dict[str, Any]]) -> str:
    """The last user message's text."""
    for message in reversed(messages):
        if message.get("role") == "user":
            return t.message_text(message)
    return ""
