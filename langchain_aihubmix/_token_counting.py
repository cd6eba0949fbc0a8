"""Token counting for ``ChatAIHubMix`` without a tokenizer download.

LangChain's default counts with a GPT-2 tokenizer from ``transformers``, fetched at run
time (an ImportError without it). AIHubMix models use many tokenizers, none shipped
offline by a well-kept package, so counts follow the core's documented estimate
(``aihubmix_core.token_estimate``); ``custom_get_token_ids`` replaces its text rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage

from aihubmix_core.token_estimate import estimate_message_tokens, estimate_text_tokens

from ._to_core import to_core_messages

__all__ = ["TokenCountingChatModel"]


class TokenCountingChatModel(BaseChatModel):
    """``get_num_tokens`` and ``get_num_tokens_from_messages`` for any AIHubMix model."""

    def get_num_tokens(self, text: str) -> int:
        """Estimated tokens in ``text``; exact with ``custom_get_token_ids``."""
        if self.custom_get_token_ids is not None:
            return len(self.custom_get_token_ids(text))
        return estimate_text_tokens(text)

    def get_token_ids(self, text: str) -> list[int]:
        """Token ids need the model's own tokenizer: pass it as ``custom_get_token_ids``."""
        if self.custom_get_token_ids is not None:
            return self.custom_get_token_ids(text)
        raise NotImplementedError(
            "ChatAIHubMix has no tokenizer for token ids (AIHubMix models use many, none "
            "shipped offline). Counts work without one: get_num_tokens() and "
            "get_num_tokens_from_messages() estimate. For ids, pass "
            "custom_get_token_ids=<your tokenizer's encode>."
        )

    def get_num_tokens_from_messages(
        self, messages: list[BaseMessage], tools: Sequence[Any] | None = None
    ) -> int:
        """Estimated prompt tokens of ``messages`` and the schemas of ``tools``, by the
        rules of ``aihubmix_core.token_estimate`` (offline, for every model)."""
        from ._tools import format_tools

        schemas = format_tools(tools) if tools else []
        return estimate_message_tokens(
            to_core_messages(messages), schemas, count_text=self.get_num_tokens
        )
