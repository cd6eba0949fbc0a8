"""What a leaked credential looks like in text: shared by the secret tests."""

from __future__ import annotations

import re

KEY_SHAPES = {
    "bearer token": re.compile(r"\bBearer\s+[A-Za-z0-9._~+/=-]{8,}"),
    "sk- key": re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"),
    "auth header": re.compile(
        r"^\s*-?\s*['\"]?(?:authorization|x-api-key|api-key|x-goog-api-key)['\"]?\s*:",
        re.IGNORECASE | re.MULTILINE,
    ),
    "key in a URL": re.compile(r"[?&](?:key|api_key|apikey)=[^&\s'\"]{8,}", re.IGNORECASE),
}


def key_shaped(text: str) -> list[str]:
    """Every match of a credential shape, labelled, e.g. ``["bearer token: Bearer sk-..."]``."""
    return [
        f"{label}: {match.group(0).strip()[:40]}"
        for label, pattern in KEY_SHAPES.items()
        for match in pattern.finditer(text)
    ]
