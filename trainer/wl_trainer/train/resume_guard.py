"""The crash-loop guard: a run that keeps resuming from the same checkpoint is stopped.

``resume_metadata.json`` in the run folder remembers the last resume::

    {"last_checkpoint": ".../checkpoints/step-000040", "last_step": 40,
     "resume_count": 2, "last_resume_time": "2026-11-23T10:00:00.000Z"}

Resuming again from the same step counts up; at ``CRASH_LOOP_RESUMES`` the run refuses to
train (exit 2) — something kills it at the same place every time and another try costs money
for nothing. A newer checkpoint is progress: it resets the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wl_trainer.status import utc_timestamp
from wl_trainer.train.files import read_json, write_json_atomic

CRASH_LOOP_RESUMES = 3


@dataclass(frozen=True)
class ResumeVerdict:
    """What the guard decided for this start."""

    step: int
    count: int
    """Resumes from ``step`` so far, this one included."""

    @property
    def crash_loop(self) -> bool:
        """Three or more resumes from one step."""
        return self.count >= CRASH_LOOP_RESUMES

    @property
    def resume_message(self) -> str:
        """The line a user reads on every resume (their wording)."""
        return f"Found checkpoint at step {self.step}. Resuming training."

    @property
    def crash_loop_message(self) -> str:
        """The line that ends a crash loop (their wording)."""
        return (
            f"Crash loop detected. Training resumed {CRASH_LOOP_RESUMES}+ times from step "
            f"{self.step}. Manual intervention required."
        )


def record_resume(metadata_file: Path, checkpoint: Path, step: int) -> ResumeVerdict:
    """Count a resume from ``checkpoint`` at ``step`` and save the count."""
    previous = read_json(metadata_file)
    same_step = isinstance(previous, dict) and previous.get("last_step") == step
    count = int(previous.get("resume_count", 0)) + 1 if same_step else 1
    write_json_atomic(
        metadata_file,
        {
            "last_checkpoint": str(checkpoint),
            "last_step": step,
            "resume_count": count,
            "last_resume_time": utc_timestamp(),
        },
    )
    return ResumeVerdict(step, count)


def record_progress(metadata_file: Path, checkpoint: Path, step: int) -> None:
    """A new checkpoint was written: the run moves, so the count starts again."""
    previous = read_json(metadata_file)
    if not isinstance(previous, dict):
        return  # never resumed: nothing to reset
    write_json_atomic(
        metadata_file,
        {
            "last_checkpoint": str(checkpoint),
            "last_step": step,
            "resume_count": 0,
            "last_resume_time": previous.get("last_resume_time"),
        },
    )
