"""AIHubMix for LlamaIndex: one key, hundreds of chat, embedding, rerank and media models.

``from llama_index.llms.aihubmix import AIHubMix``,
``from llama_index.embeddings.aihubmix import AIHubMixEmbedding``,
``from llama_index.postprocessor.aihubmix_rerank import AIHubMixRerank``,
``from llama_index.tools.aihubmix import AIHubMixToolSpec`` and
``from llama_index.readers.aihubmix import AIHubMixTranscriptionReader`` give the same classes.
"""

from aihubmix_core import __version__

from . import _framework  # noqa: F401  (first: names the extra when llama-index-core is missing)
from ._cost import AIHubMixUsage, get_aihubmix_usage
from .embeddings import AIHubMixEmbedding
from .llms import AIHubMix
from .postprocessor import AIHubMixRerank
from .readers import AIHubMixTranscriptionReader
from .tool_spec import AIHubMixToolSpec

__all__ = [
    "AIHubMix",
    "AIHubMixEmbedding",
    "AIHubMixRerank",
    "AIHubMixToolSpec",
    "AIHubMixTranscriptionReader",
    "AIHubMixUsage",
    "__version__",
    "get_aihubmix_usage",
]
