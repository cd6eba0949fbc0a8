"""AIHubMix for LlamaIndex: one key, hundreds of chat and embedding models.

``from llama_index.llms.aihubmix import AIHubMix`` and
``from llama_index.embeddings.aihubmix import AIHubMixEmbedding`` give the same classes.
"""

from aihubmix_core import __version__

from . import _framework  # noqa: F401  (first: names the extra when llama-index-core is missing)
from .embeddings import AIHubMixEmbedding
from .llms import AIHubMix

__all__ = ["AIHubMix", "AIHubMixEmbedding", "__version__"]
