"""Cost in LlamaIndex terms: ``additional_kwargs["cost"]`` on responses, and a usage meter.

The client prices each reply (``ChatResult.cost``); this module only attaches it.
"""

from __future__ import annotations

from typing import Any

from aihubmix_core import ChatResult, UsageMeter

__all__ = ["AIHubMixUsage", "cost_kwargs", "get_aihubmix_usage"]


def cost_kwargs(result: ChatResult) -> dict[str, Any]:
    """``{"cost": USD, "cost_details": {...}}`` for a reply the client priced, else ``{}``:
    an unknown price gives no cost, not zero."""
    cost = result.cost
    if cost is None:
        return {}
    return {"cost": cost.total, "cost_details": cost.as_dict()}


class AIHubMixUsage(UsageMeter):
    """A usage meter with the totals LlamaIndex's token counter reports."""

    @property
    def prompt_tokens(self) -> int:
        return sum(u.input_tokens for u in self.by_model.values())

    @property
    def completion_tokens(self) -> int:
        return sum(u.output_tokens for u in self.by_model.values())

    @property
    def cost(self) -> dict[str, float]:
        """USD per model, for the models whose cost was known."""
        return {m: u.cost for m, u in self.by_model.items() if u.cost is not None}


def get_aihubmix_usage() -> AIHubMixUsage:
    """Sum tokens and cost per model over every AIHubMix call inside the block: LLM calls
    (chat, complete, streamed or not, sync or async) and embeddings.

    Example:
        .. code-block:: python

            with get_aihubmix_usage() as usage:
                llm.complete("hi")
            usage.total_cost, usage.by_model

    ``async with`` works the same; calls made in tasks started inside the block count.
    """
    return AIHubMixUsage()
