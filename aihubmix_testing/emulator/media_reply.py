"""One reply of the emulator's media routes: status, body bytes and content type."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["MediaReply"]


@dataclass
class MediaReply:
    status: int
    body: bytes
    content_type: str = "application/json"
    chunked: bool = False
    """Sent in pieces with chunked transfer encoding (speech, for streamed playback)."""

    @classmethod
    def json(cls, body: Any, status: int = 200) -> MediaReply:
        return cls(status, json.dumps(body, ensure_ascii=False).encode())
