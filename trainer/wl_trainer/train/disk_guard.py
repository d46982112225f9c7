"""The disk guard: a run must never die from a full disk halfway through a checkpoint.

Checked after every checkpoint (and retention): when the free space left could not hold
``WARN_CHECKPOINTS`` more checkpoints above the reserve, warn; when it could not hold one more,
stop now — the checkpoint just written is complete, so nothing is lost.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Literal

RESERVE_BYTES = 1_000_000_000
"""Left free for logs, status files and the final adapter."""
WARN_CHECKPOINTS = 3

Verdict = Literal["ok", "warn", "stop"]


def folder_bytes(path: Path) -> int:
    """The bytes of every file under ``path``."""
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file())


def disk_verdict(folder: Path, checkpoint_bytes: int) -> tuple[Verdict, int]:
    """(verdict, free bytes) for a run whose checkpoints take ``checkpoint_bytes`` each."""
    free = shutil.disk_usage(folder).free
    if free < RESERVE_BYTES + checkpoint_bytes:
        return "stop", free
    if free < RESERVE_BYTES + WARN_CHECKPOINTS * checkpoint_bytes:
        return "warn", free
    return "ok", free
