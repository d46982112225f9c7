"""The files of a training run folder (docs/training.md): one place names them all."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RunFolder:
    """``RUN_DIR`` and the files the trainer keeps in it."""

    root: Path

    @property
    def status(self) -> Path:
        """The live state, replaced atomically."""
        return self.root / "status.json"

    @property
    def metrics(self) -> Path:
        """One JSON line per logged step and per evaluation."""
        return self.root / "metrics.jsonl"

    @property
    def log(self) -> Path:
        """Every status line the trainer printed."""
        return self.root / "train.log"

    @property
    def run_info(self) -> Path:
        """Start date, fingerprints and settings of the run, written once."""
        return self.root / "run_info.json"

    @property
    def resume_metadata(self) -> Path:
        """The crash-loop guard's memory."""
        return self.root / "resume_metadata.json"

    @property
    def checkpoints(self) -> Path:
        """Complete checkpoints, one folder each."""
        return self.root / "checkpoints"

    @property
    def adapter(self) -> Path:
        """The final adapter."""
        return self.root / "adapter"

    @property
    def report(self) -> Path:
        """What happened, written when the run ends."""
        return self.root / "report.json"


def write_json_atomic(path: Path, value: Any) -> None:
    """Write JSON to a temporary sibling, fsync it, then rename it over ``path``: a reader sees
    the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> Any:
    """A JSON file's value, or None when it is missing or unreadable (e.g. cut by a crash)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
