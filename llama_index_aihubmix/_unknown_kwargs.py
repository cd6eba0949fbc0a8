"""Constructor keywords the classes do not declare, the ones OpenAI / OpenAILike users
bring above all.

``model_name`` is the LLM's ``model`` and ``model`` the embedding's ``model_name``;
OpenAILike's request options (``logprobs``, ...) join ``additional_kwargs``; its names
with no use here are refused with what to do instead. Nothing overrides what the client
sets (model, messages, ``stream``, the URL, the key), a keyword named like a key, token
or secret is refused without its value, and the rest is sent to the API, with a warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from aihubmix_core import ConfigurationError
from aihubmix_core.secret_names import refuse_secret_names

__all__ = ["check_openai_like_names", "route_unknown_kwargs"]

_MODEL_NAMES = {"model_name": "model", "model": "model_name"}
"""The model's other name, taken when the class declares only one of the two."""
_REQUEST_OPTIONS = {
    "logprobs": "logprobs",
    "top_logprobs": "top_logprobs",
    "modalities": "modalities",
    "audio_config": "audio",
}
"""OpenAI(-Like) constructor options that are request fields, by their wire names."""
_NO_USE = {
    "api_version": "no equivalent: AIHubMix serves one API version",
    "api_type": "no equivalent: AIHubMix serves one API version",
    "tokenizer": "no equivalent: max_tokens is not inferred from a tokenizer; set max_tokens=",
    "should_use_structured_outputs": "no equivalent: structured output uses tool calling; "
    "for a JSON schema, pass response_format in additional_kwargs",
    "openai_client": "pass an httpx client as http_client= (and async_http_client=)",
    "async_openai_client": "pass an httpx client as http_client= (and async_http_client=)",
    "azure_endpoint": "give AIHubMix's URL as api_base (the default needs none)",
    "deployment_name": "give the AIHubMix model id",
    "engine": "give the AIHubMix model id",
}
_CLIENT_ONLY = frozenset({"api_key", "base_url", "http_client", "async_http_client"})
"""Keywords ``open_client`` takes for the client, not fields of the class."""
_SET_BY_CLIENT = {
    "model": "the model is the class's model (model_name for embeddings)",
    "model_name": "the model is the class's model (model_name for embeddings)",
    "messages": "the messages are each call's",
    "input": "the input is the texts each call embeds",
    "stream": "streaming is chosen by the method called (stream_chat, astream_complete, ...)",
    "stream_options": "streams always ask for usage",
    "api_base": "the URL is api_base=",
    "base_url": "the URL is api_base=",
    "url": "the URL is api_base=",
}


def _refuse_set_by_client(names: Any, owner: str) -> None:
    for name in names:
        if name in _SET_BY_CLIENT:
            raise ConfigurationError(f"{name!r} cannot be set in {owner}: {_SET_BY_CLIENT[name]}.")


def check_openai_like_names(cls: type[BaseModel], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The keywords with the model under the class's name and OpenAILike's request
    options in ``additional_kwargs``; what must not pass refused with a clear error."""
    fields = cls.model_fields
    settings = dict(kwargs)
    for name, ours in _MODEL_NAMES.items():
        if name in settings and name not in fields and ours in fields:
            if settings.get(ours) not in (None, settings[name]):
                raise ConfigurationError(f"give the model once, as {ours} or {name}, not both")
            settings[ours] = settings.pop(name)
    extra = dict(settings.get("additional_kwargs") or {})
    for name, wire in _REQUEST_OPTIONS.items():
        if name in settings and name not in fields:
            extra[wire] = settings.pop(name)
    for name in settings:
        if name in _NO_USE and name not in fields:
            raise ConfigurationError(
                f"{cls.__name__} does not take {name!r} (an OpenAI parameter): {_NO_USE[name]}."
            )
    unknown = [name for name in settings if name not in fields and name not in _CLIENT_ONLY]
    refuse_secret_names(unknown, cls.__name__)
    _refuse_set_by_client(unknown, cls.__name__)
    refuse_secret_names(extra, f"{cls.__name__}'s additional_kwargs")
    _refuse_set_by_client(extra, "additional_kwargs")
    if extra or "additional_kwargs" in settings:
        settings["additional_kwargs"] = extra
    return settings


def route_unknown_kwargs(
    cls: type[BaseModel], kwargs: dict[str, Any], additional_kwargs: Mapping[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split ``kwargs`` into the class's own fields and the rest; the rest joins
    ``additional_kwargs`` (sent in every request body) with a warning naming them."""
    known = {key: value for key, value in kwargs.items() if key in cls.model_fields}
    unknown = {key: value for key, value in kwargs.items() if key not in cls.model_fields}
    extra = dict(additional_kwargs or {})
    if unknown:
        warnings.warn(
            f"{cls.__name__} got unknown parameter(s) {sorted(unknown)}; they will be sent to the "
            "API in every request body. Pass them in additional_kwargs={...} to say so explicitly.",
            UserWarning,
            stacklevel=4,
        )
        extra.update(unknown)
    return known, extra
