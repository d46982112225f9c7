"""``python -m wl_trainer validate-config FILE [--json]``: is this config valid, and what does it
resolve to?

Valid: exit 0, the resolved config (defaults filled, paths absolute) as JSON on stdout.
Invalid: exit 1 and one line on stderr naming the key, its line and the fix.
With ``--json`` stdout always carries a verdict document instead::

    {"schema": "wl.config-validation/1", "valid": false, "path": "…",
     "problems": [{"path": "lora.r", "line": 9, "message": "…", "fix": "…"}]}
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wl_trainer.config import ConfigError, load_config
from wl_trainer.config_problems import ConfigProblem
from wl_trainer.errors import WlError
from wl_trainer.exit_codes import ExitCode
from wl_trainer.json_output import write_json
from wl_trainer.status import Reporter

NAME = "validate-config"
HELP = "validate a wl config (YAML or JSON) and print it resolved"
VERDICT_SCHEMA = "wl.config-validation/1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """FILE and --json."""
    parser.add_argument("file", type=Path, metavar="FILE", help="the config file (YAML or JSON)")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print a verdict document (valid, problems, config) on stdout, also when invalid",
    )


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    """Validate FILE; exit 0 when valid, 1 when not."""
    try:
        loaded = load_config(args.file)
    except WlError as error:
        if args.json:
            write_json(verdict(str(args.file.absolute()), problems_of(error)))
        raise
    reporter.success(f"config {args.file} is valid", event="config.valid")
    if args.json:
        write_json(verdict(loaded.path, [], loaded.resolved, loaded.sha256))
    else:
        write_json(loaded.resolved)
    return ExitCode.OK


def problems_of(error: WlError) -> list[ConfigProblem]:
    """Every problem behind an error; a parse or file error is a single problem."""
    if isinstance(error, ConfigError):
        return error.problems
    return [ConfigProblem(path="", message=error.message, fix=error.fix)]


def verdict(
    path: str,
    problems: list[ConfigProblem],
    config: dict[str, Any] | None = None,
    sha256: str | None = None,
) -> dict[str, Any]:
    """The --json document."""
    doc: dict[str, Any] = {
        "schema": VERDICT_SCHEMA,
        "valid": not problems,
        "path": path,
        "problems": [problem.to_json() for problem in problems],
    }
    if config is not None:
        doc["sha256"] = sha256
        doc["config"] = config
    return doc
