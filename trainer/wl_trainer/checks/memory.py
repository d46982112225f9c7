"""The ``memory`` check: does the estimated training memory fit the device?

ok under 90 % of the device's memory, warn from 90 % to 100 %, fail above. When it does not fit
comfortably, the fix is the first of these (applied cumulatively, re-estimating after each) that
brings the estimate under 90 %: gradient checkpointing on; micro_batch_size halved with
gradient_accumulation_steps doubled (same effective batch); max_seq_length halved; 4-bit
quantization (CUDA only).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from wl_trainer.accelerator import AcceleratorFacts, device_memory_gb
from wl_trainer.checks.result import CheckResult
from wl_trainer.checks.target import training_target
from wl_trainer.dtypes import training_dtype
from wl_trainer.memory import TrainingSettings, estimate_memory, settings_from_config
from wl_trainer.model_lookup import find_model_shape
from wl_trainer.model_shapes import ModelShape, ShapeUnknownError

COMFORTABLE = 0.90
# Halving max_seq_length below this stops being a fix: most chat samples would not fit.
MIN_SUGGESTED_SEQ_LENGTH = 256


def check_memory(
    config: dict[str, Any], facts: AcceleratorFacts, env: Mapping[str, str] | None = None
) -> tuple[CheckResult, dict[str, Any] | None]:
    """The memory check and the estimate behind it (None when the model's shape is unknown)."""
    target = training_target(config, facts)
    device = target.device
    dtype = training_dtype(config["model"]["dtype"], device, target.bf16)
    settings = settings_from_config(config, device, dtype)
    try:
        shape, source = find_model_shape(
            config["model"]["base"], config["model"].get("revision"), env
        )
    except ShapeUnknownError as error:
        return CheckResult(
            "memory",
            "warn",
            f"cannot estimate memory: {error}",
            "use a local model folder, or a cached hub model, so its config.json can be read",
        ), None
    estimate = estimate_memory(shape, source, settings)
    if not target.here:
        return CheckResult(
            "memory",
            "ok",
            f"estimated {gb(estimate['total_gb'])} on a {device} host ({target.backend}); "
            "the host's memory is checked there",
            data={"estimate_gb": estimate["total_gb"], "device": device},
        ), estimate
    total, available = estimate["total_gb"], device_memory_gb(device, facts)
    share = total / available if available > 0 else float("inf")
    message = f"estimated {gb(total)} of {gb(available)} on {device} ({share:.0%})"
    data = {"estimate_gb": total, "available_gb": round(available, 2), "device": device}
    if share < COMFORTABLE:
        return CheckResult("memory", "ok", message, data=data), estimate
    accumulation = config["training"]["gradient_accumulation_steps"]
    fix = fitting_fix(shape, source, settings, accumulation, available)
    if share <= 1.0:
        return CheckResult("memory", "warn", f"{message}: little headroom", fix, data), estimate
    return CheckResult("memory", "fail", f"{message}: it will not fit", fix, data), estimate


def fitting_fix(
    shape: ModelShape, source: str, settings: TrainingSettings, accumulation: int, available: float
) -> str:
    """The first cumulative change that brings the estimate under 90 % of ``available``."""
    total = estimate_memory(shape, source, settings)["total_gb"]
    for candidate, new_accumulation in savings(settings, accumulation):
        total = estimate_memory(shape, source, candidate)["total_gb"]
        if total < COMFORTABLE * available:
            changes = describe_changes(settings, candidate, new_accumulation)
            return f"set {changes} (estimated {gb(total)})"
    return (
        f"even with every saving the estimate is {gb(total)}: use a device with at least "
        f"{total / COMFORTABLE:.0f} GB, or a smaller model"
    )


def savings(
    settings: TrainingSettings, accumulation: int
) -> Iterator[tuple[TrainingSettings, int]]:
    """Ever cheaper settings, each keeping the previous savings, with the matching accumulation."""
    current = settings
    if not current.gradient_checkpointing:
        current = replace(current, gradient_checkpointing=True)
        yield current, accumulation
    while current.micro_batch_size > 1:
        current = replace(current, micro_batch_size=current.micro_batch_size // 2)
        accumulation *= 2
        yield current, accumulation
    while current.max_seq_length // 2 >= MIN_SUGGESTED_SEQ_LENGTH:
        current = replace(current, max_seq_length=current.max_seq_length // 2)
        yield current, accumulation
    if current.device == "cuda" and current.quantization != "4bit":
        yield replace(current, quantization="4bit"), accumulation


def describe_changes(before: TrainingSettings, after: TrainingSettings, accumulation: int) -> str:
    """``training.gradient_checkpointing: true, training.micro_batch_size: 1, …``."""
    changes = []
    if after.gradient_checkpointing != before.gradient_checkpointing:
        changes.append("training.gradient_checkpointing: true")
    if after.micro_batch_size != before.micro_batch_size:
        changes.append(f"training.micro_batch_size: {after.micro_batch_size}")
        changes.append(f"training.gradient_accumulation_steps: {accumulation}")
    if after.max_seq_length != before.max_seq_length:
        changes.append(f"data.max_seq_length: {after.max_seq_length}")
    if after.quantization != before.quantization:
        changes.append("model.quantization: 4bit")
    return ", ".join(changes)


def gb(value: float) -> str:
    """A size for people: one decimal, or MB below a tenth of a GB (tiny test models)."""
    return f"{value:.1f} GB" if value >= 0.1 else f"{value * 1000:.0f} MB"
