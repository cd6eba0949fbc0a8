"""Names that look like a key, token or secret: such a keyword is never sent in a request
body, whatever path it took to get there (a constructor keyword, ``model_kwargs``, extra
body fields, a call's keywords). Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .errors import ConfigurationError

__all__ = ["looks_secret", "refuse_secret_names", "secret_name_error"]

# Whole words (between non-letters, after camelCase is split), so ``max_tokens`` and
# ``tokenizer`` are not secrets while ``access_token`` and ``client_secret`` are.
_SECRET = re.compile(
    r"api_?key|private_key|(?:^|[^a-z])"
    r"(?:token|secret|password|passwd|credentials?|authorization|bearer)(?:$|[^a-z])"
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=2048)  # every request's field names are checked; they repeat
def looks_secret(name: str) -> bool:
    """Whether a keyword names a key, token or secret (``*_api_key``, ``*token*``,
    ``*secret*``, ``password``, ...); counts of tokens (``max_tokens``) do not."""
    return bool(_SECRET.search(_CAMEL.sub("_", name).lower().replace("-", "_")))


def secret_name_error(name: str, owner: str) -> ConfigurationError:
    """The error for a secret-looking keyword: its name, never its value."""
    return ConfigurationError(
        f"{owner} does not take {name!r}: a keyword that names a key, token or secret is "
        "never sent in a request. Give the AIHubMix key as api_key= (or set "
        "AIHUBMIX_API_KEY); other providers' keys are not needed, AIHubMix holds them."
    )


def refuse_secret_names(names: Iterable[str], owner: str) -> None:
    """Raise ``secret_name_error`` for the first secret-looking name."""
    for name in names:
        if isinstance(name, str) and looks_secret(name):
            raise secret_name_error(name, owner)
