"""Build LlamaIndex's pydantic response types without validation, on the stream hot path.

``model_construct`` still costs microseconds per object (defaults, field bookkeeping); a
stream builds three objects per chunk. When every field is given and the class has no
private attributes or extras, setting the instance state directly gives the same object.
Anything else falls back to ``model_construct``, so a framework upgrade cannot break it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["build"]

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__
_plain: dict[type[BaseModel], frozenset[str] | None] = {}


def _fields(cls: type[BaseModel]) -> frozenset[str] | None:
    if cls not in _plain:
        simple = not cls.__private_attributes__ and cls.model_config.get("extra") != "allow"
        _plain[cls] = frozenset(cls.model_fields) if simple else None
    return _plain[cls]


def build(cls: type[M], values: dict[str, Any]) -> M:
    """An instance of ``cls`` holding ``values`` (trusted, already the right types)."""
    fields = _fields(cls)
    if fields is None or values.keys() != fields:
        return cls.model_construct(**values)
    instance = _new(cls)
    _set(instance, "__dict__", values)
    _set(instance, "__pydantic_fields_set__", set(values))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance
