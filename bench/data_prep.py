"""Data preparation: wl against TRL's SFTTrainer on the same conversations, in one run.

    bench/run data-prep            # sets up bench/.venv (TRL, datasets) once, then runs this

Both sides take the 16,000 generated weather conversations (data/weather/train.jsonl + val.jsonl),
the same tokenizer and chat template (the tiny Llama-3-style test model), assistant-only loss and
packing to 2,048 tokens, and are timed from records in memory to packed training rows:

- wl: ``wl_trainer.data.prepare.prepare_dataset`` (masks derived from the rendered template,
  best-fit packing, content-keyed cache), cold with 1 and 2 worker processes, then from its cache;
- TRL: ``SFTTrainer(..., train_dataset=...)`` construction, which tokenizes with
  ``return_assistant_tokens_mask`` and packs (``dataset_num_proc`` 1 and 2); the model is built
  before the clock starts.

Also timed: ``wl-data validate`` on the same file (whole command, Node start-up included).
Results: a JSON file under bench/results/ and a markdown table on stdout for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "trainer"))

from wl_trainer.data.prepare import prepare_dataset  # noqa: E402


def main() -> None:
    """Run every measurement and print the table."""
    args = parse_args()
    model_dir = ensure_tiny_model(Path(args.model))
    workdir = Path(tempfile.mkdtemp(prefix="wl-bench-data-"))
    data_file = workdir / "weather-16k.jsonl"
    sources = [REPO / "data/weather/train.jsonl", REPO / "data/weather/val.jsonl"]
    records = concatenate(sources, data_file, args.limit)
    print(f"{len(records)} conversations, model {model_dir}", file=sys.stderr)

    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    results: dict[str, Any] = {"machine": machine(), "conversations": len(records)}
    results["wl_data_validate_s"] = time_wl_data_validate(data_file)
    for workers in args.workers:
        results[f"wl_cold_w{workers}_s"], stats = time_wl(
            data_file, tokenizer, workdir / f"cache-{workers}", workers, args.max_seq_length
        )
        results[f"wl_rows_w{workers}"] = stats
    results["wl_cache_hit_s"], _ = time_wl(
        data_file,
        tokenizer,
        workdir / f"cache-{args.workers[-1]}",
        args.workers[-1],
        args.max_seq_length,
    )
    for workers in args.workers:
        results[f"trl_w{workers}_s"], results[f"trl_rows_w{workers}"] = time_trl(
            records, model_dir, tokenizer, workers, args.max_seq_length, workdir
        )

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results, args.workers))


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default=str(REPO / ".cache/models/tiny-llama"))
    parser.add_argument("--max-seq-length", type=int, default=2048)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--limit", type=int, help="only the first N conversations (a quick try)")
    parser.add_argument("--out", default=str(REPO / "bench/results/data-prep.json"))
    return parser.parse_args()


def ensure_tiny_model(path: Path) -> Path:
    """The tiny Llama test model, built when missing."""
    if not (path / "config.json").exists():
        run([sys.executable, "-m", "wl_trainer", "tiny-model", "--arch", "llama", str(path)])
    return path


def concatenate(files: list[Path], out: Path, limit: int | None) -> list[dict[str, Any]]:
    """Writes the first ``limit`` records of the files to ``out`` and returns them."""
    lines = [line for file in files for line in file.read_text().splitlines() if line.strip()]
    lines = lines[:limit]
    out.write_text("\n".join(lines) + "\n")
    return [json.loads(line) for line in lines]


def time_wl_data_validate(data_file: Path) -> float:
    """Wall time of the whole ``wl-data validate`` command on the file."""
    started = time.perf_counter()
    run(["node", str(REPO / "packages/wl-data/bin/wl-data.js"), "validate", str(data_file)])
    return time.perf_counter() - started


def time_wl(
    data_file: Path, tokenizer: Any, cache: Path, workers: int, max_len: int
) -> tuple[float, dict[str, Any]]:
    """Wall time of ``prepare_dataset`` with packing; a second call on the same cache is a hit."""
    config = {"data": {"train": str(data_file), "max_seq_length": max_len, "packing": True}}
    started = time.perf_counter()
    dataset = prepare_dataset(config, tokenizer, cache_dir=cache, workers=workers)
    seconds = time.perf_counter() - started
    stats = dataset.stats.to_json()
    return seconds, {
        key: stats[key]
        for key in ("samples", "dropped", "rows", "tokens", "trainable_tokens", "cache_hit")
    }


def time_trl(  # noqa: PLR0917 - one call site, every argument named there
    records: list[dict[str, Any]],
    model_dir: Path,
    tokenizer: Any,
    workers: int,
    max_len: int,
    workdir: Path,
) -> tuple[float, int]:
    """Wall time of SFTTrainer's dataset preparation (tokenize, assistant masks, packing)."""
    from datasets import Dataset
    from transformers import AutoModelForCausalLM
    from trl import SFTConfig, SFTTrainer

    model = AutoModelForCausalLM.from_pretrained(model_dir)
    dataset = Dataset.from_list([for_arrow(record) for record in records])
    config = SFTConfig(
        output_dir=str(workdir / f"trl-{workers}"),
        max_length=max_len,
        packing=True,
        assistant_only_loss=True,
        dataset_num_proc=workers if workers > 1 else None,
        report_to=[],
        use_cpu=True,
        bf16=False,
    )
    started = time.perf_counter()
    trainer = SFTTrainer(
        model=model, args=config, train_dataset=dataset, processing_class=tokenizer
    )
    seconds = time.perf_counter() - started
    return seconds, len(trainer.train_dataset)


def for_arrow(record: dict[str, Any]) -> dict[str, Any]:
    """Arrow needs one type per field: tool-call arguments all become JSON strings."""
    return {
        "messages": [arrow_message(m) for m in record["messages"]],
        "tools": record.get("tools"),
    }


def arrow_message(message: dict[str, Any]) -> dict[str, Any]:
    """One message with its tool calls' arguments as JSON strings."""
    calls = message.get("tool_calls")
    if not calls:
        return message
    return {
        **message,
        "tool_calls": [
            {
                **call,
                "function": {
                    **call["function"],
                    "arguments": as_json(call["function"]["arguments"]),
                },
            }
            for call in calls
        ],
    }


def as_json(arguments: Any) -> str:
    """Arguments as a JSON string, whichever form they came in."""
    return arguments if isinstance(arguments, str) else json.dumps(arguments)


def machine() -> dict[str, Any]:
    """What these numbers were measured on."""
    import torch
    import transformers
    import trl

    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "trl": trl.__version__,
    }


def table(results: dict[str, Any], workers: list[int]) -> str:
    """The markdown table for docs/BENCHMARKS.md."""
    n = results["conversations"]
    rows = [
        "| step | workers | seconds | conversations/s | ratio wl / TRL |",
        "| --- | --- | --- | --- | --- |",
    ]
    for w in workers:
        wl, trl = results[f"wl_cold_w{w}_s"], results[f"trl_w{w}_s"]
        rows.append(f"| wl prepare (cold) | {w} | {wl:.1f} | {n / wl:,.0f} | {trl / wl:.2f}× |")
        rows.append(f"| TRL SFTTrainer prepare | {w} | {trl:.1f} | {n / trl:,.0f} | |")
    hit = results["wl_cache_hit_s"]
    rows.append(f"| wl prepare (cache hit) | – | {hit:.2f} | {n / hit:,.0f} | |")
    validate = results["wl_data_validate_s"]
    rows.append(
        f"| wl-data validate (whole command) | 1 | {validate:.1f} | {n / validate:,.0f} | |"
    )
    return "\n".join(rows)


def run(command: list[str]) -> None:
    """Runs a command, failing loudly."""
    subprocess.run(
        command,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "trainer")},
        stdout=subprocess.DEVNULL,
    )


if __name__ == "__main__":
    main()
