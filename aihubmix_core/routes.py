"""Which AIHubMix protocol a call uses, decided in one place.

- ``"chat"``: ``POST /chat/completions``, every model;
- ``"responses"``: ``POST /responses``, OpenAI's Responses API (built-in tools, encrypted
  reasoning; some OpenAI models are served only there);
- ``"messages"``: ``POST /messages``, Anthropic's Messages protocol for Claude (prompt
  caching with ``cache_control``, signed thinking);
- ``"auto"`` (the default): chat completions, except for the models that are served only
  on the Responses API.

AIHubMix's public catalog does not say which protocol serves a model, so the ids that
need the Responses API are the short list below (the ones other AIHubMix integrations
send there); ``resolve_route`` also takes the answer from a caller that knows better.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, get_args

from .errors import ConfigurationError

__all__ = ["RESPONSES_ONLY", "ROUTES", "Route", "RouteName", "resolve_route", "responses_only"]

RouteName = Literal["chat", "responses", "messages"]
Route = Literal["chat", "responses", "messages", "auto"]
ROUTES: tuple[str, ...] = get_args(Route)

RESPONSES_ONLY = re.compile(
    r"^(?:gpt-5(?:\.\d+)?-(?:pro|codex)|o\d+-pro|codex-|computer-use-|o\d+(?:-mini)?-deep-research)",
    re.IGNORECASE,
)
"""Model ids served only on ``/responses``: gpt-5-pro, gpt-5-codex (and their 5.x
versions), o1-pro, o3-pro, codex-mini, computer-use and the deep-research models."""


@lru_cache(maxsize=512)  # asked on every call; model ids repeat
def responses_only(model: str) -> bool:
    """Whether ``model`` is served only on the Responses API (a vendor prefix is ignored)."""
    return bool(RESPONSES_ONLY.match(model.strip().rsplit("/", 1)[-1]))


def resolve_route(
    route: str | None, model: str, *, needs_responses: bool | None = None
) -> RouteName:
    """The protocol for one call. ``needs_responses`` overrides the id list for ``auto``
    (a catalog that says where a model is served)."""
    if route in (None, "", "auto"):
        if needs_responses is None:
            needs_responses = responses_only(model)
        return "responses" if needs_responses else "chat"
    if route == "chat":
        return "chat"
    if route == "responses":
        return "responses"
    if route == "messages":
        return "messages"
    raise ConfigurationError(
        f"route must be one of {', '.join(repr(name) for name in ROUTES)}; got {route!r}"
    )
