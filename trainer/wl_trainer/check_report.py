"""``check``'s report: the machine (Python, packages, accelerator) and, given a config, the checks
that tell whether this machine can train it.

The facts about the machine come in as arguments so tests can build the report for an H100 host
or a Mac on any machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wl_trainer.accelerator import AcceleratorFacts, describe_accelerator
from wl_trainer.checks.accelerator import check_accelerator
from wl_trainer.checks.disk import check_disk
from wl_trainer.checks.mac import check_mac
from wl_trainer.checks.memory import check_memory
from wl_trainer.checks.model import check_model
from wl_trainer.checks.monitoring import check_monitoring
from wl_trainer.checks.result import CheckResult
from wl_trainer.checks.speed import check_speed
from wl_trainer.checks.target import training_target
from wl_trainer.config import load_config
from wl_trainer.errors import WlError

CHECK_SCHEMA = "wl.check/1"


def build_check_report(
    facts: AcceleratorFacts,
    platform_info: dict[str, Any],
    packages: dict[str, str | None],
    *,
    config_file: Path | None = None,
    out_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The wl.check/1 document; ``checks`` is empty without a config."""
    checks: list[CheckResult] = []
    estimate: dict[str, Any] | None = None
    device = None
    if config_file is not None:
        config, config_check = try_load(config_file)
        checks.append(config_check)
        if config is not None:
            target = training_target(config, facts)
            device = target.device if target.here else None
            memory_check, estimate = check_memory(config, facts, env)
            speed = check_speed(config, facts, estimate)
            checks += check_mac(config, facts)  # none unless a Mac trains here
            checks += [
                check_accelerator(config, facts, packages, with_mac=False),
                memory_check,
                *([speed] if speed else []),
                check_disk(config, out_dir or Path.cwd()),
                check_model(config, env),
                check_monitoring(config, facts),
            ]
    return {
        "schema": CHECK_SCHEMA,
        **platform_info,
        "packages": packages,
        "accelerator": describe_accelerator(facts, device),
        "estimate": estimate,
        "checks": [check.to_json() for check in checks],
    }


def try_load(config_file: Path) -> tuple[dict[str, Any] | None, CheckResult]:
    """The resolved config and the ``config`` check; (None, fail) when it cannot be used."""
    try:
        loaded = load_config(config_file)
    except WlError as error:
        return None, CheckResult("config", "fail", error.message, error.fix)
    return loaded.resolved, CheckResult("config", "ok", f"{config_file} is valid")
