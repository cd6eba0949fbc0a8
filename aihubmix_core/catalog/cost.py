"""The USD cost of a call: a pure function of its usage and the model's prices.

Prompt tokens are split into cache reads, cache writes and the rest, each at its own
price (a cache price that is not known falls back to the input price); output tokens,
reasoning included, are at the output price. A prompt longer than a price tier's threshold
is priced at that tier. When the input price is not known (or output was produced and the
output price is not known) there is no cost: ``None``, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types import Usage
from .info import ModelInfo
from .parse import PRICE_UNIT_TOKENS
from .registry import lookup_model

__all__ = [
    "Cost",
    "billable_output_tokens",
    "cost_of",
    "total_prompt_tokens",
    "uncached_prompt_tokens",
    "usage_cost",
]


@dataclass(frozen=True, slots=True)
class Cost:
    """USD, by kind of token; ``total`` is their sum."""

    input: float
    output: float
    cache_read: float = 0.0
    cache_write: float = 0.0

    @property
    def total(self) -> float:
        return self.input + self.cache_read + self.cache_write + self.output

    def as_dict(self) -> dict[str, float]:
        return {
            "input": self.input,
            "cache_read": self.cache_read,
            "cache_write": self.cache_write,
            "output": self.output,
            "total": self.total,
        }


def _cache_counted_in_prompt(usage: Usage) -> bool:
    """OpenAI-style usage counts cached tokens inside ``prompt_tokens``; Anthropic-style
    (``input_tokens`` beside ``cache_read_input_tokens``) counts them apart."""
    raw = usage.raw
    return "prompt_tokens" in raw or "input_tokens" not in raw


def uncached_prompt_tokens(usage: Usage) -> int:
    """Prompt tokens that were neither read from nor written to a cache."""
    if not _cache_counted_in_prompt(usage):
        return usage.prompt_tokens
    cached = (usage.cached_tokens or 0) + (usage.cache_write_tokens or 0)
    return max(usage.prompt_tokens - cached, 0)


def billable_output_tokens(usage: Usage) -> int:
    """Output tokens, with reasoning tokens added when the upstream reported them outside
    ``completion_tokens`` (its total is then above prompt + completion)."""
    output = usage.completion_tokens
    reasoning = usage.reasoning_tokens or 0
    if reasoning and usage.total_tokens >= usage.prompt_tokens + output + reasoning:
        output += reasoning
    return output


def total_prompt_tokens(usage: Usage) -> int:
    """Every prompt token, cached or not, whichever way the upstream counted them."""
    if _cache_counted_in_prompt(usage):
        return usage.prompt_tokens
    return usage.prompt_tokens + (usage.cached_tokens or 0) + (usage.cache_write_tokens or 0)


def cost_of(usage: Usage, info: ModelInfo) -> Cost | None:
    """The cost of one call with ``usage`` on the model ``info`` describes, or ``None``
    (also when the upstream's counts could not be read: no cost is made up)."""
    if not usage.counted:
        return None
    input_price, output_price = info.input_price, info.output_price
    read_price, write_price = info.cache_read_price, info.cache_write_price
    size = total_prompt_tokens(usage)
    for tier in info.price_tiers:
        if size > tier.above:
            input_price = tier.input if tier.input is not None else input_price
            output_price = tier.output if tier.output is not None else output_price
            read_price = tier.cache_read if tier.cache_read is not None else read_price
            write_price = tier.cache_write if tier.cache_write is not None else write_price
    output = billable_output_tokens(usage)
    if input_price is None or (output and output_price is None):
        return None
    read_price = input_price if read_price is None else read_price
    write_price = input_price if write_price is None else write_price
    unit = PRICE_UNIT_TOKENS
    return Cost(
        input=uncached_prompt_tokens(usage) * input_price / unit,
        output=output * (output_price or 0.0) / unit,
        cache_read=(usage.cached_tokens or 0) * read_price / unit,
        cache_write=(usage.cache_write_tokens or 0) * write_price / unit,
    )


def usage_cost(model: str, usage: Usage | None) -> Cost | None:
    """The cost of a call to ``model`` with ``usage``, at the prices ``lookup_model`` knows."""
    if usage is None:
        return None
    return cost_of(usage, lookup_model(model))
