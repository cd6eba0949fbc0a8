"""``ChatAIHubMix``: LangChain's chat model interface over the shared AIHubMix core."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from langchain_core.language_models import LangSmithParams
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field, model_validator
from typing_extensions import Self

from aihubmix_core import ChatRequest, Route, lookup_model
from aihubmix_core.chat.reasoning_history import ReasoningHistory

from ._chat_request import StopArg, build_request, default_params, langsmith_params
from ._chat_tools import ToolCallingChatModel
from ._client_settings import ClientSettings
from ._errors import translate_errors
from ._from_core import (
    chunk_from_delta,
    combine_llm_outputs,
    final_chunk,
    result_to_chat_result,
)
from ._keywords import collect_model_kwargs
from ._profiles import model_profile
from ._token_counting import TokenCountingChatModel

if TYPE_CHECKING:
    from typing import TypeAlias

    from langchain_core.callbacks import (
        AsyncCallbackManagerForLLMRun,
        CallbackManagerForLLMRun,
    )
    from langchain_core.language_models import ModelProfile

    Messages: TypeAlias = list[BaseMessage]
    Stop: TypeAlias = list[str] | None
    SyncRun: TypeAlias = CallbackManagerForLLMRun | None
    AsyncRun: TypeAlias = AsyncCallbackManagerForLLMRun | None

__all__ = ["ChatAIHubMix"]

S = TypeVar("S")


class ChatAIHubMix(ClientSettings, TokenCountingChatModel, ToolCallingChatModel):
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
        stop: str | list[str] | None
            Stop sequences; ``stop=[]`` on a call sends none.
        stream_usage: bool
            Whether streams report token usage (on by default).
        logprobs: bool | None
            Return token log-probabilities (``top_logprobs`` for alternatives).
        reasoning_effort: str | None
            ``"low"``, ``"medium"``, ``"high"``, ... for reasoning models.
        reasoning_history: str | None
            Which earlier replies send their reasoning back: ``"never"``,
            ``"current_turn"``, ``"tool_turns"`` or ``"all"`` (by model family if unset).

    Key init args — client params:
        api_key: str | None
            AIHubMix key; read from ``AIHUBMIX_API_KEY`` when not given
            (``openai_api_key`` is taken too).
        base_url: str | None
            API base URL; ``AIHUBMIX_BASE_URL`` or ``https://aihubmix.com/v1``.
        timeout: float | tuple[float, float] | httpx.Timeout | None
            Seconds per request (default 600), a ``(connect, read)`` pair or an
            ``httpx.Timeout``; ``stream_idle_timeout`` bounds a silent stream.
        max_retries: int | None
            Retries for connection errors, 429 and 5xx (default 2).
        default_headers: dict[str, str] | None
            Headers added to every request.
        http_client: httpx.Client | None
            Your own client (proxies, transports); ``http_async_client`` for async.
        app_code: str | None
            Optional AIHubMix ``APP-Code`` attribution header; none is sent unless set.

        ChatOpenAI's names for these (``openai_api_key``, ``openai_api_base``,
        ``request_timeout``) work; its parameters with no use here are refused.

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
        a tool name, or OpenAI's object naming one. Provider fields on a call (Gemini 3's
        thought signature) are kept in ``additional_kwargs["tool_call_extras"]`` by call
        id and sent back with that call, as the upstream requires.

    Structured output:
        ```python
        class Joke(BaseModel):
            '''A joke to tell the user.'''

            setup: str
            punchline: str


        joke = model.with_structured_output(Joke).invoke("Tell me a joke about cats")
        # method="json_schema" uses native structured output where the model has it;
        # include_raw=True keeps the message.
        ```

    JSON mode:
        ```python
        json_model = model.bind(response_format={"type": "json_object"})
        reply = json_model.invoke("Return a JSON object with keys 'city' and 'country' for Paris.")
        reply.text  # '{"city": "Paris", "country": "France"}'
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
        or as OpenAI's own image part, with a URL or a ``data:`` URL.

    Reasoning:
        ```python
        thinker = ChatAIHubMix(model="deepseek-reasoner")
        reply = thinker.invoke("What is 17 * 23?")
        reply.additional_kwargs["reasoning_content"]  # the model's reasoning
        [b for b in reply.content_blocks if b["type"] == "reasoning"]
        ```

        Reasoning (with Claude's signed ``reasoning_details``) stays on the message and
        goes back as ``reasoning_history`` says: within tool loops by default.

    Token usage:
        ```python
        reply = model.invoke(messages)
        reply.usage_metadata
        # {"input_tokens": ..., "output_tokens": ..., "total_tokens": ...,
        #  "input_token_details": {"cache_read": ...}, "output_token_details": {"reasoning": ...}}
        ```

        Before a call, ``model.get_num_tokens_from_messages(messages)`` (and
        ``trim_messages(..., token_counter=model)``) estimates offline, for any model.

    Logprobs:
        ```python
        reply = model.bind(logprobs=True, top_logprobs=2).invoke(messages)
        reply.response_metadata["logprobs"]["content"][0]
        # {"token": ..., "logprob": ..., "top_logprobs": [...]}
        ```

    Response metadata:
        ```python
        reply.response_metadata
        # {"model_name": ..., "model_provider": "aihubmix", "finish_reason": "stop",
        #  "id": ..., "system_fingerprint": ...}
        ```

        ``id`` is the provider's reply id; ``reply.id`` is LangChain's run id, shared by
        every streamed chunk of the message.

    Routes:
        ``route="messages"`` (Claude's prompt caching) or ``"responses"`` (built-in tools);
        replies look the same on every route. See the "Routes" docs page.

    Errors:
        Failures raise classes that are both ``aihubmix_core`` errors and
        ``langchain_core.exceptions`` model errors, e.g. ``ModelRateLimitError`` or
        ``ContextOverflowError``; see ``langchain_aihubmix.AIHubMixRateLimitError``.
    """

    # hide_input_in_errors: a validation error must not echo the arguments, the key among them.
    model_config = ConfigDict(populate_by_name=True, hide_input_in_errors=True)

    model_name: str = Field(alias="model")
    """AIHubMix model id, e.g. ``"gpt-4o-mini"``."""
    temperature: float | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    """Maximum tokens to generate."""
    stop: StopArg = Field(default=None, alias="stop_sequences")
    """Default stop sequences (one string or a list); ``stop=[]`` on a call sends none."""
    streaming: bool = False
    """Whether ``invoke`` streams under the hood (for callbacks that want tokens)."""
    stream_usage: bool = True
    """Whether streams ask for and report token usage."""
    top_p: float | None = None
    seed: int | None = None
    """For repeatable sampling, where the upstream supports it."""
    n: int | None = Field(default=None, ge=1)
    """Number of completions per prompt."""
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    logprobs: bool | None = None
    """Token log-probabilities, in ``response_metadata["logprobs"]``."""
    top_logprobs: int | None = None
    reasoning_effort: str | None = None
    """``"none"``, ``"minimal"``, ``"low"``, ``"medium"``, ``"high"`` or ``"xhigh"``."""
    reasoning: dict[str, Any] | None = None
    """``{"effort": ...}`` or ``{"max_tokens": N}``; ``reasoning_effort`` wins if both are set."""
    reasoning_history: ReasoningHistory | None = None
    """Which earlier replies send their reasoning back: ``"never"``, ``"current_turn"``,
    ``"tool_turns"`` or ``"all"``; by model family when unset (DeepSeek and Claude
    ``"tool_turns"``, others ``"current_turn"``). See ``aihubmix_core.chat.reasoning_history``."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Other request parameters, sent as given."""
    extra_body: dict[str, Any] | None = None
    """Fields merged into the request body last (gateway- or upstream-specific options)."""
    disabled_params: dict[str, Any] | None = None
    """Parameters never to send: ``{name: None}`` drops always, ``{name: [values]}`` drops those values."""
    web_search_options: dict[str, Any] | None = None
    """Web search for search-capable models (``{}`` for the defaults); citations come back
    as ``citation`` blocks."""
    route: Route | None = None
    """``"chat"``, ``"responses"``, ``"messages"`` or ``"auto"``/``None`` (chat, except for
    models served only on the Responses API); a call may pass ``route=`` too."""

    @model_validator(mode="before")
    @classmethod
    def _collect_model_kwargs(cls, values: Any) -> Any:
        return collect_model_kwargs(cls, values)

    @model_validator(mode="after")
    def _check_streaming(self) -> Self:
        if self.streaming and self.n is not None and self.n > 1:
            raise ValueError("n must be 1 (or unset) when streaming=True.")
        return self

    @property
    def model(self) -> str:
        """The model id, ``model_name``, as ``ChatOpenAI`` reads it."""
        return self.model_name

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
        return default_params(self)

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, **self._default_params}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        return langsmith_params(self, stop, kwargs)

    def _resolve_model_profile(self) -> ModelProfile | None:
        return model_profile(lookup_model(self.model_name))

    # requests: the pure parts are shared, each twin only calls the client

    def _open(
        self, start: Callable[[ChatRequest], S], messages: Messages, stop: Stop, kwargs: Any
    ) -> tuple[S, str]:
        """A streamed call started: the stream, and the model asked for."""
        request = build_request(self, messages, stop, kwargs, stream=True)
        return start(request), request.model

    def _generate(
        self, messages: Messages, stop: Stop = None, run_manager: SyncRun = None, **kwargs: Any
    ) -> ChatResult:
        request = build_request(self, messages, stop, kwargs, stream=False)
        with translate_errors():
            result = self._client.chat(request)
        return result_to_chat_result(result, request.model)

    async def _agenerate(
        self, messages: Messages, stop: Stop = None, run_manager: AsyncRun = None, **kwargs: Any
    ) -> ChatResult:
        request = build_request(self, messages, stop, kwargs, stream=False)
        with translate_errors():
            result = await self._client.achat(request)
        return result_to_chat_result(result, request.model)

    def _stream(
        self, messages: Messages, stop: Stop = None, run_manager: SyncRun = None, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        with translate_errors():
            stream, model = self._open(self._client.stream_chat, messages, stop, kwargs)
            yield from filter(None, map(chunk_from_delta, stream))
        yield final_chunk(stream.result, model)

    async def _astream(
        self, messages: Messages, stop: Stop = None, run_manager: AsyncRun = None, **kwargs: Any
    ) -> AsyncIterator[ChatGenerationChunk]:
        with translate_errors():
            stream, model = self._open(self._client.astream_chat, messages, stop, kwargs)
            async for delta in stream:
                if (chunk := chunk_from_delta(delta)) is not None:
                    yield chunk
        yield final_chunk(stream.result, model)
