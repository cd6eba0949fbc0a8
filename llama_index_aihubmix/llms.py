"""``AIHubMix``: every AIHubMix chat model as a LlamaIndex ``FunctionCallingLLM``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection

from aihubmix_core import ChatRequest, ChatResult, Route, split_options
from aihubmix_core.chat.reasoning_history import ReasoningHistory

from ._client_settings import ClientSettings, open_client
from ._messages import chat_response, completion_response, to_core_messages
from ._metadata import llm_metadata
from ._stream_responses import astream_responses, stream_responses
from ._tools import keep_first_call, resolve_tool_choice, tool_selections, tool_specs

if TYPE_CHECKING:
    from llama_index.core.tools.types import BaseTool

__all__ = ["DEFAULT_MODEL", "AIHubMix"]

DEFAULT_MODEL = "gpt-4o-mini"


class AIHubMix(ClientSettings, FunctionCallingLLM):
    """Any model on AIHubMix (OpenAI, Anthropic, Google, DeepSeek, Qwen, xAI, ...) by its id.

    The key comes from ``api_key`` or ``AIHUBMIX_API_KEY`` and never appears in ``repr``,
    ``to_dict()`` or ``to_json()``. Context window, output limit and tool support come from
    the model table, so a new model id works at once; unknown ids get a conservative
    window (``aihubmix_core.DEFAULT_CONTEXT_WINDOW``, 32,768 tokens), overridable with ``context_window``.

    Example:
        .. code-block:: python

            from llama_index.llms.aihubmix import AIHubMix

            llm = AIHubMix(model="claude-sonnet-4-5", reasoning_effort="low")
            print(llm.complete("Say hi").text)
    """

    model: str = Field(default=DEFAULT_MODEL, description="The AIHubMix model id.")
    temperature: float | None = Field(
        default=None, description="Sampling temperature; the model's default when None."
    )
    max_tokens: int | None = Field(
        default=None, gt=0, description="Most tokens to generate; the model's default when None."
    )
    reasoning_effort: str | None = Field(
        default=None, description="none, minimal, low, medium, high or xhigh for reasoning models."
    )
    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Extra request fields sent with every call."
    )
    context_window: int | None = Field(
        default=None, gt=0, description="Override of the model's context window."
    )
    is_function_calling_model: bool | None = Field(
        default=None, description="Override of whether the model supports tool calling."
    )
    is_chat_model: bool = Field(
        default=True,
        description="What metadata reports; LlamaIndex then formats prompts as chat messages "
        "or as one completion prompt. Every call is a chat completion either way.",
    )
    strict: bool | None = Field(
        default=None, description="Sets `strict` on tool schemas when not None."
    )
    reasoning_history: ReasoningHistory | None = Field(
        default=None,
        description="Which earlier replies send their reasoning back: never, current_turn, "
        "tool_turns or all; by model family when None (DeepSeek and Claude tool_turns, "
        "others current_turn). See aihubmix_core.chat.reasoning_history.",
    )
    web_search_options: dict[str, Any] | None = Field(
        default=None,
        description="Web search for search-capable models ({} for the defaults); citations "
        "come back in the message's additional_kwargs['annotations'].",
    )
    route: Route | None = Field(
        default=None,
        description="chat, responses (OpenAI's Responses API), messages (Anthropic Messages, "
        "for Claude's prompt caching) or auto (chat, except for models served only on the "
        "Responses API; None means the same); a call may pass route= to override it.",
    )

    def __init__(self, model: str | None = None, **kwargs: Any) -> None:
        """Every field is a keyword: the ones above (``model`` also as ``model_name``),
        the client settings (``api_base`` or ``base_url``, ``timeout``, ``connect_timeout``,
        ``stream_idle_timeout``, ``max_retries``, ``default_headers``, ``app_code``), and
        ``api_key``, ``http_client``, ``async_http_client``. OpenAILike's ``logprobs``,
        ``top_logprobs`` and ``modalities`` are request fields; other keywords are sent to
        the API, with a warning."""
        client, fields = open_client(type(self), {"model": model, **kwargs})
        super().__init__(**{**fields, "model": fields.get("model") or DEFAULT_MODEL})
        self._client = client

    @classmethod
    def class_name(cls) -> str:
        return "AIHubMix_LLM"

    @property
    def metadata(self) -> LLMMetadata:
        return llm_metadata(self)

    # requests: the pure parts are shared, each sync/async twin only calls the client
    def _request(self, messages: Sequence[ChatMessage], kwargs: dict[str, Any]) -> ChatRequest:
        """Call keywords win over ``additional_kwargs``, which win over the constructor's settings."""
        options = {
            "temperature": self.temperature,
            "web_search_options": self.web_search_options,
            **self.additional_kwargs,
            **kwargs,
        }
        fields, params = split_options(options)
        for key in ("max_tokens", "reasoning_effort", "reasoning_history", "route"):
            if fields.get(key) is None:
                fields[key] = getattr(self, key)
        model = options.get("model")  # a per-call model, as OpenAILike takes it
        return ChatRequest(
            model=model if isinstance(model, str) and model else self.model,
            messages=to_core_messages(messages),
            params=params,
            **fields,
        )

    @staticmethod
    def _prompt(prompt: str) -> list[ChatMessage]:
        return [ChatMessage(role=MessageRole.USER, content=prompt)]

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return chat_response(self._client.chat(self._request(messages, kwargs)))

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return chat_response(await self._client.achat(self._request(messages, kwargs)))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        return self._stream(messages, kwargs)

    @llm_chat_callback()
    async def astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        return self._astream(messages, kwargs)

    def _stream(self, messages: Sequence[ChatMessage], kwargs: dict[str, Any]) -> ChatResponseGen:
        return stream_responses(self._client.stream_chat(self._request(messages, kwargs)))

    def _astream(
        self, messages: Sequence[ChatMessage], kwargs: dict[str, Any]
    ) -> ChatResponseAsyncGen:
        return astream_responses(self._client.astream_chat(self._request(messages, kwargs)))

    # completion: a one-message chat
    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return self._completion(self._client.chat(self._request(self._prompt(prompt), kwargs)))

    @llm_completion_callback()
    async def acomplete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponse:
        result = await self._client.achat(self._request(self._prompt(prompt), kwargs))
        return self._completion(result)

    @staticmethod
    def _completion(result: ChatResult) -> CompletionResponse:
        return completion_response(chat_response(result))

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        chat = self._stream(self._prompt(prompt), kwargs)
        return (completion_response(response) for response in chat)

    @llm_completion_callback()
    async def astream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseAsyncGen:
        chat = self._astream(self._prompt(prompt), kwargs)
        return (completion_response(response) async for response in chat)

    # tools
    def _prepare_chat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        tool_choice: str | dict[str, Any] | None = None,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Chat arguments for a tool call; the caller's history list is copied, never changed."""
        messages = list(chat_history or [])
        if isinstance(user_msg, str):
            user_msg = ChatMessage(role=MessageRole.USER, content=user_msg)
        if user_msg is not None:
            messages.append(user_msg)
        specs = tool_specs(tools, self.strict if strict is None else strict)
        prepared: dict[str, Any] = {"messages": messages, **kwargs}
        if specs:
            prepared["tools"] = specs
            names = [tool.metadata.name or "" for tool in tools]
            prepared["tool_choice"] = resolve_tool_choice(tool_choice, tool_required, names)
            if not allow_parallel_tool_calls:
                prepared["parallel_tool_calls"] = False
        return prepared

    def _validate_chat_with_tools_response(
        self,
        response: ChatResponse,
        tools: Sequence[BaseTool],
        allow_parallel_tool_calls: bool = False,
        **kwargs: Any,
    ) -> ChatResponse:
        if not allow_parallel_tool_calls:
            keep_first_call(response)
        return response

    def get_tool_calls_from_response(
        self,
        response: ChatResponse,
        error_on_no_tool_call: bool = True,
        **kwargs: Any,
    ) -> list[ToolSelection]:
        return tool_selections(response, error_on_no_tool_call)
