"""``python -m wl_trainer check [--config FILE] [--out DIR]``: can this machine train?

Prints a wl.check/1 document on stdout: Python, platform, packages, the accelerator and — with
``--config`` — a memory estimate and the checks config, accelerator, memory, disk and model.
Each check also gets a status line on stderr. Exit 3 when any check fails, else 0.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from wl_trainer.accelerator import probe_facts
from wl_trainer.check_report import build_check_report
from wl_trainer.environment import installed_packages, platform_report
from wl_trainer.exit_codes import ExitCode
from wl_trainer.json_output import write_json
from wl_trainer.status import Level, Reporter

NAME = "check"
LEVELS: dict[str, Level] = {"ok": "success", "warn": "warning", "fail": "error"}
HELP = "report this machine (GPU, packages) and, with --config, whether it can train that config"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--config and --out."""
    parser.add_argument("--config", type=Path, metavar="FILE", help="a wl config to check against")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where the run will write (for the disk check; default: .)",
    )


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    """Probe, check, report; exit 3 if any check failed."""
    report = build_check_report(
        probe_facts(),
        platform_report(),
        installed_packages(),
        config_file=args.config,
        out_dir=args.out,
        env=os.environ,
    )
    accelerator = report["accelerator"]
    memory = f"{accelerator['memory_gb']:.1f} GB"
    reporter.info(
        f"accelerator: {accelerator['kind']} — {accelerator['name']} ({memory})",
        event="check.accelerator",
        data=accelerator,
    )
    for check in report["checks"]:
        reporter.emit(
            LEVELS[check["status"]],
            f"{check['name']}: {check['message']}",
            event="check.result",
            fix=check.get("fix"),
            data={"name": check["name"], "status": check["status"]},
        )
    write_json(report)
    failed = any(check["status"] == "fail" for check in report["checks"])
    return ExitCode.PREFLIGHT_FAILED if failed else ExitCode.OK
