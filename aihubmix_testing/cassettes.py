"""Record-and-replay rules for vcrpy cassettes of AIHubMix traffic.

Three sources, chosen by environment variables and never by a fixture default:

- replay (default, ``AIHUBMIX_RECORD_MODE`` unset or ``none``): cassettes only, network
  blocked, requests go to ``https://aihubmix.com/v1`` and are answered by vcrpy;
- emulator (``AIHUBMIX_RECORD_MODE=all``): the loopback emulator in
  :mod:`aihubmix_testing.emulator` answers and vcrpy records; URLs are rewritten to
  aihubmix.com before they are saved, so the cassettes replay against the default base URL;
- live (``AIHUBMIX_RECORD_MODE=all AIHUBMIX_CASSETTE_SOURCE=live`` with
  ``AIHUBMIX_API_KEY``): the real service answers.

Secret headers and key query parameters are never saved, and every cassette starts with a
comment naming its source. This module imports nothing outside the standard library until
:func:`recorder` or :class:`TaggedPersister` is used, and those need vcrpy.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPLAY_BASE_URL = "https://aihubmix.com/v1"
REPLAY_API_KEY = "replay-key-not-a-secret"
SECRET_HEADERS = ("authorization", "x-api-key", "api-key", "cookie", "set-cookie", "x-goog-api-key")
_LOOPBACK = re.compile(r"^http://(?:127\.0\.0\.1|localhost|\[::1\]):\d+")
_LOOPBACK_BYTES = re.compile(rb"http://(?:127\.0\.0\.1|localhost|\[::1\]):\d+")


def record_mode() -> str:
    """vcrpy's record mode, from ``AIHUBMIX_RECORD_MODE`` (``none``: replay only)."""
    return os.environ.get("AIHUBMIX_RECORD_MODE", "none")


def source() -> str:
    """'replay', 'emulator' or 'live'."""
    if record_mode() == "none":
        return "replay"
    return "live" if os.environ.get("AIHUBMIX_CASSETTE_SOURCE") == "live" else "emulator"


def source_note() -> str:
    """The comment lines written at the top of a cassette recorded now."""
    if source() == "live":
        return "# source: live AIHubMix service (https://aihubmix.com/v1), recorded with `make record`\n"
    return (
        "# source: loopback AIHubMix emulator (aihubmix_testing/emulator), replies built in the shapes of the\n"
        "# real provider captures in tests/data/wire-captures (see PROVENANCE.md there); the Responses and\n"
        "# Messages routes follow the object shapes and event grammars of OpenAI's and Anthropic's API references\n"
    )


@contextmanager
def endpoint() -> Iterator[tuple[str, str]]:
    """``(base_url, api_key)`` for the current source, for the block.

    Replay gets the URL and the placeholder key the cassettes were saved with; recording
    from the emulator starts one on 127.0.0.1 for the block; live needs ``AIHUBMIX_API_KEY``
    (``LookupError`` without it) and honours ``AIHUBMIX_BASE_URL``.
    """
    current = source()
    if current == "replay":
        yield REPLAY_BASE_URL, REPLAY_API_KEY
    elif current == "live":
        key = os.environ.get("AIHUBMIX_API_KEY")
        if not key:
            raise LookupError("recording from the live service needs AIHUBMIX_API_KEY")
        yield os.environ.get("AIHUBMIX_BASE_URL", REPLAY_BASE_URL), key
    else:
        from .emulator import serve_in_thread

        with serve_in_thread() as base_url:
            yield base_url, REPLAY_API_KEY


def normalise_request(request: Any) -> Any:
    """Loopback emulator URLs become aihubmix.com, so replay matches what was recorded."""
    request.uri = _LOOPBACK.sub("https://aihubmix.com", request.uri)
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Drop secret headers from a response before it is saved, and point loopback URLs in
    a JSON body (result and polling URLs from the emulator) at aihubmix.com, as requests are."""
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_HEADERS:
            del headers[name]
    body = response.get("body") or {}
    content = body.get("string")
    kind = " ".join(str(v) for k, v in headers.items() if k.lower() == "content-type")
    if isinstance(content, bytes) and "json" in kind and _LOOPBACK_BYTES.search(content):
        body["string"] = _LOOPBACK_BYTES.sub(b"https://aihubmix.com", content)
        for name in headers:
            if name.lower() == "content-length":
                headers[name] = [str(len(body["string"]))]
    return response


def _normalised(value: Any) -> Any:
    """JSON with the white space inside descriptions folded: Python 3.13 dedents docstrings,
    so a tool described by one says the same thing with other indentation."""
    if isinstance(value, dict):
        return {
            k: " ".join(v.split()) if k == "description" and isinstance(v, str) else _normalised(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    return value


def _without_boundary(body: bytes) -> bytes:
    """A multipart body with its random boundary replaced by a fixed word."""
    if not body.startswith(b"--"):
        return body
    boundary = body[2 : body.find(b"\r\n")]
    return body.replace(boundary, b"BOUNDARY") if boundary else body


def json_body_matcher(r1: Any, r2: Any) -> None:
    """Bodies match when they are the same JSON (key order and description indentation
    aside), the same multipart form (whatever its boundary) or the same bytes."""
    b1, b2 = r1.body or b"", r2.body or b""
    if b1 == b2:
        return
    try:
        same = _normalised(json.loads(b1)) == _normalised(json.loads(b2))
    except ValueError:
        same = _without_boundary(b1) == _without_boundary(b2)
    if not same:
        raise AssertionError(f"request bodies differ:\n  {b1[:300]!r}\n  {b2[:300]!r}")


class TaggedPersister:
    """Filesystem persister that writes the source comment at the top of each cassette.

    Loading is vcrpy's own: the YAML reader skips the comment lines.
    """

    @classmethod
    def load_cassette(cls, cassette_path: str, serializer: Any) -> Any:
        from vcr.persisters.filesystem import FilesystemPersister

        return FilesystemPersister.load_cassette(cassette_path, serializer)

    @staticmethod
    def save_cassette(cassette_path: str, cassette_dict: Any, serializer: Any) -> None:
        from vcr.serialize import serialize

        path = Path(cassette_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source_note() + serialize(cassette_dict, serializer))


def vcr_config() -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR`` or ``use_cassette`` (pytest-recording's ``vcr_config``)."""
    return {
        "record_mode": record_mode(),
        "filter_headers": list(SECRET_HEADERS),
        "filter_query_parameters": ["key", "api_key"],
        "before_record_request": normalise_request,
        "before_record_response": scrub_response,
        "match_on": ["method", "scheme", "host", "port", "path", "query", "json_body"],
        "decode_compressed_response": True,
    }


def register(vcr: Any) -> Any:
    """Teach a ``vcr.VCR`` the ``json_body`` matcher and the tagged persister; returns it."""
    vcr.register_matcher("json_body", json_body_matcher)
    vcr.register_persister(TaggedPersister)
    return vcr


def recorder(**config: Any) -> Any:
    """A ``vcr.VCR`` with these rules registered (``config`` goes to its constructor)."""
    import vcr

    return register(vcr.VCR(**config))
