"""The ``speed`` check on a Mac that trains on MPS: a warning that MPS is slow, with the time this
run should take here and on an H100 (time_estimate.py says how that is estimated)::

    time estimate (rough): ≈5.6 h on this M4 Pro vs ≈3 min on an H100 for ≈27M tokens (…)

with how the tokens were counted in the parentheses and every figure in the result's data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wl_trainer.accelerator import AcceleratorFacts
from wl_trainer.checks.apple_chips import apple_chip
from wl_trainer.checks.mac import REMOTE_FIX
from wl_trainer.checks.result import CheckResult
from wl_trainer.checks.target import training_target
from wl_trainer.checks.time_estimate import TrainingTokens, estimate_time, training_tokens
from wl_trainer.model_shapes import ModelShape

MPS_SLOW = "training on MPS (Apple GPU) is slow: fine for small models and short runs"
FIX = f"for long runs, {REMOTE_FIX}; docs/TRAINING_M4.md says how the estimate is made"
COVERED = "M1–M4"  # the generations apple_chips.py knows


def check_speed(
    config: dict[str, Any],
    facts: AcceleratorFacts,
    memory_estimate: dict[str, Any] | None,
    tokens: int | None = None,
) -> CheckResult | None:
    """The speed warning with a time estimate, for a run on this Mac's MPS; None elsewhere.

    ``memory_estimate`` is the memory check's estimate (the model's shape and adapter size);
    ``tokens`` replaces the count taken from the training file's size.
    """
    target = training_target(config, facts)
    if facts.system != "Darwin" or not target.here or target.device != "mps":
        return None
    if not facts.mps_available:
        return None  # the mps check fails and says why; there is nothing to time
    if memory_estimate is None:
        return CheckResult(
            "speed",
            "warn",
            f"{MPS_SLOW} (no time estimate: the model's shape is unknown here)",
            FIX,
        )
    counted = given_or_counted(config, tokens)
    if counted is None:
        return CheckResult(
            "speed",
            "warn",
            f"{MPS_SLOW} (no time estimate: cannot read {config['data']['train']})",
            FIX,
        )
    estimate = estimate_time(
        ModelShape(**memory_estimate["shape"]),
        memory_estimate["lora_params"],
        config["data"]["max_seq_length"],
        counted.tokens,
        apple_chip(facts.cpu_name, facts.cpu_cores),
    )
    data = {**estimate.to_json(), "tokens_basis": counted.basis}
    h100 = f"{duration(estimate.h100_seconds)} on an H100"
    about = f"for ≈{count(counted.tokens)} tokens ({counted.basis})"
    if estimate.chip is None or estimate.mac_seconds is None:
        return CheckResult(
            "speed",
            "warn",
            f"time estimate (rough): {h100} {about}; no Mac figure for {facts.cpu_name} "
            f"(the table knows {COVERED})",
            FIX,
            data,
        )
    mac = f"{duration(estimate.mac_seconds)} on this {estimate.chip.name}"
    return CheckResult(
        "speed", "warn", f"time estimate (rough): {mac} vs {h100} {about}", FIX, data
    )


def given_or_counted(config: dict[str, Any], tokens: int | None) -> TrainingTokens | None:
    """The given token count, or one from data.train's size; None when the file is unreadable."""
    if tokens is not None:
        return TrainingTokens(tokens, "given")
    try:
        size = Path(config["data"]["train"]).stat().st_size
    except OSError:
        return None
    return training_tokens(config, size)


def duration(seconds: float) -> str:
    """``<1 s``, ``≈45 s``, ``≈12 min``, ``≈5.6 h``, ``≈3.2 days``."""
    if seconds < 1:
        return "<1 s"
    if seconds < 90:
        return f"≈{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"≈{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"≈{seconds / 3600:.1f} h"
    return f"≈{seconds / 86400:.1f} days"


def count(tokens: int) -> str:
    """``850``, ``12k``, ``9.0M``, ``27M``, ``1.2B``."""
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if tokens >= size:
            value = tokens / size
            return f"{value:.1f}{unit}" if value < 10 else f"{value:.0f}{unit}"
    return str(tokens)
