"""With only one framework installed, importing the other adapter names the extra to
install. The missing framework is simulated in a subprocess by a meta-path finder that
refuses to find it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from testkit import ROOT

_BLOCK = """
import importlib.abc, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == {blocked!r} or name.startswith({blocked!r} + "."):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, Block())
"""


def _import_without(blocked: str, statement: str) -> subprocess.CompletedProcess[str]:
    code = textwrap.dedent(_BLOCK.format(blocked=blocked)) + statement
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize(
    "statement",
    ["import langchain_aihubmix", "from langchain_aihubmix import ChatAIHubMix"],
)
def test_langchain_adapter_without_langchain_core_names_the_extra(statement: str) -> None:
    run = _import_without("langchain_core", statement)
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError"), run.stderr
    assert 'pip install "aihubmix-integrations[langchain]"' in last
    assert "langchain-core" in last


@pytest.mark.parametrize(
    "statement",
    [
        "import llama_index_aihubmix",
        "from llama_index.llms.aihubmix import AIHubMix",
        "from llama_index.embeddings.aihubmix import AIHubMixEmbedding",
    ],
)
def test_llama_index_adapter_without_llama_index_core_names_the_extra(statement: str) -> None:
    run = _import_without("llama_index.core", statement)
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError"), run.stderr
    assert 'pip install "aihubmix-integrations[llama-index]"' in last
    assert "llama-index-core" in last


def test_the_core_needs_neither_framework() -> None:
    run = _import_without("langchain_core", "import aihubmix_core; print('ok')")
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr
