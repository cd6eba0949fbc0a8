"""``AIHubMix``: every AIHubMix chat model as a LlamaIndex ``FunctionCallingLLM``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx
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
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.callbacks import CallbackManager
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection
from pydantic import SecretStr

from aihubmix_core import (
    DEFAULT_BASE_URL,
    AIHubMixClient,
    ChatRequest,
)

from ._client_owner import ClientOwner
from ._messages import chat_response, completion_response, to_core_messages
from ._metadata import llm_metadata
from ._settings import route_unknown_kwargs
from ._stream import StreamTranslator
from ._tools import keep_first_call, resolve_tool_choice, tool_selections, tool_specs

if TYPE_CHECKING:
    from llama_index.core.tools.types import BaseTool

__all__ = ["DEFAULT_MODEL", "AIHubMix"]

DEFAULT_MODEL = "gpt-4o-mini"
# Call options that are ChatRequest fields; every other keyword goes to the API as given.
_REQUEST_FIELDS = (
    "tools",
    "tool_choice",
    "response_format",
    "max_tokens",
    "reasoning_effort",
    "reasoning",
    "extra_body",
)
# Set by the core itself, never by callers.
_CORE_OWNED = ("stream", "stream_options", "model", "messages")


class AIHubMix(ClientOwner, FunctionCallingLLM):
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
    api_base: str = Field(
        default=DEFAULT_BASE_URL,
        description="API base URL; AIHUBMIX_BASE_URL when not given.",
    )
    temperature: float | None = Field(
        default=None, description="Sampling temperature; the model's default when None."
    )
    max_tokens: int | None = Field(
        default=None, gt=0, description="Most tokens to generate; the model's default when None."
    )
    timeout: float | None = Field(default=600.0, description="Seconds for one request.")
    stream_idle_timeout: float | None = Field(
        default=300.0,
        description="Seconds a stream may go without an event (keep-alive comments do not count).",
    )
    max_retries: int = Field(default=2, ge=0, description="Retries for failed requests.")
    reasoning_effort: str | None = Field(
        default=None, description="none, minimal, low, medium, high or xhigh for reasoning models."
    )
    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Extra request fields sent with every call."
    )
    default_headers: dict[str, str] | None = Field(
        default=None, description="Headers added to every request."
    )
    app_code: str | None = Field(
        default=None, description="AIHubMix APP-Code attribution; AIHUBMIX_APP_CODE when not given."
    )
    context_window: int | None = Field(
        default=None, gt=0, description="Override of the model's context window."
    )
    is_function_calling_model: bool | None = Field(
        default=None, description="Override of whether the model supports tool calling."
    )
    strict: bool | None = Field(
        default=None, description="Sets `strict` on tool schemas when not None."
    )

    _client: AIHubMixClient = PrivateAttr()

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        api_key: str | SecretStr | None = None,
        api_base: str | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        timeout: float | None = 600.0,
        stream_idle_timeout: float | None = 300.0,
        max_retries: int = 2,
        reasoning_effort: str | None = None,
        additional_kwargs: dict[str, Any] | None = None,
        default_headers: dict[str, str] | None = None,
        app_code: str | None = None,
        context_window: int | None = None,
        is_function_calling_model: bool | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        callback_manager: CallbackManager | None = None,
        **kwargs: Any,
    ) -> None:
        client = AIHubMixClient(
            api_key=api_key,
            base_url=api_base,
            app_code=app_code,
            timeout=timeout,
            stream_idle_timeout=stream_idle_timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            async_http_client=async_http_client,
            user_agent_suffix="llama-index",
        )
        known, extra = route_unknown_kwargs(type(self), kwargs, additional_kwargs)
        super().__init__(
            model=model,
            api_base=client.config.base_url,
            temperature=temperature,
            max_tokens=max_tokens,
            timeout=timeout,
            stream_idle_timeout=stream_idle_timeout,
            max_retries=max_retries,
            reasoning_effort=reasoning_effort,
            additional_kwargs=extra,
            default_headers=default_headers,
            app_code=client.config.app_code,
            context_window=context_window,
            is_function_calling_model=is_function_calling_model,
            callback_manager=callback_manager,
            **known,
        )
        self._client = client

    @classmethod
    def class_name(cls) -> str:
        return "AIHubMix_LLM"

    @property
    def metadata(self) -> LLMMetadata:
        return llm_metadata(self)

    # requests
    def _request(self, messages: Sequence[ChatMessage], kwargs: dict[str, Any]) -> ChatRequest:
        """Call keywords win over ``additional_kwargs``, which win over the constructor's settings."""
        params: dict[str, Any] = {
            "temperature": self.temperature,
            **self.additional_kwargs,
            **kwargs,
        }
        for key in _CORE_OWNED:
            params.pop(key, None)
        fields = {key: params.pop(key) for key in _REQUEST_FIELDS if key in params}
        max_tokens = fields.pop("max_tokens", None)
        effort = fields.pop("reasoning_effort", None)
        return ChatRequest(
            model=self.model,
            messages=to_core_messages(messages),
            max_tokens=self.max_tokens if max_tokens is None else max_tokens,
            reasoning_effort=self.reasoning_effort if effort is None else effort,
            params=params,
            **fields,
        )

    # chat
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
        stream = self._client.stream_chat(self._request(messages, kwargs))

        def gen() -> ChatResponseGen:
            translator = StreamTranslator()
            for delta in stream:
                response = translator.response(delta, stream.accumulator)
                if response is not None:
                    yield response

        return gen()

    def _astream(
        self, messages: Sequence[ChatMessage], kwargs: dict[str, Any]
    ) -> ChatResponseAsyncGen:
        stream = self._client.astream_chat(self._request(messages, kwargs))

        async def gen() -> ChatResponseAsyncGen:
            translator = StreamTranslator()
            async for delta in stream:
                response = translator.response(delta, stream.accumulator)
                if response is not None:
                    yield response

        return gen()

    # completion: a one-message chat
    @staticmethod
    def _prompt(prompt: str) -> list[ChatMessage]:
        return [ChatMessage(role=MessageRole.USER, content=prompt)]

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        result = self._client.chat(self._request(self._prompt(prompt), kwargs))
        return completion_response(chat_response(result))

    @llm_completion_callback()
    async def acomplete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponse:
        result = await self._client.achat(self._request(self._prompt(prompt), kwargs))
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

        async def gen() -> CompletionResponseAsyncGen:
            async for response in chat:
                yield completion_response(response)

        return gen()

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
            prepared["tool_choice"] = resolve_tool_choice(tool_choice, tool_required)
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
