"""Every ```python block in README.md and docs/*.md runs, in order, against a cassette.

One namespace and one cassette (cassettes/docs/<file stem>.yaml) per file, so a page
reads top to bottom like a session. Blocks that must not run are written as ```bash.
An example may start its own loopback emulator or fault gateway: calls to it are real,
neither recorded nor replayed.
Re-record with ``AIHUBMIX_RECORD_MODE=all .venv/bin/pytest tests/docs -p no:cacheprovider``.
"""

from __future__ import annotations

import re
import sys
import textwrap
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import testkit

from aihubmix_testing import cassettes

ROOT = testkit.ROOT
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
_ANY_FENCE = re.compile(r"^```(\w*)", re.M)
# Examples that fake the gateway with httpx.MockTransport use this host; vcrpy would
# otherwise record and replay the fake's answers instead of calling it.
FAKE_GATEWAY_HOST = "fake-gateway.test"
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    code: str

    @property
    def label(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def python_blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    return [
        Block(path, text.count("\n", 0, match.start()) + 2, textwrap.dedent(match.group(1)))
        for match in _FENCE.finditer(text)
    ]


def _files_with_code() -> list[Path]:
    return [path for path in DOC_FILES if python_blocks(path)]


def _failing_line(block: Block, error: BaseException) -> str:
    """``file:line`` of the failing statement in the Markdown file, not in the block."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == block.label]
    if not frames or frames[-1].lineno is None:
        return block.label
    return f"{block.path.relative_to(ROOT)}:{block.line + frames[-1].lineno - 1}"


def _examples_own_servers_pass_through(endpoint: str) -> Callable[[Any], Any]:
    """vcrpy's ``before_record_request`` for the pages: a loopback server an example starts
    itself (the emulator, the fault gateway of aihubmix_testing) is called for real, neither
    recorded nor replayed; every other request, the recording emulator's included, goes
    through the cassette rules."""
    recording = urlsplit(endpoint)

    def before(request: Any) -> Any:
        target = urlsplit(request.uri)
        # The port tells the servers apart: the emulator names itself both 127.0.0.1 and
        # localhost (its result files are "on another host", as a CDN would be).
        if target.hostname in _LOOPBACK_HOSTS and target.port != recording.port:
            return None
        return cassettes.normalise_request(request)

    return before


@pytest.fixture(autouse=True)
def _restore_llama_index_settings() -> Iterator[None]:
    """Pages may set LlamaIndex's global ``Settings``; later tests must not inherit them."""
    from llama_index.core import Settings

    saved = dict(vars(Settings))
    yield
    vars(Settings).clear()
    vars(Settings).update(saved)


def test_the_docs_have_examples_to_run() -> None:
    """The collector finds the blocks: a broken fence pattern must not pass as 'nothing to run'."""
    names = {path.name for path in _files_with_code()}
    for page in (
        "README.md",
        "quickstart-langchain.md",
        "quickstart-llamaindex.md",
        "configuration.md",
        "models.md",
        "errors.md",
        "routes.md",
        "testing.md",
    ):
        assert page in names, f"{page} has no ```python block to run"


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.name)
def test_code_fences_are_python_or_explicitly_not_run(path: Path) -> None:
    """A ```py or untagged block would silently escape the run; only python runs, others say what they are."""
    text = path.read_text(encoding="utf-8")
    opening = [m.group(1) for i, m in enumerate(_ANY_FENCE.finditer(text)) if i % 2 == 0]
    assert "py" not in opening, f"{path.name}: write ```python, not ```py, so the block runs"
    assert "" not in opening, f"{path.name}: every code block needs a language (python, bash, ...)"


@pytest.mark.docs
@pytest.mark.parametrize("path", _files_with_code(), ids=lambda p: p.name)
def test_doc_examples_run(
    path: Path,
    aihubmix_env: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(ROOT)  # examples use paths relative to the repository root
    cassette = ROOT / "cassettes" / "docs" / f"{path.stem}.yaml"
    namespace: dict[str, object] = {"__name__": f"docs_{path.stem.replace('-', '_')}"}
    base_url, key = aihubmix_env
    config = {
        **cassettes.vcr_config(),
        "ignore_hosts": [FAKE_GATEWAY_HOST],
        "before_record_request": _examples_own_servers_pass_through(base_url),
    }
    with cassettes.recorder().use_cassette(str(cassette), **config):
        for block in python_blocks(path):
            try:
                exec(compile(block.code, block.label, "exec"), namespace)
            except Exception as error:
                raise AssertionError(
                    f"the example at {_failing_line(block, error)} failed: "
                    f"{type(error).__name__}: {error}"
                ) from error
    shown = capsys.readouterr()
    assert key not in shown.out and key not in shown.err, "an example printed the API key"
    sys.stdout.write(shown.out)  # kept for ``pytest -rP``, to read what the examples print
