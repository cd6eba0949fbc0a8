"""``ChatAIHubMix``: LangChain's chat model interface over the shared AIHubMix core."""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import httpx
from langchain_core.language_models import LangSmithParams, LanguageModelInput
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.utils import from_env, secret_from_env
from pydantic import (
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    SecretStr,
    model_validator,
)
from typing_extensions import Self

from aihubmix_core import AIHubMixClient, ChatRequest, lookup_model

from ._errors import translate_errors
from ._messages import (
    chunk_from_delta,
    combine_llm_outputs,
    final_chunk,
    result_to_chat_result,
    to_core_messages,
)
from ._profiles import model_profile
from ._secrets import seal_api_key

if TYPE_CHECKING:
    from langchain_core.callbacks import (
        AsyncCallbackManagerForLLMRun,
        CallbackManagerForLLMRun,
    )
    from langchain_core.language_models import ModelProfile
    from langchain_core.tools import BaseTool

__all__ = ["ChatAIHubMix"]

# Model fields sent as OpenAI-named request parameters when set.
_SAMPLING_FIELDS = (
    "temperature",
    "top_p",
    "n",
    "seed",
    "frequency_penalty",
    "presence_penalty",
    "logprobs",
    "top_logprobs",
)
# Per-call keyword arguments the request builder consumes itself.
_CALL_KEYS = frozenset(
    {
        "model",
        "tools",
        "tool_choice",
        "response_format",
        "max_tokens",
        "max_completion_tokens",
        "reasoning_effort",
        "reasoning",
        "extra_body",
        "stream",
        "stream_usage",
    }
)


class ChatAIHubMix(BaseChatModel):
    """Chat models from OpenAI, Anthropic, Google, DeepSeek, Qwen, xAI and more through
    AIHubMix: one key, one class, change only ``model``.

    Setup:
        Install the package with the LangChain extra and set your key:

        ```bash
        pip install "aihubmix-integrations[langchain]"
        export AIHUBMIX_API_KEY="sk-..."
        ```

    Key init args — completion params:
        model: str
            AIHubMix model id, e.g. ``"gpt-4o-mini"``, ``"claude-sonnet-4-5"``,
            ``"deepseek-chat"``, ``"gemini-2.5-flash"``.
        temperature: float | None
            Sampling temperature.
        max_tokens: int | None
            Maximum tokens to generate (sent as ``max_completion_tokens`` to o-series and
            gpt-5 models, which refuse ``max_tokens``).
        stream_usage: bool
            Whether streams report token usage (on by default).
        reasoning_effort: str | None
            ``"low"``, ``"medium"``, ``"high"``, ... for reasoning models.

    Key init args — client params:
        api_key: str | None
            AIHubMix key; read from ``AIHUBMIX_API_KEY`` when not given.
        base_url: str | None
            API base URL; ``AIHUBMIX_BASE_URL`` or ``https://aihubmix.com/v1``.
        timeout: float | None
            Seconds per request.
        max_retries: int | None
            Retries for connection errors, 429 and 5xx (default 2).
        app_code: str | None
            Optional AIHubMix ``APP-Code`` attribution header; none is sent unless set.

    Instantiate:
        ```python
        from langchain_aihubmix import ChatAIHubMix

        model = ChatAIHubMix(model="gpt-4o-mini", temperature=0, max_tokens=512)
        ```

    Invoke:
        ```python
        messages = [
            ("system", "Translate the user's sentence to French."),
            ("human", "I love programming."),
        ]
        reply = model.invoke(messages)
        reply.text  # the translation
        reply.response_metadata["model_name"]  # the model that answered
        ```

    Stream:
        ```python
        for chunk in model.stream(messages):
            print(chunk.text, end="")
        ```

        Summing the chunks gives the whole message, with ``usage_metadata`` set once:

        ```python
        full = None
        for chunk in model.stream(messages):
            full = chunk if full is None else full + chunk
        full.usage_metadata  # {"input_tokens": ..., "output_tokens": ..., "total_tokens": ...}
        ```

    Async:
        ```python
        await model.ainvoke(messages)
        async for chunk in model.astream(messages):
            ...
        await model.abatch([messages, messages])
        ```

    Tool calling:
        ```python
        from pydantic import BaseModel, Field


        class GetWeather(BaseModel):
            '''Get the current weather in a given location.'''

            location: str = Field(description="The city, e.g. Paris")


        model_with_tools = model.bind_tools([GetWeather], tool_choice="any")
        reply = model_with_tools.invoke("What is the weather in Paris?")
        reply.tool_calls  # [{"name": "GetWeather", "args": {"location": "Paris"}, "id": ..., ...}]
        ```

        ``tool_choice`` takes ``"auto"``, ``"none"``, ``"any"``/``"required"``/``True``,
        a tool name, or ``{"type": "function", "function": {"name": ...}}``.

    Structured output:
        ```python
        class Joke(BaseModel):
            '''A joke to tell the user.'''

            setup: str
            punchline: str


        joke = model.with_structured_output(Joke).invoke("Tell me a joke about cats")
        # method="json_schema" uses native structured output where the model has it;
        # method="json_mode" asks for a JSON object; include_raw=True keeps the message.
        ```

    Image input:
        ```python
        from langchain_core.messages import HumanMessage

        message = HumanMessage(
            content=[
                {"type": "text", "text": "Describe this image."},
                {"type": "image", "url": "https://example.com/cat.png"},
            ]
        )
        model.invoke([message])
        ```

        Base64 images work as ``{"type": "image", "base64": ..., "mime_type": "image/png"}``
        or in the OpenAI shape ``{"type": "image_url", "image_url": {"url": "data:..."}}``.

    Reasoning:
        ```python
        thinker = ChatAIHubMix(model="deepseek-reasoner")
        reply = thinker.invoke("What is 17 * 23?")
        reply.additional_kwargs["reasoning_content"]  # the model's reasoning
        [b for b in reply.content_blocks if b["type"] == "reasoning"]
        ```

        Claude's signed ``reasoning_details`` stay on the message and are sent back on
        later turns, as the upstream requires in tool loops.

    Token usage:
        ```python
        reply = model.invoke(messages)
        reply.usage_metadata
        # {"input_tokens": ..., "output_tokens": ..., "total_tokens": ...,
        #  "input_token_details": {"cache_read": ...}, "output_token_details": {"reasoning": ...}}
        ```

    Response metadata:
        ```python
        reply.response_metadata
        # {"model_name": ..., "model_provider": "aihubmix", "finish_reason": "stop",
        #  "id": ..., "system_fingerprint": ...}
        ```

    Errors:
        Failures raise classes that are both ``aihubmix_core`` errors and
        ``langchain_core.exceptions`` model errors, e.g. ``ModelRateLimitError`` or
        ``ContextOverflowError``; see ``langchain_aihubmix.AIHubMixRateLimitError``.
    """

    # hide_input_in_errors: a validation error must not echo the arguments, the key among them.
    model_config = ConfigDict(populate_by_name=True, hide_input_in_errors=True)

    model_name: str = Field(alias="model")
    """AIHubMix model id, e.g. ``"gpt-4o-mini"``."""
    api_key: SecretStr | None = Field(
        default_factory=secret_from_env("AIHUBMIX_API_KEY", default=None)
    )
    """AIHubMix key; ``AIHUBMIX_API_KEY`` when not given."""
    base_url: str | None = Field(default_factory=from_env("AIHUBMIX_BASE_URL", default=None))
    """API base URL; ``https://aihubmix.com/v1`` when neither this nor the env var is set."""
    app_code: str | None = None
    """``APP-Code`` attribution header (or ``AIHUBMIX_APP_CODE``); never sent unless set."""
    temperature: float | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    """Maximum tokens to generate."""
    timeout: float | None = None
    """Seconds per request (default 600)."""
    stream_idle_timeout: float | None = None
    """Seconds a stream may stay silent before it is abandoned (default 300)."""
    stop: list[str] | None = Field(default=None, alias="stop_sequences")
    """Default stop sequences."""
    max_retries: int | None = Field(default=None, ge=0)
    """Retries for connection errors, 429 and 5xx (default 2)."""
    streaming: bool = False
    """Whether ``invoke`` streams under the hood (for callbacks that want tokens)."""
    stream_usage: bool = True
    """Whether streams ask for and report token usage."""
    n: int | None = Field(default=None, ge=1)
    """Number of completions per prompt."""
    top_p: float | None = None
    seed: int | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = None
    reasoning_effort: str | None = None
    """``"none"``, ``"minimal"``, ``"low"``, ``"medium"``, ``"high"`` or ``"xhigh"``."""
    reasoning: dict[str, Any] | None = None
    """``{"effort": ...}`` or ``{"max_tokens": N}``; ``reasoning_effort`` wins if both are set."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Other request parameters, sent as given."""
    extra_body: dict[str, Any] | None = None
    """Fields merged into the request body last (gateway- or upstream-specific options)."""
    default_headers: dict[str, str] | None = None
    http_client: httpx.Client | None = Field(default=None, exclude=True)
    """Your own ``httpx.Client`` (proxies, custom transport)."""
    http_async_client: httpx.AsyncClient | None = Field(default=None, exclude=True)
    """Your own ``httpx.AsyncClient``."""
    disabled_params: dict[str, Any] | None = None
    """Parameters never to send: ``{name: None}`` drops always, ``{name: [values]}`` drops those values."""

    _client: AIHubMixClient = PrivateAttr()

    @model_validator(mode="before")
    @classmethod
    def _collect_model_kwargs(cls, values: Any) -> Any:
        """Unknown init arguments become ``model_kwargs`` (with a warning), as in LangChain's
        OpenAI-compatible models, so provider-specific options still reach the API."""
        if not isinstance(values, dict):
            return values
        known = set(cls.model_fields)
        known |= {f.alias for f in cls.model_fields.values() if f.alias}
        extra = dict(values.get("model_kwargs") or {})
        for name in [key for key in values if key not in known]:
            if name in extra:
                raise ValueError(
                    f"{name} was given both directly and in model_kwargs; give it once."
                )
            warnings.warn(
                f"{name!r} is not a ChatAIHubMix parameter; it was moved to model_kwargs and "
                "will be sent in the request body as given.",
                UserWarning,
                stacklevel=4,
            )
            extra[name] = values.pop(name)
        clash = sorted(name for name in extra if name in known)
        if clash:
            raise ValueError(
                f"{', '.join(clash)} must be given as ChatAIHubMix parameters, not in model_kwargs."
            )
        if extra or "model_kwargs" in values:
            values = {**values, "model_kwargs": extra}
        return values

    @model_validator(mode="after")
    def _build_client(self) -> Self:
        if self.streaming and self.n is not None and self.n > 1:
            raise ValueError("n must be 1 (or unset) when streaming=True.")
        self._client = AIHubMixClient(
            api_key=self.api_key,
            base_url=self.base_url,
            app_code=self.app_code,
            timeout=self.timeout,
            stream_idle_timeout=self.stream_idle_timeout,
            max_retries=self.max_retries,
            default_headers=self.default_headers,
            http_client=self.http_client,
            async_http_client=self.http_async_client,
            user_agent_suffix="langchain",
        )
        return self

    @model_validator(mode="wrap")
    @classmethod
    def _seal_api_key(cls, values: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        # Defined last, so it wraps every other validator and their errors see no clear key.
        return handler(seal_api_key(values))

    # LangChain plumbing

    def _combine_llm_outputs(self, llm_outputs: list[dict[str, Any] | None]) -> dict[str, Any]:
        return combine_llm_outputs(llm_outputs)

    @property
    def _llm_type(self) -> str:
        return "aihubmix-chat"

    @classmethod
    def is_lc_serializable(cls) -> bool:
        return True

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        return ["langchain_aihubmix", "chat_models"]

    @property
    def lc_secrets(self) -> dict[str, str]:
        return {"api_key": "AIHUBMIX_API_KEY"}

    @property
    def _default_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"model": self.model_name, "stream": self.streaming}
        for name in _SAMPLING_FIELDS:
            value = getattr(self, name)
            if value is not None:
                params[name] = value
        for name in ("max_tokens", "stop", "reasoning_effort", "reasoning", "extra_body"):
            value = getattr(self, name)
            if value is not None:
                params[name] = value
        return {**params, **self.model_kwargs}

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, **self._default_params}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider="aihubmix",
            ls_model_name=kwargs.get("model") or self.model_name,
            ls_model_type="chat",
        )
        temperature = kwargs.get("temperature", self.temperature)
        if temperature is not None:
            params["ls_temperature"] = temperature
        max_tokens = kwargs.get("max_tokens", self.max_tokens)
        if max_tokens is not None:
            params["ls_max_tokens"] = max_tokens
        stop = stop or kwargs.get("stop") or self.stop
        if stop:
            params["ls_stop"] = stop
        return params

    def _resolve_model_profile(self) -> ModelProfile | None:
        return model_profile(lookup_model(self.model_name))

    # requests

    def _request(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None,
        kwargs: dict[str, Any],
        *,
        stream: bool,
    ) -> ChatRequest:
        """Model settings, then per-call arguments, as one core request. Pure."""
        params: dict[str, Any] = {}
        for name in _SAMPLING_FIELDS:
            value = getattr(self, name)
            if value is not None:
                params[name] = value
        params.update(self.model_kwargs)
        stop = stop or kwargs.get("stop") or self.stop
        if stop:
            params["stop"] = stop
        for key, value in kwargs.items():
            if key not in _CALL_KEYS and key != "stop":
                params[key] = value
        tools = kwargs.get("tools")
        tool_choice = kwargs.get("tool_choice")
        response_format = kwargs.get("response_format")
        if (
            tools
            or tool_choice is not None
            or (response_format is not None and not isinstance(response_format, Mapping))
        ):
            from ._tools import format_tools, normalise_tool_choice, response_format_for

            tools = format_tools(tools) if tools else None
            tool_choice = normalise_tool_choice(tool_choice, tools or [])
            if response_format is not None:
                response_format = response_format_for(response_format)
        extra_body = self.extra_body
        if kwargs.get("extra_body"):
            extra_body = {**(extra_body or {}), **kwargs["extra_body"]}
        max_tokens = kwargs.get("max_tokens", kwargs.get("max_completion_tokens", self.max_tokens))
        return ChatRequest(
            model=kwargs.get("model") or self.model_name,
            messages=to_core_messages(messages),
            tools=tools,
            tool_choice=tool_choice,
            response_format=response_format,
            max_tokens=max_tokens,
            reasoning_effort=kwargs.get("reasoning_effort", self.reasoning_effort),
            reasoning=kwargs.get("reasoning", self.reasoning),
            params=params,
            extra_body=extra_body,
            disabled_params=self.disabled_params,
            include_usage=bool(kwargs.get("stream_usage", self.stream_usage)),
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        request = self._request(messages, stop, kwargs, stream=False)
        with translate_errors():
            result = self._client.chat(request)
        return result_to_chat_result(result, request.model)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        request = self._request(messages, stop, kwargs, stream=False)
        with translate_errors():
            result = await self._client.achat(request)
        return result_to_chat_result(result, request.model)

    def _stream_request(
        self, messages: list[BaseMessage], stop: list[str] | None, kwargs: dict[str, Any]
    ) -> ChatRequest:
        request = self._request(messages, stop, kwargs, stream=True)
        if (request.params.get("n") or 1) > 1:
            raise ValueError(
                "n must be 1 (or unset) when streaming; use invoke for several completions."
            )
        return request

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        request = self._stream_request(messages, stop, kwargs)
        with translate_errors():
            stream = self._client.stream_chat(request)
            for delta in stream:
                chunk = chunk_from_delta(delta)
                if chunk is not None:
                    yield chunk
        yield final_chunk(stream.result, request.model)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        request = self._stream_request(messages, stop, kwargs)
        with translate_errors():
            stream = self._client.astream_chat(request)
            async for delta in stream:
                chunk = chunk_from_delta(delta)
                if chunk is not None:
                    yield chunk
        yield final_chunk(stream.result, request.model)

    # tools and structured output

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
                call a tool), a tool name, or ``{"type": "function", "function":
                {"name": ...}}``. ``None``/``False`` leaves the choice to the model.
            strict: Ask for arguments that match each schema exactly (where supported).
            parallel_tool_calls: ``False`` asks for at most one call per turn.
            response_format: A schema for the final answer when no tool is called.
            kwargs: Other arguments bound to every call.
        """
        from ._tools import format_tools, normalise_tool_choice, response_format_for

        formatted = format_tools(tools, strict=strict)
        choice = normalise_tool_choice(tool_choice, formatted)
        if choice is not None:
            kwargs["tool_choice"] = choice
        if parallel_tool_calls is not None:
            kwargs["parallel_tool_calls"] = parallel_tool_calls
        if response_format is not None:
            if isinstance(response_format, Mapping) and isinstance(
                response_format.get("json_schema"), Mapping
            ):
                kwargs["response_format"] = dict(response_format)
            else:
                kwargs["response_format"] = response_format_for(response_format, strict=strict)
        return super().bind(tools=formatted, **kwargs)

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
