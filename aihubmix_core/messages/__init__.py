"""The Anthropic Messages route (``POST /messages``) for Claude: request builder, reply
parser and stream accumulator, all pure, all from and to the chat route's core types."""

from .accumulator import MessagesAccumulator, messages_usage, parse_messages_reply
from .request import ANTHROPIC_VERSION, HEADERS, PATH, messages_payload

__all__ = [
    "ANTHROPIC_VERSION",
    "HEADERS",
    "PATH",
    "MessagesAccumulator",
    "messages_payload",
    "messages_usage",
    "parse_messages_reply",
]
