"""``python -m wl_trainer <command>``: argv → command → exit code, with one top-level catch.

Global options (before or after the command): ``--log-format text|json`` and ``--debug``.
Bad input ends in one line — ``[WL-TRAINER] ❌ ERROR: … → fix: …`` — and exit 1 (or the code the
error carries); a traceback is printed only with ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from wl_trainer import __version__
from wl_trainer.commands import Command, check, inspect, tiny_model, train, validate_config
from wl_trainer.errors import WlError
from wl_trainer.exit_codes import ExitCode
from wl_trainer.redaction import redact
from wl_trainer.status import LogFormat, Reporter

COMMANDS: tuple[Command, ...] = (check, validate_config, inspect, train, tiny_model)
PROG = "python -m wl_trainer"
DESCRIPTION = (
    "wl's training engine: checks, config validation, inspecting data under a model's chat "
    "template, training LoRA adapters, and tiny test models"
)


class ArgumentParser(argparse.ArgumentParser):
    """argparse that raises a WlError instead of printing usage and exiting 2 (2 means crash
    loop in wl's exit-code table)."""

    def error(self, message: str) -> NoReturn:
        """Turn a usage problem into a one-line error with the fix."""
        raise WlError("usage", f"{self.prog}: {message}", f"see `{self.prog} --help`")


def common_options() -> ArgumentParser:
    """Options every command accepts, before or after the command name."""
    common = ArgumentParser(add_help=False)
    common.add_argument(
        "--log-format",
        choices=["text", "json"],
        default=argparse.SUPPRESS,
        help="stderr as status lines (text) or one wl.event/1 JSON object per line (json)",
    )
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="print tracebacks"
    )
    return common


def build_parser() -> ArgumentParser:
    """The full parser: global options plus one subparser per command."""
    common = common_options()
    parser = ArgumentParser(prog=PROG, parents=[common], description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"wl-trainer {__version__}")
    parser.set_defaults(log_format="text", debug=False)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        sub = subparsers.add_parser(
            command.NAME, help=command.HELP, description=command.HELP, parents=[common]
        )
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


def early_options(argv: Sequence[str]) -> tuple[LogFormat, bool]:
    """--log-format and --debug read before full parsing, so usage errors honour them too."""
    peek = argparse.ArgumentParser(add_help=False)
    peek.add_argument("--log-format", default="text")
    peek.add_argument("--debug", action="store_true")
    known, _ = peek.parse_known_args(argv)
    log_format: LogFormat = "json" if known.log_format == "json" else "text"
    return log_format, bool(known.debug)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code; never raises."""
    argv = list(sys.argv[1:] if argv is None else argv)
    log_format, debug = early_options(argv)
    reporter = Reporter(log_format)
    try:
        args = build_parser().parse_args(argv)
        code: int = args.run(args, reporter)
        return code
    except SystemExit as exit_:  # --help and --version exit through argparse
        return exit_.code if isinstance(exit_.code, int) else ExitCode.OK
    except WlError as error:
        reporter.error(error.message, fix=error.fix, data={"code": error.code})
        print_traceback(debug)
        return int(error.exit_code)
    except KeyboardInterrupt:
        reporter.error("interrupted", event="interrupted", fix="run the command again to continue")
        print_traceback(debug)
        return ExitCode.INTERRUPTED
    except Exception as error:
        reporter.error(
            f"internal error: {type(error).__name__}: {error}",
            fix="run again with --debug and report the traceback",
            data={"code": "internal"},
        )
        print_traceback(debug)
        return ExitCode.ERROR


def print_traceback(debug: bool) -> None:
    """With --debug, the current exception's traceback, redacted, on stderr."""
    if debug:
        sys.stderr.write(redact(traceback.format_exc()))
