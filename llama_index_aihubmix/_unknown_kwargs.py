"""Constructor keywords nobody declared: sent to the API, with a warning, never dropped."""

from __future__ import annotations

import warnings
from typing import Any

from pydantic import BaseModel

__all__ = ["route_unknown_kwargs"]


def route_unknown_kwargs(
    cls: type[BaseModel], kwargs: dict[str, Any], additional_kwargs: dict[str, Any] | None
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
