"""Training speed on the CPU: wl's trainer against TRL's SFTTrainer and a bare PyTorch loop, with
packing off and on, in one run.

    bench/run train-cpu                                   # the measurement (see docs/BENCHMARKS.md)
    bench/run train-cpu --conversations 8 --steps 2       # a quick try that all sides still run

All three sides train the same random-init Llama (CPU_SHAPE, with the tiny test tokenizer) on the
same conversations (the first --conversations of data/weather/sample-train.jsonl) with the same
LoRA (r 16, alpha 32, dropout 0.05, all linear layers), max_seq_length, micro-batch,
accumulation, optimizer steps, learning rate and seed, in fp32 with SDPA attention and no
gradient checkpointing (TRL's default turns it on; here it is off for all). Each side runs in a
fresh process; tokens/s counts non-padding input tokens from the end of the first (warm-up) step
to the end of the last (train_sides.py). Steps default to one epoch's whole steps in each mode,
so packed and padded runs train the same conversations.

Results: bench/results/train-cpu.json and a markdown table on stdout for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "trainer"))

from train_sides import Result, Settings, ensure_model, run_side  # noqa: E402

# Why this size: the tiny test model (hidden 64, 2 layers) is too small to say anything about
# speed: its LoRA adapters (r 16) are a quarter of its width, so adapter and per-operation work
# that is 1-2 % of a real model's becomes a large share. At hidden 512 the adapters add 6 % to
# each projection, the projections are [tokens x 512] x [512 x 1408] products that keep both
# cores busy (a forward + backward sustained 45-50 GFLOP/s at hidden 256-512 in a sweep), and a
# run still takes minutes. 2 layers rather than 4 or 8 halve the time again without changing that
# balance: 7 M parameters. At ~1,900-token packed rows attention is about as much arithmetic as the
# projections here (a Llama-3.2-1B at 2,048: a seventh), and the tiny tokenizer's 1,008 ids make
# the output head cheap (unlike 128k): see docs/BENCHMARKS.md on reading the numbers.
CPU_SHAPE = {
    "hidden_size": 512,
    "intermediate_size": 1408,
    "num_hidden_layers": 2,
    "num_attention_heads": 8,
    "num_key_value_heads": 4,
    "vocab_size": 1008,
    "max_position_embeddings": 2048,
    "tie_word_embeddings": False,
}
SIDES = ("bare", "trl", "wl")


def main() -> None:
    """Run every side in every packing mode and print the table."""
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="wl-bench-train-"))
    print(f"work folder (configs, logs, run folders): {workdir}", file=sys.stderr)
    model_dir = ensure_model(Path(args.model_dir), CPU_SHAPE, args.seed, "cpu", "fp32")
    data_file = workdir / "conversations.jsonl"
    lines = (
        (REPO / "data/weather/sample-train.jsonl").read_text().splitlines()[: args.conversations]
    )
    data_file.write_text("\n".join(lines) + "\n")
    results: dict[str, Any] = {
        "machine": machine(),
        "model": {"shape": CPU_SHAPE, "dir": str(model_dir)},
        "conversations": len(lines),
        "settings": {},
        "runs": [],
    }
    trainer_python = str(REPO / "trainer/.venv/bin/python")
    for packing in args.packing:
        settings = Settings(
            model_dir=str(model_dir),
            data_file=str(data_file),
            max_seq_length=args.max_seq_length,
            packing=packing == "on",
            micro_batch_size=args.micro_batch_size,
            gradient_accumulation_steps=args.accumulation,
            steps=args.steps or epoch_steps(model_dir, data_file, args, packing == "on"),
            device="cpu",
            dtype="fp32",
            workdir=str(workdir),
            seed=args.seed,
        )
        results["settings"][packing] = asdict(settings) | {"workdir": None}
        for side in args.sides:
            print(f"packing {packing}: {side} ({settings.steps} steps)…", file=sys.stderr)
            started = time.perf_counter()
            result = run_side(side, settings, trainer_python if side == "wl" else None)
            print(
                f"  {result.tokens_per_s:,.0f} tokens/s ({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
            )
            results["runs"].append({"packing": packing, **asdict(result)})
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(machine_line(results["machine"]))
    print()
    print(table(results))


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=32, help="first N of sample-train")
    parser.add_argument("--steps", type=int, help="optimizer steps (default: one epoch's)")
    parser.add_argument("--max-seq-length", type=int, default=2048)
    parser.add_argument("--micro-batch-size", type=int, default=2)
    parser.add_argument("--accumulation", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--packing", nargs="+", choices=["off", "on"], default=["off", "on"])
    parser.add_argument("--sides", nargs="+", choices=SIDES, default=list(SIDES))
    parser.add_argument("--model-dir", default=str(REPO / ".cache/models/bench-llama-d512-l2"))
    parser.add_argument("--out", default=str(REPO / "bench/results/train-cpu.json"))
    return parser.parse_args()


def epoch_steps(model_dir: Path, data_file: Path, args: argparse.Namespace, packing: bool) -> int:
    """Whole optimizer steps in one epoch of wl's rows (TRL packs to about as many rows)."""
    from transformers import AutoTokenizer
    from wl_trainer.data.prepare import prepare_dataset

    data = {"train": str(data_file), "max_seq_length": args.max_seq_length, "packing": packing}
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    rows = len(prepare_dataset({"data": data}, tokenizer, cache_dir=data_file.parent / "wl-cache"))
    steps = rows // (args.micro_batch_size * args.accumulation)
    if steps < 2:
        raise SystemExit(
            f"{rows} rows make {steps} step(s) of {args.micro_batch_size}x{args.accumulation}; "
            "at least 2 are needed (the first is not timed): raise --conversations"
        )
    return steps


def machine() -> dict[str, Any]:
    """What these numbers were measured on."""
    import peft
    import torch
    import transformers
    import trl

    cpuinfo = Path("/proc/cpuinfo")
    names = [
        line.split(":", 1)[1].strip()
        for line in (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
        if line.startswith("model name")
    ]
    return {
        "cpu": names[0] if names else platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "load_average_before": os.getloadavg(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "peft": peft.__version__,
        "trl": trl.__version__,
        "date": date.today().isoformat(),
    }


def machine_line(facts: dict[str, Any]) -> str:
    """The docs' **Machine:** line."""
    load = facts["load_average_before"][0]
    return (
        f"**Machine:** {facts['cores']} cores ({facts['cpu']}), {facts['torch_threads']} torch "
        f"threads; Python {facts['python']}, torch {facts['torch']}, transformers "
        f"{facts['transformers']}, PEFT {facts['peft']}, TRL {facts['trl']}. "
        f"{facts['date']}, load average {load:.1f} before the run."
    )


def table(results: dict[str, Any]) -> str:
    """The markdown table for docs/BENCHMARKS.md: tokens/s per side and mode, ratios to the
    bare loop and between wl and TRL, and each side's gain from packing."""
    runs = {(run["packing"], run["side"]): Result(**run_fields(run)) for run in results["runs"]}
    rows = [
        "| packing | side | steps (timed) | tokens timed | seconds | tokens/s | × bare loop "
        "| wl / TRL | packing on / off |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for (packing, side), result in runs.items():
        bare = runs.get((packing, "bare"))
        vs_bare = f"{result.tokens_per_s / bare.tokens_per_s:.2f}×" if bare else ""
        wl, trl = runs.get((packing, "wl")), runs.get((packing, "trl"))
        vs_trl = f"{wl.tokens_per_s / trl.tokens_per_s:.2f}×" if side == "wl" and wl and trl else ""
        off, on = runs.get(("off", side)), runs.get(("on", side))
        gain = (
            f"{on.tokens_per_s / off.tokens_per_s:.2f}×" if packing == "on" and off and on else ""
        )
        rows.append(
            f"| {packing} | {side} | {result.steps} ({result.timed_steps}) | {result.tokens:,} "
            f"| {result.seconds:.1f} | {result.tokens_per_s:,.0f} | {vs_bare} | {vs_trl} "
            f"| {gain} |"
        )
    return "\n".join(rows)


def run_fields(run: dict[str, Any]) -> dict[str, Any]:
    """A run's record without the packing mode (the rest is a Result)."""
    return {key: value for key, value in run.items() if key != "packing"}


if __name__ == "__main__":
    main()
