"""Token counts without a tokenizer: a documented estimate, the same for every model. Pure.

AIHubMix serves many tokenizers (OpenAI's, Anthropic's, Google's, DeepSeek's, Qwen's, ...)
and none of them ships, offline, with a well-kept Python package: tiktoken downloads its
encodings at first use and the others are not published as packages at all. So counts
are estimated by rules anyone can check:

- text: one token per 4 characters (OpenAI's rule of thumb for English), rounded up, and
  one per character of Chinese, Japanese or Korean script, which tokenizers split finely;
- each message: 3 tokens for its role and separators, 1 more for a ``name``;
- an image: 85 tokens at ``detail="low"``, else 765 (OpenAI's count for a 1024 x 1024
  image at high detail); audio and files are not counted;
- a tool call: its name and arguments as text; each tool schema: its JSON as text;
- 3 tokens priming the reply.

Reasoning sent back with assistant messages is not counted. Estimates run a little high on
English prose and can be off either way on code; leave headroom when trimming history.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence

from .chat.wire import tool_to_wire
from .types import ImagePart, Message, TextPart, Tool

__all__ = [
    "CHARS_PER_TOKEN",
    "IMAGE_TOKENS",
    "LOW_DETAIL_IMAGE_TOKENS",
    "estimate_message_tokens",
    "estimate_text_tokens",
]

CHARS_PER_TOKEN = 4
PER_MESSAGE = 3
PER_NAME = 1
REPLY_PRIMER = 3
IMAGE_TOKENS = 765
LOW_DETAIL_IMAGE_TOKENS = 85
# Han, kana, hangul and their punctuation and full-width forms.
_WIDE = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)

TextCounter = Callable[[str], int]


def estimate_text_tokens(text: str) -> int:
    """Estimated tokens in ``text`` (see the module's rules)."""
    if not text:
        return 0
    wide = len(_WIDE.findall(text))
    return wide + math.ceil((len(text) - wide) / CHARS_PER_TOKEN)


def _content_tokens(message: Message, count: TextCounter) -> int:
    content = message.content
    if content is None:
        return 0
    if isinstance(content, str):
        return count(content)
    total = 0
    for part in content:
        if isinstance(part, TextPart):
            total += count(part.text)
        elif isinstance(part, ImagePart):
            total += LOW_DETAIL_IMAGE_TOKENS if part.detail == "low" else IMAGE_TOKENS
    return total


def estimate_message_tokens(
    messages: Sequence[Message],
    tools: Sequence[Tool | Mapping[str, object]] = (),
    *,
    count_text: TextCounter = estimate_text_tokens,
) -> int:
    """Estimated prompt tokens of ``messages`` and ``tools``; ``count_text`` replaces the
    text rule (a real tokenizer's ``len(encode(text))``, when the caller has one)."""
    total = REPLY_PRIMER
    for message in messages:
        total += PER_MESSAGE + _content_tokens(message, count_text)
        if message.name:
            total += PER_NAME + count_text(message.name)
        for call in message.tool_calls:
            total += count_text(call.name) + count_text(call.arguments)
    for tool in tools:
        total += count_text(json.dumps(tool_to_wire(tool), ensure_ascii=False))
    return total
