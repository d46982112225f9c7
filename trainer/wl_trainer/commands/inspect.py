"""``python -m wl_trainer inspect --model M FILE [--max-seq-length N] [--format F] [--config C]
[--sample N] [--json]``: a data file under the model's own chat template, before any GPU is paid.

Prints token lengths (p50 / p95 / max), how many samples exceed max_seq_length, the share of
tokens trained, and one rendered sample with its trained tokens inside ⟦ ⟧ (green too on a TTY;
secrets from the environment masked, as everywhere). Samples are what training sees: a record
the template cannot split counts as its parts, one per run of assistant turns (``--sample``
numbers those too).
``--json`` prints the ``wl.inspect/1`` document instead, the sample as segments
``{"text", "trainable"}``. M is a local model folder or a hub id (read through the Hugging Face
cache). ``--config`` applies a wl config's data settings — its system prompt above all, which
every record without one gets — and supplies M and FILE when they are not given.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from wl_trainer.config import load_config
from wl_trainer.data.settings import data_settings
from wl_trainer.data.tokenizer import load_tokenizer
from wl_trainer.errors import WlError
from wl_trainer.exit_codes import ExitCode
from wl_trainer.json_output import write_json
from wl_trainer.redaction import redact, secrets_from_env
from wl_trainer.status import Reporter, use_colour

NAME = "inspect"
HELP = "show a data file under a model's chat template: token lengths and what is trained"
MARK_START, MARK_END = "⟦", "⟧"
GREEN, RESET = "\033[32m", "\033[0m"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """FILE, --model, --config, --max-seq-length, --format, --sample and --json."""
    parser.add_argument(
        "file", nargs="?", type=Path, metavar="FILE", help="JSONL data (default: data.train)"
    )
    parser.add_argument("--model", metavar="M", help="model folder or hub id (default: model.base)")
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="a wl config whose data applies"
    )
    parser.add_argument("--max-seq-length", type=int, metavar="N", help="default 2048 or config's")
    parser.add_argument(
        "--format", choices=("auto", "chat", "alpaca", "sharegpt"), help="default: detected"
    )
    parser.add_argument("--sample", type=int, default=1, metavar="N", help="sample to show (1-)")
    parser.add_argument("--json", action="store_true", help="print a wl.inspect/1 document")


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    """Tokenize FILE with M's template and report; exit 0, or 1 on a problem."""
    from wl_trainer.data.inspection import inspect_data  # numpy: only when inspecting

    config = inspect_config(args)
    settings = data_settings(config)
    model = config["model"]
    tokenizer = load_tokenizer(
        model["base"], model.get("revision"), bool(model.get("trust_remote_code", False))
    )
    report = inspect_data(
        Path(settings.train), tokenizer, settings, model["base"], sample_number=args.sample
    )
    announce(report, reporter)
    if args.json:
        write_json(report)
    else:
        text = text_report(report, use_colour(sys.stdout, os.environ))
        sys.stdout.write(redact(text, secrets_from_env()))  # as write_json does for --json
        sys.stdout.flush()
    return ExitCode.OK


def inspect_config(args: argparse.Namespace) -> dict[str, Any]:
    """The model and data sections to use: --config's, overridden by the flags."""
    config = load_config(args.config).resolved if args.config else {"model": {}, "data": {}}
    model, data = dict(config["model"]), dict(config["data"])
    if args.model:
        model = {"base": args.model}
    if args.file:
        data["train"] = str(args.file)
    if args.max_seq_length is not None:
        data["max_seq_length"] = args.max_seq_length
    if args.format:
        data["format"] = args.format
    if "base" not in model:
        raise WlError("usage", "no model to inspect with", "pass --model M (or --config FILE)")
    if "train" not in data:
        raise WlError("usage", "no data file to inspect", "pass FILE (or --config FILE)")
    return {"model": model, "data": data}


def announce(report: dict[str, Any], reporter: Reporter) -> None:
    """Status lines: over-long samples as a warning, then the summary."""
    over, limit = report["over_max_length"], report["max_seq_length"]
    if over:
        reporter.warning(
            f"{over} of {report['samples']} samples are longer than max_seq_length {limit}",
            event="inspect.overlong",
            fix="raise data.max_seq_length, or choose data.overlong: drop | truncate",
        )
    tokens = report["tokens"]
    reporter.success(
        f"inspected {count(report['samples'], 'sample')}: p50 {tokens['p50']}, "
        f"p95 {tokens['p95']}, max {tokens['max']} tokens, {report['trainable_share']:.1%} trained",
        event="inspect.done",
    )


def text_report(report: dict[str, Any], colour: bool) -> str:
    """The report for people: numbers first, then the sample with trained text marked."""
    tokens, sample = report["tokens"], report["sample"]
    lines = [
        f"model      {report['model']}",
        f"file       {report['file']} ({report['format']}, {file_counts(report)})",
        f"tokens     p50 {tokens['p50']} · p95 {tokens['p95']} · max {tokens['max']} · "
        f"total {tokens['total']}",
        f"too long   {report['over_max_length']} longer than max_seq_length "
        f"{report['max_seq_length']}",
        f"trained    {report['trainable_share']:.1%} of tokens ({report['trainable_tokens']})",
        "",
        f"sample {sample['name']}: {sample['tokens']} tokens, {sample['trainable_tokens']} "
        f"trained (inside {MARK_START} {MARK_END}):",
        "".join(marked(segment, colour) for segment in sample["segments"]),
    ]
    return "\n".join(lines) + "\n"


def file_counts(report: dict[str, Any]) -> str:
    """``3 samples``; or, when records were split per turn, ``3 records, 2 split per turn into
    7 samples``."""
    samples = count(report["samples"], "sample")
    if not report["expanded"]:
        return samples
    return (
        f"{count(report['records'], 'record')}, {report['expanded']} split per turn into {samples}"
    )


def count(number: int, noun: str) -> str:
    """``1 sample``, ``3 samples``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def marked(segment: dict[str, Any], colour: bool) -> str:
    """A trained segment inside the markers (and green on a TTY); others as they are."""
    if not segment["trainable"]:
        return str(segment["text"])
    inner = f"{GREEN}{segment['text']}{RESET}" if colour else segment["text"]
    return f"{MARK_START}{inner}{MARK_END}"
