"""The OpenAI Responses API route (``POST /responses``): request builder, reply parser and
stream accumulator, all pure, all from and to the chat route's core types."""

from .accumulator import ResponsesAccumulator, parse_responses_reply
from .request import PATH, REASONING_FORMAT, responses_payload

__all__ = [
    "PATH",
    "REASONING_FORMAT",
    "ResponsesAccumulator",
    "parse_responses_reply",
    "responses_payload",
]
