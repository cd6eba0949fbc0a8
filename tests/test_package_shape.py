"""The shape the code keeps: the core owns every OpenAI wire key, and no module grows
past what a reader takes in at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("aihubmix_core", "langchain_aihubmix", "llama_index_aihubmix")
WIRE_KEYS = re.compile(r'"(?:image_url|input_audio|tool_calls|function)"')


def _modules(*packages: str) -> list[Path]:
    return sorted(path for name in packages for path in (ROOT / name).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("langchain_aihubmix", "llama_index_aihubmix"), ids=str)
def test_adapters_write_no_openai_wire_keys(path: Path) -> None:
    # The adapters build and read core types; the wire shapes live in aihubmix_core.
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if WIRE_KEYS.search(line)
    ]
    assert not found, "OpenAI wire keys belong in aihubmix_core:\n" + "\n".join(found)


@pytest.mark.parametrize("path", _modules(*PACKAGES), ids=str)
def test_no_module_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= 400, f"{path.relative_to(ROOT)} has {lines} lines; split it by what it holds"


FRAMEWORK_IMPORT = re.compile(r"^\s*(?:from|import)\s+(?:langchain|llama_index)\w*")


def test_core_tests_import_no_framework() -> None:
    # tests/core also runs alone, with only the core's own dependencies installed
    # (make test-lowest); a framework import there fails that run, not this one.
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "tests" / "core").rglob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if FRAMEWORK_IMPORT.match(line)
    ]
    assert not found, "tests/core must run without the frameworks:\n" + "\n".join(found)
