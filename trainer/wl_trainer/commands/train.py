"""``python -m wl_trainer train --config FILE --out RUN_DIR``: train a LoRA adapter, resumably.

Running it again on the same RUN_DIR resumes from the latest complete checkpoint. The run
folder, status.json, metrics and exit codes are documented in docs/training.md. stdout gets the
report (``wl.train-report/1``) as one JSON object when the run ends, however it ends.
"""

from __future__ import annotations

import argparse
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from wl_trainer.errors import WlError
from wl_trainer.exit_codes import ExitCode
from wl_trainer.json_output import write_json
from wl_trainer.redaction import redact
from wl_trainer.status import Reporter
from wl_trainer.train.log_tee import LogTee
from wl_trainer.train.options import TrainOptions

if TYPE_CHECKING:
    from wl_trainer.train.loop import Outcome, Training

NAME = "train"
HELP = "train a LoRA adapter into RUN_DIR; run it again on RUN_DIR to resume"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--config, --out, --data, --resume, --warm-start, --device, --max-steps, --cost-per-hour."""
    parser.add_argument("--config", type=Path, required=True, metavar="FILE", help="a wl config")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="RUN_DIR", help="the run folder (resumable)"
    )
    parser.add_argument(
        "--data", type=Path, metavar="DIR", help="take data.train / data.val from DIR by name"
    )
    parser.add_argument(
        "--resume",
        choices=("auto", "never"),
        help="auto: continue from the latest checkpoint (default: checkpoints.resume); never: "
        "start fresh, moving earlier checkpoints aside",
    )
    parser.add_argument(
        "--warm-start",
        action="store_true",
        help="start fresh from the latest checkpoint's adapter weights only",
    )
    parser.add_argument("--device", choices=("auto", "cuda", "mps", "cpu"), help="override")
    parser.add_argument("--max-steps", type=positive_int, metavar="N", help="override")
    parser.add_argument(
        "--cost-per-hour", type=non_negative, metavar="USD", help="hourly rate for cost and budget"
    )


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    """Train; write report.json and print it; return the outcome's exit code."""
    # The engine (numpy, the data pipeline, then torch) loads only when training: the other
    # commands start without it.
    from wl_trainer.train.files import RunFolder, write_json_atomic
    from wl_trainer.train.loop import Outcome, Training
    from wl_trainer.train.status_board import StatusBoard

    options = TrainOptions(
        config=args.config,
        out=args.out.resolve(),
        data_dir=args.data.resolve() if args.data else None,
        resume=args.resume,
        warm_start=args.warm_start,
        device=args.device,
        max_steps=args.max_steps,
        cost_per_hour=args.cost_per_hour,
    )
    folder = RunFolder(options.out)
    folder.root.mkdir(parents=True, exist_ok=True)
    tee = LogTee(reporter.stream, folder.log)
    logged = Reporter(reporter.log_format, cast(TextIO, tee), run_id=folder.root.name)
    board = StatusBoard(folder.status).start()
    training = Training(options, logged, board)
    try:
        outcome = training.run()
    except WlError as error:
        logged.error(error.message, fix=error.fix, data={"code": error.code})
        outcome = Outcome("failed", int(error.exit_code), error.message)
        debug_traceback(args.debug, tee)
    except Exception as error:  # the report and status must say failed, whatever broke
        message = f"internal error: {type(error).__name__}: {error}"
        logged.error(message, fix="run again with --debug and report the traceback")
        outcome = Outcome("failed", ExitCode.ERROR, message)
        debug_traceback(args.debug, tee)
    report = training.final_report(outcome)
    write_json_atomic(folder.report, report)
    announce(outcome, logged, training)
    board.finish(outcome.stage, outcome.exit_code, outcome.message)
    tee.close()
    write_json(report)
    return outcome.exit_code


def announce(outcome: Outcome, reporter: Reporter, training: Training) -> None:
    """The closing status line and the completion notification."""
    if outcome.exit_code == ExitCode.OK:
        reporter.success(outcome.message, event="train.done")
    elif outcome.stage == "interrupted":
        reporter.warning(
            outcome.message, event="train.interrupted", fix="run the same command to resume"
        )
    webhook = getattr(training, "webhook", None)
    if webhook is not None and outcome.stage != "crash_loop":  # that one was sent already
        webhook.notify(
            "completed" if outcome.exit_code == ExitCode.OK else outcome.stage,
            {"exit_code": outcome.exit_code, "message": outcome.message},
        )


def debug_traceback(debug: bool, stream: LogTee) -> None:
    """With --debug, the traceback (redacted) on stderr and in train.log."""
    if debug:
        stream.write(redact(traceback.format_exc()))
        stream.flush()


def positive_int(text: str) -> int:
    """argparse type: an integer ≥ 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer ≥ 1, got {text}")
    return value


def non_negative(text: str) -> float:
    """argparse type: a number ≥ 0."""
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 0, got {text}")
    return value
