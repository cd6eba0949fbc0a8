"""Keep the key out of validation errors: wrap it before pydantic sees the arguments."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

__all__ = ["seal_api_key"]


def seal_api_key(values: Any) -> Any:
    """The arguments with ``api_key`` as a ``SecretStr``; pydantic records the input it
    validated in every error (``errors()[i]["input"]``), so a clear key would end up there."""
    if isinstance(values, dict) and isinstance(values.get("api_key"), str):
        return {**values, "api_key": SecretStr(values["api_key"])}
    return values
