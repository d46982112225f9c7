"""Training speed on one GPU: wl's trainer against TRL's SFTTrainer, Llama-3.2-1B and
Llama-3.1-8B shapes (random weights), seq 2048 packed, LoRA r 16 on all linear layers, bf16.
Reports tokens/s, MFU and peak memory, as a markdown table on stdout and a JSON file.

Sides, each in a fresh process (train_sides.py): wl's trainer (its defaults: no gradient
checkpointing, FlashAttention-2 when installed else SDPA); TRL with its defaults (gradient
checkpointing on, padding-free batches from its best-fit packing); and TRL without gradient
checkpointing, to separate that default from the rest. Data: the weather conversations through
the tiny test tokenizer (ids < 1,008 of the 128,256-id vocabulary; speed does not depend on which
ids), packed by each side to 2,048-token rows. Timed from the end of step 1 to the end of the
last step.

MFU = tokens/s x FLOPs per token / peak, with LoRA FLOPs per token = 4·N_frozen + 6·N_lora +
12·layers·hidden·seq (N_frozen: the matrix-multiplying weights, i.e. the layers' projections and
the output head; the input embedding is a lookup) and a dense bf16 peak of 989 TFLOP/s (H100
SXM; an H200 computes the same; --peak-tflops 756 for an H100 PCIe).

On the device machine (torch, transformers, peft and accelerate are installed there; TRL,
datasets and jsonschema are not, and nothing can be downloaded there):

  1. Here, once:   bench/run gpu-wheels
     (pip downloads the pinned wheels for CPython 3.12 x86-64 into bench/.whl, which git
     ignores: TRL, datasets, dill, multiprocess, jsonschema and its three dependencies, and
     transformers, peft and regex at the trainer's pins; ~17 MB next to the repo's ~42 MB of the
     64 MiB a call carries. The machine's own pyarrow, pandas, xxhash, huggingface-hub are used.)
  2. device run, carry ["bench/.whl"], one model per call (each fits one call's 10 minutes):
     python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade
       --target /tmp/site bench/.whl/*.whl && export PYTHONPATH=/tmp/site:trainer
       PYTHONUNBUFFERED=1 && python3 bench/train_gpu.py --models 1b --out $OUT/train-gpu-1b.json
  3. The same with --models 8b --out $OUT/train-gpu-8b.json. The random 8B model is written to
     /tmp/wl-bench-models (16 GB) and read back by each side. Should a side not fit a call, split
     it: --sides wl, then --sides trl trl-no-gc.
  If a package is still missing there, the script says which before anything is built.

Here, without a GPU, the same code runs at toy sizes on the CPU:  bench/run train-gpu --smoke
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "trainer"))

from train_sides import Result, Settings, ensure_model, run_side  # noqa: E402

PEAK_TFLOPS = 989.0
LLAMA3_VOCAB = 128256
LLAMA3_ROPE = {"rope_type": "default", "rope_theta": 500000.0}


@dataclass(frozen=True)
class Case:
    """A model shape and the batch layout it is trained with."""

    shape: dict[str, Any]
    micro_batch_size: int
    gradient_accumulation_steps: int
    steps: int


# Llama-3.2-1B and Llama-3.1-8B as published (rope scaling left out: it does not change speed).
# Batch layouts: 16 rows of 2,048 tokens per step for both; the 8B takes 2 rows per forward so
# that wl and TRL without gradient checkpointing fit 80 GB (~16 GB of activations per row).
CASES = {
    "1b": Case(
        shape={
            "hidden_size": 2048,
            "intermediate_size": 8192,
            "num_hidden_layers": 16,
            "num_attention_heads": 32,
            "num_key_value_heads": 8,
            "vocab_size": LLAMA3_VOCAB,
            "max_position_embeddings": 131072,
            "rope_parameters": LLAMA3_ROPE,
            "tie_word_embeddings": True,
        },
        micro_batch_size=4,
        gradient_accumulation_steps=4,
        steps=12,
    ),
    "8b": Case(
        shape={
            "hidden_size": 4096,
            "intermediate_size": 14336,
            "num_hidden_layers": 32,
            "num_attention_heads": 32,
            "num_key_value_heads": 8,
            "vocab_size": LLAMA3_VOCAB,
            "max_position_embeddings": 131072,
            "rope_parameters": LLAMA3_ROPE,
            "tie_word_embeddings": False,
        },
        micro_batch_size=2,
        gradient_accumulation_steps=8,
        steps=8,
    ),
}
# --smoke: the same code at toy sizes on the CPU (fp32), to test it where there is no GPU. The
# vocabulary stays larger than the tokenizer's, as in the real cases (128,256 would cost minutes).
SMOKE_CASE = Case(
    shape={
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "vocab_size": 8192,
        "max_position_embeddings": 2048,
        "rope_parameters": LLAMA3_ROPE,
        "tie_word_embeddings": True,
    },
    micro_batch_size=1,
    gradient_accumulation_steps=2,
    steps=2,
)
# Side name → (train_sides side, gradient checkpointing: None = TRL's default, which is on).
SIDES = {"wl": ("wl", False), "trl": ("trl", None), "trl-no-gc": ("trl", False)}
LORA_TARGETS_PER_LAYER = 7  # q, k, v, o, gate, up, down


def main() -> None:
    """Every model, every side; the table on stdout, everything in the JSON file."""
    args = parse_args()
    check_packages(args.smoke)
    workdir = Path(tempfile.mkdtemp(prefix="wl-bench-gpu-"))
    print(f"work folder (configs, logs, run folders): {workdir}", file=sys.stderr)
    device, dtype = ("cpu", "fp32") if args.smoke else ("cuda", "bf16")
    seq = args.max_seq_length
    data_file = workdir / "conversations.jsonl"
    lines = (REPO / "data/weather/train.jsonl").read_text().splitlines()[: args.conversations]
    data_file.write_text("\n".join(lines) + "\n")
    results: dict[str, Any] = {
        "machine": machine(device),
        "peak_tflops": args.peak_tflops,
        "max_seq_length": seq,
        "conversations": len(lines),
        "runs": [],
    }
    for model in args.models:
        name = "smoke" if args.smoke else model
        case = SMOKE_CASE if args.smoke else CASES[model]
        case = replace(case, steps=args.steps or case.steps)
        model_dir = ensure_model(
            Path(args.model_dir) / f"llama-{name}",
            case.shape,
            args.seed,
            device,
            dtype,
        )
        settings = Settings(
            model_dir=str(model_dir),
            data_file=str(data_file),
            max_seq_length=seq,
            packing=True,
            micro_batch_size=case.micro_batch_size,
            gradient_accumulation_steps=case.gradient_accumulation_steps,
            steps=case.steps,
            device=device,
            dtype=dtype,
            workdir=str(workdir),
            seed=args.seed,
        )
        flops = flops_per_token(case.shape, seq, settings.lora_r)
        for side in args.sides:
            runner, checkpointing = SIDES[side]
            print(f"{name}: {side} ({case.steps} steps)…", file=sys.stderr)
            started = time.perf_counter()
            result = run_side(runner, replace(settings, gradient_checkpointing=checkpointing))
            mfu = result.tokens_per_s * flops / (args.peak_tflops * 1e12)
            print(
                f"  {result.tokens_per_s:,.0f} tokens/s, MFU {mfu:.1%} "
                f"({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
            )
            results["runs"].append(
                {"model": name, **asdict(result), "side": side, "flops_per_token": flops}
                | {"mfu": mfu, "micro_batch_size": case.micro_batch_size}
                | {"gradient_accumulation_steps": case.gradient_accumulation_steps}
            )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", nargs="+", choices=sorted(CASES), default=sorted(CASES))
    parser.add_argument("--sides", nargs="+", choices=list(SIDES), default=list(SIDES))
    parser.add_argument("--steps", type=int, help="optimizer steps (default: per model, above)")
    parser.add_argument(
        "--conversations", type=int, default=800, help="first N of data/weather/train.jsonl"
    )
    parser.add_argument("--max-seq-length", type=int, default=2048)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--peak-tflops", type=float, default=PEAK_TFLOPS)
    parser.add_argument("--model-dir", default="/tmp/wl-bench-models")
    parser.add_argument("--out", default=str(REPO / "bench/results/train-gpu.json"))
    parser.add_argument("--smoke", action="store_true", help="toy sizes on the CPU (a test)")
    args = parser.parse_args()
    if args.smoke:
        args.conversations = min(args.conversations, 24)
        args.models = args.models[:1]
    return args


def check_packages(smoke: bool) -> None:
    """Stop early, saying what to carry, when a package or the GPU is missing."""
    missing = []
    for module in ("trl", "datasets", "jsonschema", "peft", "transformers"):
        try:
            importlib.import_module(module)
        except ImportError as error:
            missing.append(f"{module} ({error})")
    if missing:
        raise SystemExit(
            f"not importable: {', '.join(missing)} → here run `bench/run gpu-wheels`, carry "
            "bench/.whl and install it first (the steps are in bench/train_gpu.py's header)"
        )
    import torch

    if not smoke and not torch.cuda.is_available():
        raise SystemExit("no CUDA GPU here → run on the device machine, or pass --smoke")


def flops_per_token(shape: dict[str, Any], seq: int, rank: int) -> float:
    """LoRA training FLOPs per token: 4·N_frozen + 6·N_lora + 12·layers·hidden·seq."""
    hidden, inter = shape["hidden_size"], shape["intermediate_size"]
    layers, vocab = shape["num_hidden_layers"], shape["vocab_size"]
    head_dim = hidden // shape["num_attention_heads"]
    kv = shape["num_key_value_heads"] * head_dim
    # (in, out) of every LoRA-wrapped projection of one layer: q, k, v, o, gate, up, down.
    projections = [
        (hidden, hidden),
        (hidden, kv),
        (hidden, kv),
        (hidden, hidden),
        (hidden, inter),
        (hidden, inter),
        (inter, hidden),
    ]
    frozen = layers * sum(i * o for i, o in projections) + vocab * hidden  # + the output head
    lora = layers * sum(rank * (i + o) for i, o in projections)
    return 4 * frozen + 6 * lora + 12 * layers * hidden * seq


def machine(device: str) -> dict[str, Any]:
    """What these numbers were measured on."""
    import peft
    import torch
    import transformers
    import trl

    gpu = None
    if device == "cuda":
        properties = torch.cuda.get_device_properties(0)
        gpu = {"name": properties.name, "memory_gb": properties.total_memory / 1e9}
    return {
        "gpu": gpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "transformers": transformers.__version__,
        "peft": peft.__version__,
        "trl": trl.__version__,
        "flash_attn": importlib.util.find_spec("flash_attn") is not None,
    }


def table(results: dict[str, Any]) -> str:
    """The markdown table: per model and side, tokens/s, MFU, peak memory and the ratio to
    TRL's defaults."""
    rows = [
        "| model | side | attention | grad. ckpt | micro-batch x accum. | tokens/s | MFU "
        "| peak memory | × TRL defaults |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    runs = results["runs"]
    for run in runs:
        result = Result(**{key: run[key] for key in Result.__dataclass_fields__})
        trl = next((r for r in runs if r["model"] == run["model"] and r["side"] == "trl"), None)
        ratio = f"{result.tokens_per_s / trl['tokens_per_s']:.2f}×" if trl else ""
        memory = f"{result.peak_memory_gb:.1f} GB" if result.peak_memory_gb is not None else "–"
        rows.append(
            f"| {run['model']} | {run['side']} | {result.notes.get('attention')} "
            f"| {'on' if result.notes.get('gradient_checkpointing') else 'off'} "
            f"| {run['micro_batch_size']} x {run['gradient_accumulation_steps']} "
            f"| {result.tokens_per_s:,.0f} | {run['mfu']:.1%} | {memory} | {ratio} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    main()
