"""Cassette machinery shared by every test that talks to "AIHubMix".

Three sources, chosen by environment variables and never by a fixture default:

- replay (default, ``AIHUBMIX_RECORD_MODE`` unset or ``none``): cassettes only, network
  blocked, requests go to ``https://aihubmix.com/v1`` and are answered by vcrpy;
- emulator (``AIHUBMIX_RECORD_MODE=all``): the loopback emulator in ``tests/emulator``
  answers and vcrpy records; URLs are rewritten to aihubmix.com before they are saved;
- live (``AIHUBMIX_RECORD_MODE=all AIHUBMIX_CASSETTE_SOURCE=live`` with
  ``AIHUBMIX_API_KEY``, which ``make record`` sets): the real service answers.

Every cassette starts with a comment naming its source.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
REPLAY_BASE_URL = "https://aihubmix.com/v1"
REPLAY_API_KEY = "replay-key-not-a-secret"
SECRET_HEADERS = ("authorization", "x-api-key", "api-key", "cookie", "set-cookie", "x-goog-api-key")
_LOOPBACK = re.compile(r"^http://(?:127\.0\.0\.1|localhost|\[::1\]):\d+")


def record_mode() -> str:
    return os.environ.get("AIHUBMIX_RECORD_MODE", "none")


def source() -> str:
    """'replay', 'emulator' or 'live'."""
    if record_mode() == "none":
        return "replay"
    return "live" if os.environ.get("AIHUBMIX_CASSETTE_SOURCE") == "live" else "emulator"


def source_note() -> str:
    if source() == "live":
        return "# source: live AIHubMix service (https://aihubmix.com/v1), recorded with `make record`\n"
    return (
        "# source: loopback AIHubMix emulator (tests/emulator), replies built in the shapes of the\n"
        "# real provider captures in tests/data/wire-captures (see PROVENANCE.md there)\n"
    )


def normalise_request(request: Any) -> Any:
    """Loopback emulator URLs become aihubmix.com, so replay matches what was recorded."""
    request.uri = _LOOPBACK.sub("https://aihubmix.com", request.uri)
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_HEADERS:
            del headers[name]
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


def json_body_matcher(r1: Any, r2: Any) -> None:
    """Bodies match when they are the same JSON (key order and description indentation
    aside) or the same bytes."""
    b1, b2 = r1.body or b"", r2.body or b""
    if b1 == b2:
        return
    try:
        same = _normalised(json.loads(b1)) == _normalised(json.loads(b2))
    except ValueError:
        same = False
    if not same:
        raise AssertionError(f"request bodies differ:\n  {b1[:300]!r}\n  {b2[:300]!r}")


class TaggedPersister:
    """Filesystem persister that writes the source comment at the top of each cassette."""

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
    return {
        "record_mode": record_mode(),
        "filter_headers": list(SECRET_HEADERS),
        "filter_query_parameters": ["key", "api_key"],
        "before_record_request": normalise_request,
        "before_record_response": scrub_response,
        "match_on": ["method", "scheme", "host", "port", "path", "query", "json_body"],
        "decode_compressed_response": True,
    }


def cassette_dir(test_file: Path) -> str:
    """cassettes/<folder under tests>/<module name without test_>/"""
    relative = test_file.resolve().relative_to(ROOT / "tests")
    stem = relative.stem.removeprefix("test_")
    return str(CASSETTES / relative.parent / stem)
