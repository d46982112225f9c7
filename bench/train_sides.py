"""The sides of the training-speed benchmarks (train_cpu.py, train_gpu.py), one fresh process each.

    python bench/train_sides.py trl SETTINGS.json RESULT.json    # what the benchmarks run

- wl: the trainer's own command, ``python -m wl_trainer train --config CFG --out DIR
  --max-steps N``; the step times come from DIR/metrics.jsonl (every step logged);
- TRL: ``SFTTrainer`` on the same conversations, with its documented packing
  (``packing=True``: best-fit decreasing, which turns on padding-free batches);
- bare: the reference — a Hugging Face model with a PEFT LoRA adapter, wl's pre-tokenized rows,
  AdamW and nothing else.

Every side is timed the same way: the wall clock at the end of each optimizer step and the
non-padding input tokens seen by then; tokens/s is taken from the end of step 1 to the end of
the last step, so model loading, data preparation and the first (warm-up) step are left out for
all alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
MODEL_MARKER = "wl-bench-model.json"
TORCH_DTYPES = {"fp32": "float32", "bf16": "bfloat16"}


@dataclass(frozen=True)
class Settings:
    """What every side is given: the same model, data and training settings."""

    model_dir: str
    data_file: str
    """JSONL conversations, all of them one epoch."""
    max_seq_length: int
    packing: bool
    micro_batch_size: int
    gradient_accumulation_steps: int
    steps: int
    """Optimizer steps; the first is the warm-up and is not timed."""
    device: str
    """cpu or cuda."""
    dtype: str
    """fp32 or bf16: the weights' dtype (and TRL's bf16 switch)."""
    workdir: str
    seed: int = 42
    learning_rate: float = 2e-4
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    gradient_checkpointing: bool | None = False
    """None leaves TRL's default (on); wl and the bare loop run without."""


@dataclass
class Result:
    """One side's measurement."""

    side: str
    steps: int
    timed_steps: int
    tokens: int
    """Non-padding input tokens of the timed steps."""
    seconds: float
    tokens_per_s: float
    rows: int | None = None
    """Training rows (packed or padded) the side built from the conversations."""
    peak_memory_gb: float | None = None
    """CUDA's peak allocated memory (None on the CPU)."""
    notes: dict[str, Any] = field(default_factory=dict)


def rate_after_warmup(marks: list[tuple[float, int]]) -> tuple[int, float]:
    """(tokens, seconds) from the end of the first step to the end of the last, given
    (time, cumulative tokens) at the end of every step."""
    if len(marks) < 2:
        raise SystemExit("a side needs at least 2 steps: the first is the untimed warm-up")
    (start, first_tokens), (end, last_tokens) = marks[0], marks[-1]
    return last_tokens - first_tokens, end - start


def result_from_marks(side: str, marks: list[tuple[float, int]], **extra: Any) -> Result:
    """A Result from the step marks of one side."""
    tokens, seconds = rate_after_warmup(marks)
    return Result(side, len(marks), len(marks) - 1, tokens, seconds, tokens / seconds, **extra)


# Model --------------------------------------------------------------------------------------


def ensure_model(folder: Path, shape: dict[str, Any], seed: int, device: str, dtype: str) -> Path:
    """A random-init Llama of ``shape`` with the tiny test tokenizer at ``folder`` (reused when
    it holds this shape and seed already). No download: the tokenizer is built locally."""
    marker = {"shape": shape, "seed": seed, "dtype": dtype}
    try:
        if json.loads((folder / MODEL_MARKER).read_text()) == marker:
            return folder
    except (OSError, ValueError):
        pass
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM
    from wl_trainer.atomic_dir import building_dir
    from wl_trainer.tiny_model import ensure_tiny_model

    tiny = ensure_tiny_model("llama", REPO / ".cache/models/tiny-llama")
    tokenizer = AutoTokenizer.from_pretrained(tiny.path)
    config = LlamaConfig(
        **shape,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    default_dtype = torch.get_default_dtype()
    torch.set_default_dtype(getattr(torch, TORCH_DTYPES[dtype]))
    try:
        with torch.device(device):  # an 8B model initialises in seconds on the GPU
            model = LlamaForCausalLM(config)
    finally:
        torch.set_default_dtype(default_dtype)
    with building_dir(folder) as partial:
        model.save_pretrained(partial)
        tokenizer.save_pretrained(partial)
        (partial / MODEL_MARKER).write_text(json.dumps(marker))
    del model
    if device == "cuda":
        torch.cuda.empty_cache()
    return folder


# Running the sides ------------------------------------------------------------------------------


def run_side(side: str, settings: Settings, python: str | None = None) -> Result:
    """Run one side in a fresh process (the same start for all) and return its Result."""
    if side == "wl":
        return run_wl(settings, python or sys.executable)
    workdir = Path(tempfile.mkdtemp(prefix=f"{side}-", dir=settings.workdir))
    settings_file, result_file = workdir / "settings.json", workdir / "result.json"
    settings_file.write_text(json.dumps(asdict(settings)))
    command = [python or sys.executable, str(Path(__file__)), side]
    run_logged([*command, str(settings_file), str(result_file)], workdir / "side.log")
    return Result(**json.loads(result_file.read_text()))


def run_logged(command: list[str], log: Path, env: dict[str, str] | None = None) -> None:
    """Run a command with its output in ``log``; on failure show the log's end and stop."""
    with log.open("w") as out:
        finished = subprocess.run(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    if finished.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise SystemExit(
            f"{command[1:3]} failed (exit {finished.returncode}):\n{tail}\n(log {log})"
        )


def run_wl(settings: Settings, python: str) -> Result:
    """wl's trainer through its command line; timing from its metrics.jsonl."""
    workdir = Path(tempfile.mkdtemp(prefix="wl-", dir=settings.workdir))
    config_file, run_dir = workdir / "config.json", workdir / "run"
    config_file.write_text(json.dumps(wl_config(settings), indent=2))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO / "trainer"), os.environ.get("PYTHONPATH")])
        ),
        "WL_CACHE_DIR": str(Path(settings.workdir) / "wl-cache"),
    }
    command = [python, "-m", "wl_trainer", "train", "--config", str(config_file)]
    command += ["--out", str(run_dir), "--max-steps", str(settings.steps)]
    run_logged(command, workdir / "train.log", env)
    report = json.loads((run_dir / "report.json").read_text())
    steps = [
        line
        for line in map(json.loads, (run_dir / "metrics.jsonl").read_text().splitlines())
        if line.get("type") == "train"
    ]
    marks = [(float(line["elapsed_s"]), int(line["tokens"])) for line in steps]
    if len(marks) != settings.steps:
        raise SystemExit(f"wl logged {len(marks)} of {settings.steps} steps: see {run_dir}")
    memory = [line["memory_gb"] for line in steps if line.get("memory_gb") is not None]
    return result_from_marks(
        "wl",
        marks,
        rows=None,
        peak_memory_gb=max(memory) if settings.device == "cuda" and memory else None,
        notes={
            "attention": report.get("attention"),
            "gradient_checkpointing": bool(settings.gradient_checkpointing),
            "report_tokens_per_s": report.get("tokens_per_s"),
            "adaptations": report.get("adaptations"),
        },
    )


def wl_config(settings: Settings) -> dict[str, Any]:
    """The wl config of these settings (everything else at wl's defaults)."""
    return {
        "model": {"base": settings.model_dir, "dtype": settings.dtype},
        "data": {
            "train": settings.data_file,
            "max_seq_length": settings.max_seq_length,
            "packing": settings.packing,
        },
        "lora": {
            "r": settings.lora_r,
            "alpha": settings.lora_alpha,
            "dropout": settings.lora_dropout,
            "target_modules": "all-linear",
        },
        "training": {
            "device": settings.device,
            "micro_batch_size": settings.micro_batch_size,
            "gradient_accumulation_steps": settings.gradient_accumulation_steps,
            "learning_rate": settings.learning_rate,
            "seed": settings.seed,
            "gradient_checkpointing": bool(settings.gradient_checkpointing),
        },
        # No checkpoint inside the timed steps (the last step's is written after its mark).
        "checkpoints": {"save_every": 1_000_000, "keep_last": 1},
        "monitoring": {"log_every": 1},
        "compute": {"min_free_disk_gb": 0},
        "export": {"enabled": False},
    }


# TRL ------------------------------------------------------------------------------------------


def train_trl(settings: Settings) -> Result:
    """TRL's SFTTrainer with its documented packing; the other settings as given."""
    import torch
    from data_prep import for_arrow
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
    from trl import SFTConfig, SFTTrainer

    class StepClock(TrainerCallback):  # type: ignore[misc]
        """(time, non-padding input tokens so far) at the end of every optimizer step."""

        marks: list[tuple[float, int]] = []  # noqa: RUF012 - one instance per process

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            synchronize(settings.device)
            self.marks.append((time.perf_counter(), int(state.num_input_tokens_seen)))

    tokenizer = AutoTokenizer.from_pretrained(settings.model_dir)
    model = AutoModelForCausalLM.from_pretrained(
        settings.model_dir, dtype=getattr(torch, TORCH_DTYPES[settings.dtype])
    )
    records = [json.loads(line) for line in Path(settings.data_file).read_text().splitlines()]
    options: dict[str, Any] = {}
    if settings.gradient_checkpointing is not None:
        options["gradient_checkpointing"] = settings.gradient_checkpointing
    config = SFTConfig(
        output_dir=str(Path(settings.workdir) / "trl-out"),
        max_length=settings.max_seq_length,
        packing=settings.packing,  # packing_strategy "bfd" (the default) → padding-free
        assistant_only_loss=True,
        per_device_train_batch_size=settings.micro_batch_size,
        gradient_accumulation_steps=settings.gradient_accumulation_steps,
        max_steps=settings.steps,
        learning_rate=settings.learning_rate,
        seed=settings.seed,
        bf16=settings.dtype == "bf16",
        use_cpu=settings.device == "cpu",
        include_num_input_tokens_seen="non_padding",
        logging_steps=1,
        save_strategy="no",
        report_to=[],
        disable_tqdm=True,
        **options,
    )
    lora = LoraConfig(
        r=settings.lora_r,
        lora_alpha=settings.lora_alpha,
        lora_dropout=settings.lora_dropout,
        target_modules="all-linear",
        task_type="CAUSAL_LM",
    )
    trainer = SFTTrainer(
        model=model,
        args=config,
        train_dataset=Dataset.from_list([for_arrow(record) for record in records]),
        processing_class=tokenizer,
        peft_config=lora,
        callbacks=[StepClock()],
    )
    reset_peak_memory(settings.device)
    trainer.train()
    return result_from_marks(
        "trl",
        StepClock.marks,
        rows=len(trainer.train_dataset),
        peak_memory_gb=peak_memory_gb(settings.device),
        notes={
            "attention": trainer.model.config._attn_implementation,
            "gradient_checkpointing": bool(config.gradient_checkpointing),
            "padding_free": bool(trainer.padding_free),
        },
    )


# The bare loop --------------------------------------------------------------------------------


def train_bare(settings: Settings) -> Result:
    """The reference: HF model + PEFT LoRA on wl's pre-tokenized rows, AdamW, nothing else.
    Batches are cut to their longest row; packed samples are kept apart by a block-causal mask
    (SDPA); the loss is the model's own mean cross-entropy, divided by the accumulation."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from wl_trainer.data.prepare import prepare_dataset

    tokenizer = AutoTokenizer.from_pretrained(settings.model_dir)
    data = {
        "train": settings.data_file,
        "max_seq_length": settings.max_seq_length,
        "packing": settings.packing,
    }
    rows = prepare_dataset(
        {"data": data}, tokenizer, cache_dir=Path(settings.workdir) / "wl-cache", workers=1
    )
    model = AutoModelForCausalLM.from_pretrained(
        settings.model_dir,
        dtype=getattr(torch, TORCH_DTYPES[settings.dtype]),
        attn_implementation="sdpa",
    ).to(settings.device)
    model.config.use_cache = False
    torch.manual_seed(settings.seed)
    model = get_peft_model(
        model,
        LoraConfig(
            r=settings.lora_r,
            lora_alpha=settings.lora_alpha,
            lora_dropout=settings.lora_dropout,
            target_modules="all-linear",
            task_type="CAUSAL_LM",
        ),
    )
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=settings.learning_rate, weight_decay=0.0)
    order = row_order(len(rows), settings)
    marks: list[tuple[float, int]] = []
    tokens = 0
    reset_peak_memory(settings.device)
    for step in range(settings.steps):
        for micro in range(settings.gradient_accumulation_steps):
            at = (step * settings.gradient_accumulation_steps + micro) * settings.micro_batch_size
            batch = bare_batch(rows, order[at : at + settings.micro_batch_size], settings)
            tokens += int(batch.pop("tokens"))
            loss = model(**batch).loss / settings.gradient_accumulation_steps
            loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        synchronize(settings.device)
        marks.append((time.perf_counter(), tokens))
    return result_from_marks(
        "bare",
        marks,
        rows=len(rows),
        peak_memory_gb=peak_memory_gb(settings.device),
        notes={"attention": "sdpa", "gradient_checkpointing": False},
    )


def row_order(rows: int, settings: Settings) -> list[int]:
    """Seeded permutations of the rows, epoch after epoch, long enough for every step."""
    import torch

    needed = settings.steps * settings.gradient_accumulation_steps * settings.micro_batch_size
    generator = torch.Generator().manual_seed(settings.seed)
    order: list[int] = []
    while len(order) < needed:
        order += torch.randperm(rows, generator=generator).tolist()
    return order


def bare_batch(rows: Any, indices: list[int], settings: Settings) -> dict[str, Any]:
    """One micro-batch as model inputs, cut to its longest row, plus its real token count."""
    import numpy as np
    import torch
    from wl_trainer.data.packing import block_causal_mask

    loaded = [rows.row(index) for index in indices]
    length = max(int(row.cu_seqlens[-1]) for row in loaded)

    def stacked(name: str) -> Any:
        values = np.stack([getattr(row, name)[:length] for row in loaded]).astype(np.int64)
        return torch.from_numpy(values).to(settings.device)

    mask = torch.cat([block_causal_mask(row.cu_seqlens, length) for row in loaded])
    return {
        "input_ids": stacked("input_ids"),
        "labels": stacked("labels"),
        "position_ids": stacked("position_ids"),
        "attention_mask": mask.to(settings.device),
        "tokens": sum(int(row.cu_seqlens[-1]) for row in loaded),
    }


# Device helpers --------------------------------------------------------------------------------


def synchronize(device: str) -> None:
    """Wait for queued GPU work, so a time mark means the step is done."""
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def reset_peak_memory(device: str) -> None:
    """Start CUDA's peak-memory count afresh (nothing to do on the CPU)."""
    if device == "cuda":
        import torch

        torch.cuda.reset_peak_memory_stats()


def peak_memory_gb(device: str) -> float | None:
    """CUDA's peak allocated memory in GB since the last reset; None on the CPU."""
    if device != "cuda":
        return None
    import torch

    return torch.cuda.max_memory_allocated() / 1e9


SIDES = {"trl": train_trl, "bare": train_bare}


def main() -> None:
    """``train_sides.py SIDE SETTINGS.json RESULT.json``: one side, in this process."""
    side, settings_file, result_file = sys.argv[1:4]
    sys.path.insert(0, str(REPO / "trainer"))
    settings = Settings(**json.loads(Path(settings_file).read_text()))
    result = SIDES[side](settings)
    Path(result_file).write_text(json.dumps(asdict(result)))


if __name__ == "__main__":
    main()
