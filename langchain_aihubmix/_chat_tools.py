"""Tool binding and structured output for ``ChatAIHubMix``, kept beside the class so its
module holds the request path only. The pure work is in ``_tools`` and ``_structured``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.language_models import LanguageModelInput
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

__all__ = ["ToolCallingChatModel"]


class ToolCallingChatModel(BaseChatModel):
    """``bind_tools`` and ``with_structured_output`` in the OpenAI-compatible forms."""

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: dict[str, Any] | str | bool | None = None,
        strict: bool | None = None,
        parallel_tool_calls: bool | None = None,
        response_format: dict[str, Any] | type | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools (Pydantic classes, TypedDicts, functions, ``BaseTool``s or OpenAI dicts).

        Args:
            tools: The tools the model may call.
            tool_choice: ``"auto"``, ``"none"``, ``"any"``/``"required"``/``True`` (must
                call a tool), a tool name, or OpenAI's object naming one.
                ``None``/``False`` leaves the choice to the model.
            strict: Ask for arguments that match each schema exactly (where supported).
            parallel_tool_calls: ``False`` asks for at most one call per turn.
            response_format: A schema for the final answer when no tool is called.
            kwargs: Other arguments bound to every call.
        """
        from ._tools import tool_binding

        binding = tool_binding(tools, tool_choice, strict, parallel_tool_calls, response_format)
        return super().bind(**binding, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type | None = None,
        *,
        method: Literal["function_calling", "json_schema", "json_mode"] = "function_calling",
        include_raw: bool = False,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | Any]:
        """A runnable that returns ``schema`` instances (Pydantic) or dicts.

        Args:
            schema: A Pydantic class, TypedDict class or JSON schema dict.
            method: ``"function_calling"`` (default; any tool-capable model),
                ``"json_schema"`` (native structured output) or ``"json_mode"``
                (a JSON object; describe the keys in the prompt).
            include_raw: Return ``{"raw": AIMessage, "parsed": ..., "parsing_error": ...}``
                instead of raising when parsing fails.
            strict: Ask for output that matches the schema exactly (where supported).
            kwargs: Other arguments bound to every call.
        """
        from ._structured import structured_runnable

        return structured_runnable(
            self, schema, method=method, include_raw=include_raw, strict=strict, **kwargs
        )
