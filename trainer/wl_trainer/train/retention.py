"""Which checkpoints to keep: the best ``keep_best`` by eval loss plus the last ``keep_last``.

The newest checkpoint is always kept (it is where a resume starts), and so is the best one
whenever ``keep_best`` is at least 1 — peers have deleted the best checkpoint to make room for
a worse, newer one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Kept:
    """A checkpoint as retention sees it."""

    step: int
    eval_loss: float | None
    """None when no evaluation ran at this step."""


def to_delete(checkpoints: Sequence[Kept], keep_last: int, keep_best: int) -> list[int]:
    """The steps of the checkpoints to delete, oldest first."""
    by_step = sorted(checkpoints, key=lambda kept: kept.step)
    keep = {kept.step for kept in by_step[-max(keep_last, 1) :]}
    evaluated = [kept for kept in by_step if kept.eval_loss is not None]
    ranked = sorted(evaluated, key=lambda kept: (kept.eval_loss, -kept.step))
    keep |= {kept.step for kept in ranked[:keep_best]}
    return [kept.step for kept in by_step if kept.step not in keep]
