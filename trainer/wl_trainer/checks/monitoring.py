"""The ``monitoring`` check: the tracker ``monitoring.report_to`` names is installed where the
trainer runs (TensorBoard, W&B and MLflow come from requirements-trackers.txt, not the base
install)."""

from __future__ import annotations

from typing import Any

from wl_trainer.accelerator import AcceleratorFacts
from wl_trainer.checks.result import CheckResult
from wl_trainer.checks.target import training_target
from wl_trainer.train.trackers import package_error, report_to


def check_monitoring(config: dict[str, Any], facts: AcceleratorFacts) -> CheckResult:
    """ok when the tracker can be used here (or none is asked for), fail when its package is
    missing; ok without looking when training runs on another host (checked there)."""
    choice = report_to(config)
    if not training_target(config, facts).here:
        return CheckResult("monitoring", "ok", f"report_to {choice}: checked on the training host")
    error = package_error(choice)
    if error is not None:
        return CheckResult("monitoring", "fail", error.message, error.fix)
    if choice == "none":
        return CheckResult("monitoring", "ok", "no tracker (monitoring.report_to: none)")
    return CheckResult("monitoring", "ok", f"{choice} is installed")
