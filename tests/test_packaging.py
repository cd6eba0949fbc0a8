"""What a user installs: every importable package of the wheel is marked typed, so
``mypy --strict`` on the user's app type-checks calls into it instead of reporting
``import-untyped``."""

from __future__ import annotations

import re
from pathlib import Path

from testkit import ROOT


def _wheel_packages() -> list[str]:
    # tomllib is 3.11+; the wheel's package list is one line of pyproject.toml.
    text = (ROOT / "pyproject.toml").read_text()
    section = text.split("[tool.hatch.build.targets.wheel]", 1)[1]
    listed = re.search(r"packages\s*=\s*\[([^\]]*)\]", section)
    assert listed is not None
    return re.findall(r'"([^"]+)"', listed.group(1))


def _importable_dirs(package: str) -> list[Path]:
    """The package itself, or for the PEP 420 ``llama_index`` namespace each leaf that holds code."""
    top = ROOT / package
    if (top / "__init__.py").exists():
        return [top]
    return sorted(init.parent for init in top.rglob("__init__.py"))


def test_every_package_in_the_wheel_ships_py_typed() -> None:
    dirs = [d for package in _wheel_packages() for d in _importable_dirs(package)]
    assert len(dirs) >= 6  # the core, both adapters, the test kit, and the namespace leaves
    missing = [str(d.relative_to(ROOT)) for d in dirs if not (d / "py.typed").is_file()]
    assert missing == []
