"""Build ``aihubmix_core/catalog/snapshot.json``: what AIHubMix serves, as shipped data.

Two sources, one output format (the records of ``aihubmix_core.catalog.ModelInfo``):

``live``
    Reads AIHubMix's public catalog (``https://aihubmix.com/api/v1/models``, no key) once,
    parses it with the package's own tolerant parser and keeps, for each id the catalog
    also lists, the facts the catalog does not carry (reasoning effort levels, input limits,
    price tiers) from the current snapshot. ``make catalog`` runs this.

``models-dev PATH``
    Reads a checkout of the models.dev project (https://github.com/anomalyco/models.dev,
    MIT): every model file of its ``aihubmix`` provider, resolved against the
    provider-agnostic facts under ``models/`` (``base_model``), plus the ids in ``EXTRAS``
    below. PATH is a git directory (bare or not; ``--rev`` picks the commit) or a plain
    directory in the same layout. ``--history`` adds the provider's files that later commits
    removed, in their last version; ``--overlay DIR`` adds files read elsewhere (same
    layout, with ``SOURCES.tsv`` naming each file's repository commit).

Every record says where its figures came from (``provenance``). Never run at test time;
the snapshot is committed as data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomllib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aihubmix_core.catalog import ModelInfo, parse_catalog  # noqa: E402
from aihubmix_core.catalog.records import from_record, to_record  # noqa: E402

OUT = ROOT / "aihubmix_core" / "catalog" / "snapshot.json"
REPOSITORY = "https://github.com/anomalyco/models.dev"
PROVIDER = "providers/aihubmix/models/"
LIVE_URL = "https://aihubmix.com/api/v1/models"
AIHUBMIX_JINA_DOCS = "https://docs.aihubmix.com/en/api/Jina-AI"
AIHUBMIX_API_NOTES = "AIHubMix public API documentation (endpoint pages for images, audio, video)"

# Ids AIHubMix documents that models.dev's aihubmix provider does not list: facts from the
# provider-agnostic file, prices (if any) from the first-party provider's own listing.
EXTRAS: dict[str, tuple[str, str | None]] = {
    "gpt-4o-mini": ("models/openai/gpt-4o-mini.toml", "providers/openai/models/gpt-4o-mini.toml"),
    "deepseek-chat": (
        "models/deepseek/deepseek-chat.toml",
        "providers/deepseek/models/deepseek-chat.toml",
    ),
    "deepseek-reasoner": (
        "models/deepseek/deepseek-reasoner.toml",
        "providers/deepseek/models/deepseek-reasoner.toml",
    ),
    "text-embedding-3-small": ("providers/openai/models/text-embedding-3-small.toml", None),
    "text-embedding-3-large": ("providers/openai/models/text-embedding-3-large.toml", None),
    "text-embedding-ada-002": ("providers/openai/models/text-embedding-ada-002.toml", None),
    "gemini-embedding-001": ("providers/google/models/gemini-embedding-001.toml", None),
    "gpt-image-1": ("providers/openai/models/gpt-image-1.toml", None),
    "gpt-image-1.5": ("providers/openai/models/gpt-image-1.5.toml", None),
    "gpt-image-1-mini": ("providers/openai/models/gpt-image-1-mini.toml", None),
    "whisper-large-v3": ("models/openai/whisper-large-v3.toml", None),
}
# Ids named in AIHubMix's own documentation, with no figures published anywhere we can read:
# listed so model lists know their type; limits and prices come from the live catalog.
DOCUMENTED: dict[str, dict[str, Any]] = {
    "tts-1": {"types": ["tts"], "output_modalities": ["audio"]},
    "tts-1-hd": {"types": ["tts"], "output_modalities": ["audio"]},
    "gpt-4o-mini-tts": {"types": ["tts"], "output_modalities": ["audio"]},
    "whisper-1": {"types": ["stt"], "input_modalities": ["audio"]},
    "gpt-4o-transcribe": {"types": ["stt"], "input_modalities": ["audio"]},
    "dall-e-3": {"types": ["image_generation"], "output_modalities": ["image"]},
    "sora-2": {
        "types": ["video"],
        "input_modalities": ["text", "image"],
        "output_modalities": ["video"],
    },
    "sora-2-pro": {
        "types": ["video"],
        "input_modalities": ["text", "image"],
        "output_modalities": ["video"],
    },
}
# From AIHubMix's Jina AI page: dimensions and 8K windows as stated there.
JINA: dict[str, dict[str, Any]] = {
    "jina-clip-v2": {
        "types": ["embedding"],
        "input_modalities": ["text", "image"],
        "embedding_dimensions": 1024,
    },
    "jina-embeddings-v3": {"types": ["embedding"], "embedding_dimensions": 1024},
    "jina-embeddings-v2-base-code": {"types": ["embedding"], "embedding_dimensions": 768},
    "jina-colbert-v2": {"types": ["embedding", "rerank"]},
}


# ---------------------------------------------------------------------------- sources


class Tree:
    """Files of a models.dev checkout: a git directory at one revision, or a plain directory."""

    def __init__(self, path: Path, rev: str) -> None:
        self.path = path
        self.git = (path / "HEAD").exists() or (path / ".git").exists()
        self.commit = self._git("rev-parse", rev).strip() if self.git else ""

    def _git(self, *args: str) -> str:
        git_dir = self.path if (self.path / "HEAD").exists() else self.path / ".git"
        return subprocess.run(
            ["git", "--git-dir", str(git_dir), *args], check=True, capture_output=True, text=True
        ).stdout

    def base_files(self) -> list[str]:
        if not hasattr(self, "_base_files"):
            self._base_files = self.files("models/")
        return self._base_files

    def files(self, prefix: str) -> list[str]:
        if self.git:
            return self._git("ls-tree", "-r", "--name-only", self.commit, prefix).split()
        return sorted(str(p.relative_to(self.path)) for p in (self.path / prefix).rglob("*.toml"))

    def read(self, path: str, commit: str | None = None) -> dict[str, Any] | None:
        try:
            text = (
                self._git("show", f"{commit or self.commit}:{path}")
                if self.git
                else (self.path / path).read_text(encoding="utf-8")
            )
        except (subprocess.CalledProcessError, FileNotFoundError):
            return None
        return tomllib.loads(text)

    def removed(self, prefix: str) -> Iterator[tuple[str, str]]:
        """(path, commit of its last version) for files under ``prefix`` no longer at the revision."""
        present = set(self.files(prefix))
        seen: set[str] = set()
        log = self._git(
            "log", "--format=@%H", "--name-status", "--no-renames", self.commit, "--", prefix
        )
        commit = ""
        for line in log.splitlines():
            if line.startswith("@"):
                commit = line[1:]
            elif line.strip():
                status, path = line.split("\t", 1)
                if path in present or path in seen or not path.endswith(".toml"):
                    continue
                seen.add(path)
                yield path, (f"{commit}^" if status.startswith("D") else commit)


class Overlay:
    """Files read from elsewhere, in the checkout's layout; ``SOURCES.tsv`` gives each one's
    path and repository commit (tab-separated)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        sources = path / "SOURCES.tsv" if path is not None else None
        lines = sources.read_text("utf-8").splitlines() if sources and sources.exists() else []
        self.commits = dict(
            line.split("\t", 1) for line in lines if line.strip() and not line.startswith("#")
        )

    def read(self, path: str) -> dict[str, Any] | None:
        if self.path is None or path not in self.commits or not (self.path / path).exists():
            return None
        return tomllib.loads((self.path / path).read_text(encoding="utf-8"))


def _short(path: str, commit: str) -> str:
    return f"{path}@{commit.rstrip('^')[:12]}{'^' if commit.endswith('^') else ''}"


# ---------------------------------------------------------------------- TOML to record


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """models.dev's ``base_model`` rule: tables deep-merge, everything else is replaced."""
    out = dict(base)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _omit(data: dict[str, Any], dotted: str) -> None:
    *parents, last = dotted.split(".")
    node: Any = data
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(last, None)


def _types(model_id: str, data: dict[str, Any]) -> list[str]:
    outputs = set(data.get("modalities", {}).get("output", ["text"]))
    inputs = set(data.get("modalities", {}).get("input", ["text"]))
    name = f"{model_id} {data.get('family', '')}".lower()
    if "embed" in name:
        return ["embedding"]
    if "rerank" in name:
        return ["rerank"]
    if "whisper" in name or "transcribe" in name:
        return ["stt"]
    types = ["llm"] if "text" in outputs and "text" in inputs else []
    for modality, kind in (("image", "image_generation"), ("audio", "tts"), ("video", "video")):
        if modality in outputs:
            types.append(kind)
    return types or ["llm"]


def _prices(cost: dict[str, Any]) -> dict[str, Any]:
    keys = ("input", "output", "cache_read", "cache_write")
    return {f"{k}_price": float(cost[k]) for k in keys if isinstance(cost.get(k), int | float)}


def record_from_toml(
    model_id: str, data: dict[str, Any], provenance: dict[str, str]
) -> dict[str, Any]:
    limit, cost, mods = data.get("limit", {}), data.get("cost", {}), data.get("modalities", {})
    types = _types(model_id, data)
    efforts = [
        str(v)
        for option in data.get("reasoning_options") or []
        if isinstance(option, dict) and option.get("type") == "effort"
        for v in option.get("values", [])
    ]
    fields: dict[str, Any] = {
        "id": model_id,
        "name": data.get("name"),
        "types": types,
        "input_modalities": mods.get("input", ["text"]),
        "output_modalities": mods.get("output", ["text"]),
        "tools": bool(data.get("tool_call", False)),
        "reasoning": bool(data.get("reasoning", False)),
        "reasoning_efforts": efforts,
        "structured_output": bool(data.get("structured_output", False)),
        "image_input": "image" in mods.get("input", []),
        "release_date": data.get("release_date"),
        "open_weights": data.get("open_weights"),
        "temperature": data.get("temperature"),
        **_prices(cost),
        "price_tiers": [
            {"above": int(t["tier"]["size"]), **{k: float(t[k]) for k in t if k != "tier"}}
            for t in cost.get("tiers", [])
            if isinstance(t.get("tier"), dict) and "size" in t["tier"]
        ],
    }
    context, max_input, output = (limit.get(k) or None for k in ("context", "input", "output"))
    fields["context_window"] = context
    if "embedding" in types:
        # models.dev gives an embedding model's vector size as its output limit.
        fields["embedding_dimensions"] = output if output and output >= 64 else None
        fields["max_output_tokens"] = 0
    else:
        fields["max_input_tokens"] = max_input
        fields["max_output_tokens"] = output
    info = from_record({k: v for k, v in fields.items() if v is not None})
    return {**to_record(info), "provenance": provenance}


# ------------------------------------------------------------------------- models.dev


def _resolve(
    tree: Tree, overlay: Overlay, data: dict[str, Any], prov: dict[str, str]
) -> dict[str, Any]:
    base_id = data.get("base_model")
    if not base_id:
        return data
    base_path = f"models/{base_id}.toml"
    base = tree.read(base_path)
    if base is not None:
        prov["base"] = _short(base_path, tree.commit)
    elif (base := overlay.read(base_path)) is not None:
        prov["base"] = _short(base_path, overlay.commits[base_path])
    else:
        base, prov["base"] = {}, f"{base_path} (not found)"
    merged = _merge({k: v for k, v in base.items() if k != "benchmarks"}, data)
    for dotted in data.get("base_model_omit", []):
        _omit(merged, dotted)
    return merged


def from_models_dev(tree: Tree, history: bool, overlay: Overlay) -> list[dict[str, Any]]:
    chosen: dict[str, tuple[dict[str, Any], dict[str, str], str]] = {}
    for path in tree.files(PROVIDER):
        data = tree.read(path)
        if data is not None:
            chosen[path] = (data, {"source": _short(path, tree.commit)}, "current")
    for path, commit in overlay.commits.items():
        if path.startswith(PROVIDER) and path not in chosen:
            data = overlay.read(path)
            if data is not None:
                chosen[path] = (data, {"source": _short(path, commit)}, "overlay")
    if history and tree.git:
        for path, commit in tree.removed(PROVIDER):
            data = tree.read(path, commit) if path not in chosen else None
            if data is not None:
                chosen[path] = (data, {"source": _short(path, commit)}, "removed")
    records = []
    for path, (data, prov, origin) in sorted(chosen.items()):
        model_id = path.removeprefix(PROVIDER).removesuffix(".toml")
        if origin == "removed":
            data = _current_facts(tree, model_id, data, prov)
        records.append(record_from_toml(model_id, _resolve(tree, overlay, data, prov), prov))
    known = {r["id"] for r in records}
    records += _extras(tree, overlay, known)
    return records


def _current_facts(
    tree: Tree, model_id: str, data: dict[str, Any], prov: dict[str, str]
) -> dict[str, Any]:
    """A removed file keeps its prices; limits and capabilities come from the current
    provider-agnostic file of the same id, when there is one."""
    for path in tree.base_files():
        if path.endswith(f"/{model_id}.toml"):
            facts = tree.read(path) or {}
            prov["facts"] = _short(path, tree.commit)
            keep = {k: data[k] for k in ("cost", "reasoning_options") if k in data}
            return {**{k: v for k, v in facts.items() if k != "benchmarks"}, **keep}
    return data


def _extras(tree: Tree, overlay: Overlay, known: set[str]) -> list[dict[str, Any]]:
    records = []
    for model_id, (facts_path, price_path) in EXTRAS.items():
        if model_id in known or (data := tree.read(facts_path)) is None:
            continue
        prov = {
            "facts": _short(facts_path, tree.commit),
            "note": "not listed by models.dev's aihubmix provider",
        }
        data = _resolve(tree, overlay, data, prov)
        if price_path and (priced := tree.read(price_path)) and "cost" in priced:
            data = {**data, "cost": priced["cost"]}
            prov["prices"] = _short(price_path, tree.commit) + " (first-party list price)"
        elif "cost" in data:
            prov["prices"] = prov["facts"] + " (first-party list price)"
        records.append(record_from_toml(model_id, data, prov))
    for model_id, fields in {**DOCUMENTED, **JINA}.items():
        if model_id not in known:
            source = AIHUBMIX_JINA_DOCS if model_id in JINA else AIHUBMIX_API_NOTES
            info = from_record({"id": model_id, "tools": False, **fields})
            if model_id in JINA:
                info = from_record(
                    {**to_record(info), "context_window": 8192, "max_output_tokens": 0}
                )
            records.append({**to_record(info), "provenance": {"source": source}})
    return records


# ------------------------------------------------------------------------------- live


def from_live(url: str, current: list[dict[str, Any]]) -> list[dict[str, Any]]:
    import httpx

    try:
        body = httpx.get(url, timeout=60, follow_redirects=True).json()
    except (httpx.HTTPError, ValueError) as error:
        raise SystemExit(f"could not read the live catalog at {url}: {error}") from error
    facts: dict[str, ModelInfo] = {r["id"]: from_record(r) for r in current}
    kept = {r["id"]: r.get("provenance", {}) for r in current}
    fetched = dt.date.today().isoformat()
    records = []
    for model_id, info in sorted(parse_catalog(body, base=facts.get).items()):
        provenance = {"source": f"{url} ({fetched})"}
        if model_id in kept:
            provenance["facts the catalog lacks"] = "; ".join(kept[model_id].values())
        records.append({**to_record(info), "provenance": provenance})
    if not records:
        raise SystemExit(f"the live catalog at {url} listed no models; the snapshot is unchanged")
    return records


# ------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="source", required=True)
    live = sub.add_parser("live", help="read the live public catalog")
    live.add_argument("--url", default=LIVE_URL)
    md = sub.add_parser("models-dev", help="read a models.dev checkout")
    md.add_argument("path", type=Path)
    md.add_argument("--rev", default="HEAD")
    md.add_argument("--history", action="store_true")
    md.add_argument("--overlay", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    if args.source == "live":
        current = (
            json.loads(args.out.read_text(encoding="utf-8"))["models"] if args.out.exists() else []
        )
        records = from_live(args.url, current)
        provenance = {"catalog": args.url, "fetched": dt.date.today().isoformat()}
    else:
        tree = Tree(args.path, args.rev)
        records = from_models_dev(tree, args.history, Overlay(args.overlay))
        provenance = {
            "repository": REPOSITORY,
            "revision": tree.commit or "(plain directory)",
            "license": "MIT (models.dev); facts and figures only, no code",
            "built": dt.date.today().isoformat(),
            "notes": (
                "Each model's provenance names the file and commit its figures came from "
                "(files given with --overlay were read at other commits of the same "
                "repository, named there). '@<commit>^' means the file's last version before "
                "the commit that removed it. Ids models.dev does not list come from its "
                "first-party entries or from AIHubMix's documentation (URL given). "
                "Prices are USD per million tokens; 'first-party list price' marks ids whose "
                "AIHubMix price models.dev does not record."
            ),
        }
    snapshot = {"format": 1, "provenance": provenance, "models": records}
    args.out.write_text(
        json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{len(records)} models written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
