"""A ``ChatAIHubMix``'s settings and one call's keyword arguments as a core ``ChatRequest``.

Pure. Which keywords are request fields is the core's ``split_options``; what is left
here is LangChain's own: ``stop`` and ``stream_usage``, and the tool and
``response_format`` forms LangChain users pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any

from langchain_core.language_models import LangSmithParams
from langchain_core.messages import BaseMessage
from pydantic import BeforeValidator

from aihubmix_core import ChatRequest, split_options

from ._to_core import to_core_messages

if TYPE_CHECKING:
    from .chat_models import ChatAIHubMix

__all__ = [
    "SAMPLING_FIELDS",
    "StopArg",
    "build_request",
    "default_params",
    "langsmith_params",
]

SAMPLING_FIELDS = (
    "temperature",
    "top_p",
    "n",
    "seed",
    "frequency_penalty",
    "presence_penalty",
    "logprobs",
    "top_logprobs",
    "web_search_options",
)
"""Model fields sent as request parameters of the same name when set."""
_REQUEST_SETTINGS = ("max_tokens", "stop", "reasoning_effort", "reasoning", "extra_body", "route")
_DEFAULT_FIELDS = SAMPLING_FIELDS + _REQUEST_SETTINGS


def _stop_list(value: Any) -> Any:
    """One stop string as a list of one, as ``ChatOpenAI`` takes it."""
    return [value] if isinstance(value, str) else value


StopArg = Annotated[list[str] | None, BeforeValidator(_stop_list)]
"""Stop sequences: a string or a list of strings."""


def _stop(model: ChatAIHubMix, stop: Any, kwargs: Mapping[str, Any]) -> list[str] | None:
    """The call's stop sequences: the ``stop`` argument, else a bound ``stop``, else the
    model's. Only ``None`` falls through, so ``stop=[]`` sends none."""
    if stop is None:
        stop = kwargs.get("stop")
    return model.stop if stop is None else _stop_list(stop)


def _set(model: ChatAIHubMix, names: Sequence[str]) -> dict[str, Any]:
    return {name: value for name in names if (value := getattr(model, name)) is not None}


def default_params(model: ChatAIHubMix) -> dict[str, Any]:
    """What the model sends by default, for LangChain's tracing and caching keys (read
    by LangChain on every call)."""
    params: dict[str, Any] = {"model": model.model_name, "stream": model.streaming}
    for name in _DEFAULT_FIELDS:
        if (value := getattr(model, name)) is not None:
            params[name] = value
    params.update(model.model_kwargs)
    return params


def langsmith_params(
    model: ChatAIHubMix, stop: list[str] | None, kwargs: Mapping[str, Any]
) -> LangSmithParams:
    """What LangSmith shows of a call: the model and the main sampling settings."""
    params = LangSmithParams(
        ls_provider="aihubmix",
        ls_model_name=kwargs.get("model") or model.model_name,
        ls_model_type="chat",
    )
    temperature = kwargs.get("temperature", model.temperature)
    if temperature is not None:
        params["ls_temperature"] = temperature
    max_tokens = kwargs.get("max_tokens", model.max_tokens)
    if max_tokens is not None:
        params["ls_max_tokens"] = max_tokens
    stop = _stop(model, stop, kwargs)
    if stop:
        params["ls_stop"] = stop
    return params


def _tool_fields(fields: dict[str, Any]) -> None:
    """Tools, ``tool_choice`` and a schema ``response_format`` in the wire's forms."""
    tools = fields.get("tools")
    tool_choice = fields.get("tool_choice")
    response_format = fields.get("response_format")
    if not (
        tools
        or tool_choice is not None
        or (response_format is not None and not isinstance(response_format, Mapping))
    ):
        return
    from ._tools import format_tools, normalise_tool_choice, response_format_for

    fields["tools"] = format_tools(tools) if tools else None
    fields["tool_choice"] = normalise_tool_choice(tool_choice, fields["tools"] or [])
    if response_format is not None:
        fields["response_format"] = response_format_for(response_format)


def build_request(
    model: ChatAIHubMix,
    messages: Sequence[BaseMessage],
    stop: list[str] | None,
    kwargs: Mapping[str, Any],
    *,
    stream: bool,
) -> ChatRequest:
    """Model settings, then per-call arguments (which win), as one core request."""
    options = dict(kwargs)
    include_usage = bool(options.pop("stream_usage", model.stream_usage))
    stop = _stop(model, stop, options)
    options.pop("stop", None)
    fields, call_params = split_options(options)
    params = {**_set(model, SAMPLING_FIELDS), **model.model_kwargs}
    if stop:
        params["stop"] = stop
    params.update(call_params)
    if stream and (params.get("n") or 1) > 1:
        raise ValueError(
            "n must be 1 (or unset) when streaming; use invoke for several completions."
        )
    _tool_fields(fields)
    if fields.get("extra_body"):
        fields["extra_body"] = {**(model.extra_body or {}), **fields["extra_body"]}
    else:
        fields["extra_body"] = model.extra_body
    fields.setdefault("max_tokens", model.max_tokens)
    fields.setdefault("reasoning_effort", model.reasoning_effort)
    fields.setdefault("reasoning", model.reasoning)
    fields.setdefault("reasoning_history", model.reasoning_history)
    fields.setdefault("route", model.route)
    return ChatRequest(
        model=kwargs.get("model") or model.model_name,
        messages=to_core_messages(messages),
        params=params,
        disabled_params=model.disabled_params,
        include_usage=include_usage,
        **fields,
    )
