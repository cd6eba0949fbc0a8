"""Cost in LangChain terms: ``response_metadata["cost"]`` and a usage meter per model.

The client prices each reply (``ChatResult.cost``); this module only attaches it.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages.ai import InputTokenDetails, OutputTokenDetails, UsageMetadata

from aihubmix_core import ChatResult, UsageMeter

__all__ = ["AIHubMixUsage", "cost_metadata", "get_aihubmix_usage"]


def cost_metadata(result: ChatResult) -> dict[str, Any]:
    """``{"cost": USD, "cost_details": {...}}`` for a reply the client priced, else ``{}``:
    an unknown price gives no cost rather than zero."""
    cost = result.cost
    if cost is None:
        return {}
    return {"cost": cost.total, "cost_details": cost.as_dict()}


class AIHubMixUsage(UsageMeter):
    """A usage meter with LangChain's views: ``usage_metadata`` per model (as
    ``get_usage_metadata_callback`` gives it) and ``cost`` per model in USD."""

    @property
    def usage_metadata(self) -> dict[str, UsageMetadata]:
        totals: dict[str, UsageMetadata] = {}
        for model, usage in self.by_model.items():
            totals[model] = UsageMetadata(
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                total_tokens=usage.total_tokens,
                input_token_details=InputTokenDetails(
                    cache_read=usage.cache_read_tokens, cache_creation=usage.cache_write_tokens
                ),
                output_token_details=OutputTokenDetails(reasoning=usage.reasoning_tokens),
            )
        return totals

    @property
    def cost(self) -> dict[str, float]:
        """USD per model, for the models whose cost was known."""
        return {m: u.cost for m, u in self.by_model.items() if u.cost is not None}


def get_aihubmix_usage() -> AIHubMixUsage:
    """Sum tokens and cost per model over every AIHubMix call inside the block: chat
    (invoke, batch, stream, sync or async) and embeddings.

    Example:
        ```python
        with get_aihubmix_usage() as usage:
            model.invoke("hi")
        usage.total_cost, usage.usage_metadata
        ```

    ``async with`` works the same; calls made in tasks and LangChain's worker threads
    started inside the block are counted.
    """
    return AIHubMixUsage()
