"""``LLMMetadata`` from what the core knows about the model, asked afresh on every read.

No copy is kept on the LLM: a catalog fetched later (by this LLM's client or any other)
shows in the next ``metadata`` read. Constructor overrides win over the model's figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llama_index.core.base.llms.types import LLMMetadata, MessageRole

if TYPE_CHECKING:
    from .llms import AIHubMix

__all__ = ["llm_metadata"]


def llm_metadata(llm: AIHubMix) -> LLMMetadata:
    info = llm.client.model_info(llm.model)
    calls = llm.is_function_calling_model
    return LLMMetadata(
        context_window=llm.context_window or info.context_window,
        num_output=llm.max_tokens or info.max_output_tokens,
        is_chat_model=llm.is_chat_model,
        is_function_calling_model=info.tools if calls is None else calls,
        model_name=llm.model,
        system_role=MessageRole.SYSTEM,
    )
