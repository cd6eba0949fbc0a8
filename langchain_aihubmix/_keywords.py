"""Constructor keywords the classes do not declare, the ones ``ChatOpenAI`` and
``OpenAIEmbeddings`` users bring above all.

A ChatOpenAI name for one of our settings is taken as that setting; a ChatOpenAI name
with no use here is refused with what to do instead; a keyword named like a key, token
or secret is refused without its value; anything else is a request field, moved to
``model_kwargs`` with a warning (as LangChain's OpenAI-compatible models do).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import langchain_core
import pydantic
from pydantic import BaseModel

from aihubmix_core.secret_names import refuse_secret_names

__all__ = ["NO_EQUIVALENT", "OPENAI_NAMES", "collect_model_kwargs", "rename_openai_keywords"]

OPENAI_NAMES = {
    "openai_api_key": "api_key",
    "openai_api_base": "base_url",
    "request_timeout": "timeout",
    "stream_chunk_timeout": "stream_idle_timeout",
    "max_completion_tokens": "max_tokens",
}
"""ChatOpenAI / OpenAIEmbeddings names of settings these classes have under another name
(``model``, ``max_retries``, ``default_headers``, ``http_client``, ... are the same)."""

_NO_ORGANIZATIONS = "no equivalent: AIHubMix has no organizations, the key alone picks the account"
_ONE_VERSION = "no equivalent: AIHubMix serves one API version"
_NO_TIKTOKEN = (
    "no equivalent: texts are sent as they are, and get_num_tokens_from_messages "
    "estimates without a tokenizer download"
)
_HTTPX = "pass your own http_client=httpx.Client(...) (and http_async_client=) instead"
NO_EQUIVALENT = {
    "organization": _NO_ORGANIZATIONS,
    "openai_organization": _NO_ORGANIZATIONS,
    "openai_proxy": "pass http_client=httpx.Client(proxy=...) and http_async_client="
    "httpx.AsyncClient(proxy=...), or set HTTPS_PROXY",
    "default_query": "no equivalent: AIHubMix takes no query parameters; send gateway "
    "options as request fields in extra_body",
    "include_response_headers": "no equivalent: the gateway's request id is in "
    "response_metadata['request_id']",
    "http_socket_options": _HTTPX,
    "client": _HTTPX,
    "async_client": _HTTPX,
    "tiktoken_model_name": _NO_TIKTOKEN,
    "tiktoken_enabled": _NO_TIKTOKEN,
    "embedding_ctx_length": _NO_TIKTOKEN,
    "check_embedding_ctx_length": _NO_TIKTOKEN,
    "use_previous_response_id": "no equivalent: each call sends the whole conversation",
    "api_version": _ONE_VERSION,
    "openai_api_version": _ONE_VERSION,
    "openai_api_type": _ONE_VERSION,
    "azure_endpoint": "give AIHubMix's URL as base_url (the default needs none)",
    "azure_deployment": "give the AIHubMix model id as model",
    "deployment": "give the AIHubMix model id as model",
    "retry_min_seconds": "no equivalent: retries back off from 0.5 s to 8 s, or as "
    "Retry-After asks; set max_retries",
    "retry_max_seconds": "no equivalent: retries back off from 0.5 s to 8 s, or as "
    "Retry-After asks; set max_retries",
}
"""ChatOpenAI / OpenAIEmbeddings parameters with no meaning here, and what to do instead."""

_INTERNAL = tuple(
    str(Path(path).parent)
    for path in (pydantic.__file__ or "", langchain_core.__file__ or "", __file__)
)
"""Frames in these folders are not the caller's: pydantic's, LangChain's, this package's."""


def _declared(cls: type[BaseModel]) -> set[str]:
    names = set(cls.model_fields)
    return names | {field.alias for field in cls.model_fields.values() if field.alias}


def rename_openai_keywords(cls: type[BaseModel], values: Any) -> Any:
    """ChatOpenAI's names as ours; ChatOpenAI names with no use here, and secret-looking
    keywords, refused. Runs before anything records the arguments (the key among them)."""
    if not isinstance(values, dict):
        return values
    declared = _declared(cls)
    renamed = dict(values)
    for name, ours in OPENAI_NAMES.items():
        if name in renamed and name not in declared and ours in declared:
            if ours in renamed:
                raise ValueError(f"{cls.__name__} got both {name} and {ours}; give it once.")
            renamed[ours] = renamed.pop(name)
    if "use_responses_api" in renamed and "use_responses_api" not in declared:
        _responses_api_as_route(cls, renamed)
    for name in renamed:
        if name in declared:
            continue
        if name in NO_EQUIVALENT:
            raise ValueError(
                f"{cls.__name__} does not take {name!r} (a ChatOpenAI parameter): "
                f"{NO_EQUIVALENT[name]}."
            )
        refuse_secret_names([name], cls.__name__)
    for field in ("model_kwargs", "extra_body"):
        if isinstance(renamed.get(field), Mapping):
            refuse_secret_names(renamed[field], f"{cls.__name__}'s {field}")
    return renamed


def _responses_api_as_route(cls: type[BaseModel], values: dict[str, Any]) -> None:
    """ChatOpenAI's ``use_responses_api`` as our ``route``: True is ``"responses"``, False
    ``"chat"``, None the default (``"auto"``)."""
    wanted = values.pop("use_responses_api")
    if wanted is None:
        return
    route = "responses" if wanted else "chat"
    given = values.get("route")
    if given not in (None, "auto", route):
        raise ValueError(
            f"{cls.__name__} got use_responses_api={wanted!r} and route={given!r}; "
            'give route alone ("chat", "responses", "messages" or "auto").'
        )
    values["route"] = route


def _caller_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the line that built the object."""
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_INTERNAL):
        frame, level = frame.f_back, level + 1
    return level


def collect_model_kwargs(cls: type[BaseModel], values: Any) -> Any:
    """Unknown arguments become ``model_kwargs`` (with a warning), so provider-specific
    options still reach the API."""
    if not isinstance(values, dict):
        return values
    known = _declared(cls)
    extra = dict(values.get("model_kwargs") or {})
    for name in [key for key in values if key not in known]:
        if name in extra:
            raise ValueError(f"{name} was given both directly and in model_kwargs; give it once.")
        warnings.warn(
            f"{name!r} is not a {cls.__name__} parameter; it was moved to model_kwargs and "
            "will be sent in the request body as given.",
            UserWarning,
            stacklevel=_caller_stacklevel(),
        )
        extra[name] = values.pop(name)
    clash = sorted(name for name in extra if name in known)
    if clash:
        raise ValueError(
            f"{', '.join(clash)} must be given as {cls.__name__} parameters, not in model_kwargs."
        )
    if extra or "model_kwargs" in values:
        values = {**values, "model_kwargs": extra}
    return values
