"""AIHubMix for LlamaIndex: one key, hundreds of chat and embedding models.

``from llama_index.llms.aihubmix import AIHubMix`` and
``from llama_index.embeddings.aihubmix import AIHubMixEmbedding`` give the same classes.
"""

from aihubmix_core import __version__

from ._cost import AIHubMixUsage, get_aihubmix_usage
from .embeddings import AIHubMixEmbedding
from .llms import AIHubMix

__all__ = ["AIHubMix", "AIHubMixEmbedding", "AIHubMixUsage", "__version__", "get_aihubmix_usage"]
