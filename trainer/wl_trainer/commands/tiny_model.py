"""``python -m wl_trainer tiny-model --arch llama|qwen2|mistral OUT [--seed N] [--force]``:
build (or reuse) a tiny random-weight model for tests; prints path, arch, params and vocab."""

from __future__ import annotations

import argparse
from pathlib import Path

from wl_trainer.exit_codes import ExitCode
from wl_trainer.json_output import write_json
from wl_trainer.status import Reporter
from wl_trainer.tiny_model import ARCHS, ensure_tiny_model

NAME = "tiny-model"
HELP = "build a tiny random-weight model of a real architecture, offline, for tests"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--arch, OUT, --seed and --force."""
    parser.add_argument("--arch", choices=ARCHS, required=True, help="the architecture to build")
    parser.add_argument("out", type=Path, metavar="OUT", help="the folder to write the model to")
    parser.add_argument("--seed", type=int, default=0, help="weight seed (default 0)")
    parser.add_argument(
        "--force", action="store_true", help="rebuild even if OUT already holds a model"
    )


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    """Build or reuse the model and print its description."""
    model = ensure_tiny_model(args.arch, args.out, seed=args.seed, force=args.force)
    verb = "reused" if model.reused else "built"
    size = f"{model.params:,} params, vocab {model.vocab}"
    reporter.success(
        f"{verb} tiny {model.arch} model at {model.path} ({size})",
        event="tiny_model.ready",
    )
    write_json(model.to_json())
    return ExitCode.OK
