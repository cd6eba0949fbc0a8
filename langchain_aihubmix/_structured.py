"""``with_structured_output``: a bound model and the parser that matches the chosen method.

- ``function_calling``: the schema becomes the one tool the model must call; works on
  every tool-capable model behind the gateway.
- ``json_schema``: ``response_format={"type": "json_schema", ...}``; native structured
  output where the upstream supports it.
- ``json_mode``: ``response_format={"type": "json_object"}``; the prompt must describe
  the keys.

All parsers are LangChain's cumulative ones, so streaming yields growing partial objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.output_parsers.openai_tools import (
    JsonOutputKeyToolsParser,
    PydanticToolsParser,
)
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_core.utils.pydantic import is_basemodel_subclass

from aihubmix_core import tool_name

from ._tools import response_format_for

if TYPE_CHECKING:
    from langchain_core.language_models import LanguageModelInput
    from langchain_core.language_models.chat_models import BaseChatModel

__all__ = ["Method", "structured_runnable"]

Method = Literal["function_calling", "json_schema", "json_mode"]
_METHODS = ("function_calling", "json_schema", "json_mode")


def _is_pydantic_class(schema: Any) -> bool:
    return isinstance(schema, type) and is_basemodel_subclass(schema)


def _with_raw(
    llm: Runnable[LanguageModelInput, Any], parser: Runnable[Any, Any]
) -> Runnable[LanguageModelInput, Any]:
    """``{"raw", "parsed", "parsing_error"}``: a parsing failure is reported, not raised."""
    parse = RunnablePassthrough.assign(
        parsed=itemgetter("raw") | parser, parsing_error=lambda _: None
    )
    fallback = RunnablePassthrough.assign(parsed=lambda _: None)
    return RunnableMap(raw=llm) | parse.with_fallbacks([fallback], exception_key="parsing_error")


def structured_runnable(
    model: BaseChatModel,
    schema: Mapping[str, Any] | type | None,
    *,
    method: Method,
    include_raw: bool,
    strict: bool | None,
    **kwargs: Any,
) -> Runnable[LanguageModelInput, Any]:
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(_METHODS)}; got {method!r}.")
    if method == "json_mode" and strict is not None:
        raise ValueError("strict has no meaning with method='json_mode'; leave it unset.")
    if schema is None and method != "json_mode":
        raise ValueError(
            f"method={method!r} needs a schema (a Pydantic class, TypedDict or JSON schema); "
            "only method='json_mode' works without one."
        )
    pydantic = _is_pydantic_class(schema)
    parser: Runnable[Any, Any]
    if method == "function_calling":
        assert schema is not None
        name = tool_name(convert_to_openai_tool(schema)) or ""
        llm = model.bind_tools(
            [schema],  # type: ignore[list-item]
            tool_choice=name,
            strict=strict,
            parallel_tool_calls=False,
            ls_structured_output_format={
                "kwargs": {"method": method, "strict": strict},
                "schema": schema,
            },
            **kwargs,
        )
        parser = (
            PydanticToolsParser(tools=[schema], first_tool_only=True)  # type: ignore[list-item]
            if pydantic
            else JsonOutputKeyToolsParser(key_name=name, first_tool_only=True)
        )
    else:
        response_format = (
            {"type": "json_object"}
            if method == "json_mode"
            else response_format_for(schema, strict=strict)  # type: ignore[arg-type]
        )
        llm = model.bind(
            response_format=response_format,
            ls_structured_output_format={
                "kwargs": {"method": method, "strict": strict},
                "schema": schema,
            },
            **kwargs,
        )
        parser = (
            PydanticOutputParser(pydantic_object=schema)  # type: ignore[arg-type]
            if pydantic
            else JsonOutputParser()
        )
    if include_raw:
        return _with_raw(llm, parser)
    return llm | parser
