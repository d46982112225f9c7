"""Checkpoints: everything a resumed run needs to continue exactly where it stopped.

    checkpoints/step-000040/
      adapter_config.json, adapter_model.safetensors   the LoRA weights (PEFT format)
      optimizer.pt, scheduler.pt                       AdamW moments, learning-rate position
      rng.pt                                           torch (CPU + CUDA), numpy, random states
      state.json                                       step, metrics so far, fingerprints

A checkpoint is built as ``.step-000040.*.partial`` and renamed into place when complete
(atomic_dir.building_dir), so a kill at any moment — mid-write included — leaves either a
complete checkpoint or a ``.partial`` folder that resuming skips and reports. The data position
is the step itself (schedule.py).
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from wl_trainer.atomic_dir import building_dir
from wl_trainer.errors import WlError
from wl_trainer.train.files import read_json, write_json_atomic

NAME = re.compile(r"^step-(\d{6,})$")
STATE_FILE = "state.json"
REQUIRED_FILES = (
    "adapter_config.json",
    "adapter_model.safetensors",
    "optimizer.pt",
    "scheduler.pt",
    "rng.pt",
    STATE_FILE,
)


@dataclass(frozen=True)
class Checkpoint:
    """A complete checkpoint on disk."""

    path: Path
    step: int
    state: dict[str, Any]

    @property
    def eval_loss(self) -> float | None:
        """The eval loss measured at this step, if an evaluation ran."""
        value = self.state.get("eval_loss")
        return float(value) if isinstance(value, (int, float)) else None


def checkpoint_dir(root: Path, step: int) -> Path:
    """``root/step-000040``."""
    return root / f"step-{step:06d}"


def save_checkpoint(
    root: Path, step: int, *, model: Any, optimizer: Any, scheduler: Any, state: dict[str, Any]
) -> Checkpoint:
    """Write a complete checkpoint for ``step`` (atomically) and return it."""
    import torch

    out = checkpoint_dir(root, step)
    with building_dir(out) as folder:
        model.save_pretrained(folder)
        torch.save(optimizer.state_dict(), folder / "optimizer.pt")
        torch.save(scheduler.state_dict(), folder / "scheduler.pt")
        torch.save(rng_state(), folder / "rng.pt")
        write_json_atomic(folder / STATE_FILE, {**state, "step": step})
    return Checkpoint(out, step, {**state, "step": step})


def list_checkpoints(root: Path) -> tuple[list[Checkpoint], list[Path]]:
    """(complete checkpoints oldest first, partial or broken folders)."""
    if not root.is_dir():
        return [], []
    complete, partial = [], []
    for entry in sorted(root.iterdir()):
        if not entry.is_dir():
            continue
        match = NAME.match(entry.name)
        state = read_json(entry / STATE_FILE) if match else None
        whole = (
            match and isinstance(state, dict) and all((entry / f).is_file() for f in REQUIRED_FILES)
        )
        if whole and isinstance(state, dict) and match:
            complete.append(Checkpoint(entry, int(match.group(1)), state))
        else:
            partial.append(entry)
    return sorted(complete, key=lambda checkpoint: checkpoint.step), partial


def load_training_state(checkpoint: Checkpoint, model: Any, optimizer: Any, scheduler: Any) -> None:
    """Put the adapter weights, optimizer, scheduler and RNG states of ``checkpoint`` back."""
    import torch

    load_adapter_weights(checkpoint.path, model)
    device = next(model.parameters()).device
    optimizer.load_state_dict(
        torch.load(checkpoint.path / "optimizer.pt", map_location=device, weights_only=True)
    )
    scheduler.load_state_dict(torch.load(checkpoint.path / "scheduler.pt", weights_only=True))
    restore_rng(torch.load(checkpoint.path / "rng.pt", weights_only=False))


def load_adapter_weights(folder: Path, model: Any) -> None:
    """Load the LoRA weights saved in ``folder`` into ``model`` (same LoRA shape)."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    device = next(model.parameters()).device
    weights = load_file(str(folder / "adapter_model.safetensors"), device=str(device))
    try:
        result = set_peft_model_state_dict(model, weights)
    except RuntimeError as error:  # a tensor of another shape (a different LoRA r)
        raise adapter_mismatch(folder, str(error).splitlines()[0]) from error
    unexpected = getattr(result, "unexpected_keys", [])
    if unexpected:
        raise adapter_mismatch(folder, f"unexpected weights such as {unexpected[0]}")


def adapter_mismatch(folder: Path, reason: str) -> WlError:
    """The error for adapter weights saved with another LoRA shape or model."""
    return WlError(
        "train.adapter_mismatch",
        f"the adapter weights in {folder} do not fit this model and LoRA settings: {reason}",
        "use the lora settings and model the checkpoint was trained with, or --resume never",
    )


def delete_checkpoint(checkpoint: Checkpoint) -> None:
    """Remove a checkpoint: renamed to a hidden ``.partial`` name first, so a kill during the
    removal never leaves a half-deleted folder that looks complete."""
    doomed = checkpoint.path.with_name(f".{checkpoint.path.name}.deleting.partial")
    checkpoint.path.rename(doomed)
    shutil.rmtree(doomed, ignore_errors=True)


def rng_state() -> dict[str, Any]:
    """Every random state training draws from (dropout above all)."""
    import torch

    state: dict[str, Any] = {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    if hasattr(torch, "mps") and torch.backends.mps.is_available():
        state["mps"] = torch.mps.get_rng_state()
    return state


def restore_rng(state: dict[str, Any]) -> None:
    """Put saved random states back (device states only where the device exists)."""
    import torch

    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
    if "mps" in state and hasattr(torch, "mps") and torch.backends.mps.is_available():
        torch.mps.set_rng_state(state["mps"])


def remove_partials(partials: list[Path]) -> None:
    """Clear leftover partial folders (after they were reported)."""
    for path in partials:
        shutil.rmtree(path, ignore_errors=True)
