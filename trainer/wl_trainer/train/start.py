"""How a run starts in its folder: resume from the latest complete checkpoint, warm-start from
its adapter weights, or start fresh.

- Incomplete checkpoints (cut off mid-write) are reported and removed; the latest complete one
  is the candidate.
- Resuming is refused (exit 3) when the config, data or tokenizer fingerprints differ from the
  checkpoint's: the fix offers ``--resume never`` (fresh) or ``--warm-start``.
- Starting fresh where an earlier training left files moves them into ``previous-<time>/``;
  nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from wl_trainer.errors import WlError
from wl_trainer.exit_codes import ExitCode
from wl_trainer.status import Reporter, utc_timestamp
from wl_trainer.train.checkpoint import Checkpoint, list_checkpoints, remove_partials
from wl_trainer.train.files import RunFolder, read_json
from wl_trainer.train.fingerprint import Fingerprints


@dataclass(frozen=True)
class Start:
    """Where training starts: from a checkpoint (resume), from adapter weights (warm), or not."""

    resume: Checkpoint | None = None
    warm: Checkpoint | None = None
    finished: bool = False
    """The folder holds a finished training: nothing to do."""


def choose_start(
    folder: RunFolder,
    current: Fingerprints,
    resume_mode: str,
    warm_start: bool,
    reporter: Reporter,
) -> Start:
    """Decide how this run starts; raises WlError (exit 3) when resuming is refused."""
    found, partial = list_checkpoints(folder.checkpoints)
    for path in partial:
        reporter.warning(
            f"skipping incomplete checkpoint {path.name} (cut off while it was written)",
            event="train.partial_checkpoint",
            fix="nothing to do: it is removed and the last complete checkpoint is used",
            data={"path": str(path)},
        )
    remove_partials(partial)
    latest = found[-1] if found else None

    if warm_start:
        if latest is None:
            raise WlError(
                "train.no_checkpoint",
                "--warm-start needs a checkpoint and this run has none",
                "run without --warm-start",
                ExitCode.PREFLIGHT_FAILED,
            )
        return Start(warm=move_aside(folder, reporter, keep=latest))
    if latest is None:
        return Start()
    if resume_mode == "never":
        move_aside(folder, reporter)
        return Start()
    changed = current.changed(latest.state.get("fingerprints", {}))
    if changed:
        raise WlError(
            "train.resume_refused",
            f"cannot resume from {latest.path.name}: the {' and '.join(changed)} changed since "
            "it was written",
            "run with --resume never to start fresh, or --warm-start to start fresh from its "
            "adapter weights",
            ExitCode.PREFLIGHT_FAILED,
        )
    return Start(resume=latest, finished=finished(folder, latest))


def finished(folder: RunFolder, latest: Checkpoint) -> bool:
    """Whether the folder's report says training ended at the latest checkpoint's step."""
    report = read_json(folder.report)
    return (
        isinstance(report, dict)
        and report.get("status") == "done"
        and report.get("steps") == latest.step
        and folder.adapter.is_dir()
    )


def move_aside(
    folder: RunFolder, reporter: Reporter, keep: Checkpoint | None = None
) -> Checkpoint | None:
    """Move an earlier training's files into ``previous-<time>/``; return ``keep`` at its new
    place."""
    aside = folder.root / f"previous-{utc_timestamp().replace(':', '').replace('.', '')}"
    aside.mkdir()
    earlier = (folder.checkpoints, folder.adapter, folder.metrics, folder.report)
    for path in (*earlier, folder.resume_metadata):
        if path.exists():
            path.rename(aside / path.name)
    reporter.info(f"earlier training moved to {aside.name}/; starting fresh", event="train.fresh")
    if keep is None:
        return None
    return Checkpoint(aside / "checkpoints" / keep.path.name, keep.step, keep.state)
