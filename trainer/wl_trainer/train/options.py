"""What one ``train`` invocation was asked to do (the command line, docs/training.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ResumeMode = Literal["auto", "never"]


@dataclass(frozen=True)
class TrainOptions:
    """The ``train`` command's options."""

    config: Path
    out: Path
    """The run folder; running again on it resumes."""
    data_dir: Path | None = None
    """Take data.train / data.val from here by file name (what wl-push uploads)."""
    resume: ResumeMode | None = None
    """None: the config's checkpoints.resume."""
    warm_start: bool = False
    """Start fresh from the latest checkpoint's adapter weights only."""
    device: str | None = None
    """None: the config's training.device."""
    max_steps: int | None = None
    cost_per_hour: float | None = None
