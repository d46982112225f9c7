"""The ``disk`` check: is there ``compute.min_free_disk_gb`` free where the run writes?"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from wl_trainer.checks.result import CheckResult

GB = 1e9


def existing_ancestor(path: Path) -> Path:
    """``path`` or its nearest existing parent (the run folder may not exist yet)."""
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk(config: dict[str, Any], out_dir: Path) -> CheckResult:
    """Free space at ``out_dir`` against the config's minimum."""
    needed = float(config["compute"]["min_free_disk_gb"])
    where = existing_ancestor(out_dir)
    free = shutil.disk_usage(where).free / GB
    message = f"{free:.1f} GB free at {where} ({needed:g} GB needed)"
    data = {"path": str(where), "free_gb": round(free, 2), "needed_gb": needed}
    if free >= needed:
        return CheckResult("disk", "ok", message, data=data)
    return CheckResult(
        "disk",
        "fail",
        message,
        f"free {needed - free:.1f} GB there, or pass --out on a disk with more room",
        data,
    )
