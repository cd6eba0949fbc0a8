"""What is known about AIHubMix's models: limits, capabilities, prices, and what calls cost.

A snapshot shipped with the package answers offline for every model it lists (see
``snapshot_provenance()`` for where its figures came from); the public catalog
(``/api/v1/models``, fetched with ``AIHubMixClient.fetch_catalog``) replaces it when
fetched. Nothing on the request path needs either: an unknown model id is passed through,
never refused, and gets conservative defaults.
"""

from .cost import Cost, cost_of, usage_cost
from .info import (
    DEFAULT_CONTEXT_WINDOW,
    DEFAULT_MAX_OUTPUT_TOKENS,
    MODEL_TYPES,
    ModelInfo,
    PriceTier,
)
from .lists import find_models
from .meter import ModelUsage, UsageMeter, record_usage, track_usage
from .parse import parse_catalog
from .registry import (
    catalog_generation,
    live_catalog,
    lookup_model,
    snapshot,
    snapshot_provenance,
    use_catalog,
)

__all__ = [
    "DEFAULT_CONTEXT_WINDOW",
    "DEFAULT_MAX_OUTPUT_TOKENS",
    "MODEL_TYPES",
    "Cost",
    "ModelInfo",
    "ModelUsage",
    "PriceTier",
    "UsageMeter",
    "catalog_generation",
    "cost_of",
    "find_models",
    "live_catalog",
    "lookup_model",
    "parse_catalog",
    "record_usage",
    "snapshot",
    "snapshot_provenance",
    "track_usage",
    "usage_cost",
    "use_catalog",
]
