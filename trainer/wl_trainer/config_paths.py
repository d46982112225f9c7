"""Relative paths in a config resolve against the config file's directory, so a config works from
any working directory; ``output.runs_dir`` is the exception and resolves against the working
directory. The same rules as packages/core/src/config/paths.ts.
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import Any

LOCAL_MODEL_PREFIX = re.compile(r"^(\.|/|~)")


def resolve_path(file: str, base: Path) -> str:
    """Expand ``~`` and make ``file`` absolute against ``base``."""
    if file == "~" or file.startswith("~/"):
        return str(Path.home() / file[2:])
    # normpath, not resolve(): like Node's path.resolve, keep symlinks as the user wrote them.
    return os.path.normpath(base / file)


def is_local_model(base: str, config_dir: Path) -> bool:
    """A model reference is a local path when it starts with ``.``, ``/`` or ``~``, or when a file
    of that name exists next to the config; otherwise it is a Hugging Face hub id."""
    return bool(LOCAL_MODEL_PREFIX.match(base)) or (config_dir / base).exists()


def resolve_config_paths(config: dict[str, Any], config_dir: Path, cwd: Path) -> dict[str, Any]:
    """A copy of a resolved config with every file path made absolute."""
    out = copy.deepcopy(config)
    model = out["model"]
    if is_local_model(model["base"], config_dir):
        model["base"] = resolve_path(model["base"], config_dir)
    data = out["data"]
    for key in ("train", "val"):
        if key in data:
            data[key] = resolve_path(data[key], config_dir)
    compute = out.get("compute", {})
    if "key" in compute.get("ssh", {}):
        compute["ssh"]["key"] = resolve_path(compute["ssh"]["key"], config_dir)
    if "ssh_key" in compute.get("runpod", {}):
        compute["runpod"]["ssh_key"] = resolve_path(compute["runpod"]["ssh_key"], config_dir)
    output = out.get("output", {})
    if "runs_dir" in output:
        output["runs_dir"] = resolve_path(output["runs_dir"], cwd)
    return out
