"""Where the Hugging Face hub cache lives and whether a model is already in it, without network.

Follows huggingface_hub's conventions: ``$HF_HUB_CACHE``, else ``$HF_HOME/hub``, else
``$XDG_CACHE_HOME/huggingface/hub``, else ``~/.cache/huggingface/hub``; a model ``org/name`` is
cached when ``models--org--name/snapshots/<commit>/config.json`` exists.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

TRUTHY = {"1", "true", "yes", "on"}


def hub_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """The hub cache folder the transformers library would use."""
    env = os.environ if env is None else env
    if env.get("HF_HUB_CACHE"):
        return Path(env["HF_HUB_CACHE"]).expanduser()
    if env.get("HUGGINGFACE_HUB_CACHE"):  # the older name, still honoured by huggingface_hub
        return Path(env["HUGGINGFACE_HUB_CACHE"]).expanduser()
    if env.get("HF_HOME"):
        return Path(env["HF_HOME"]).expanduser() / "hub"
    xdg = env.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "huggingface" / "hub"


def hub_offline(env: Mapping[str, str] | None = None) -> bool:
    """True when HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) forbids downloads."""
    env = os.environ if env is None else env
    return any(
        env.get(name, "").strip().lower() in TRUTHY
        for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


def cached_snapshot(
    repo_id: str, revision: str | None = None, env: Mapping[str, str] | None = None
) -> Path | None:
    """The cached snapshot folder of a hub model (one holding config.json), or None."""
    repo_dir = hub_cache_dir(env) / ("models--" + repo_id.replace("/", "--"))
    snapshots = repo_dir / "snapshots"
    if not snapshots.is_dir():
        return None
    wanted = revision or "main"
    candidates = [snapshots / wanted]
    ref = repo_dir / "refs" / wanted
    if ref.is_file():
        candidates.insert(0, snapshots / ref.read_text(encoding="utf-8").strip())
    if revision is None:
        # No ref for main (e.g. a cache copied from elsewhere): any complete snapshot will do.
        candidates += sorted(snapshots.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    return next((c for c in candidates if (c / "config.json").is_file()), None)
