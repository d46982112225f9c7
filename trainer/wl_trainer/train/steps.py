"""One optimizer step, and evaluation.

A step trains the rows the schedule gives it, micro-batch by micro-batch: each micro-batch's
summed loss is divided by the trained tokens of the whole step before ``backward``, so the
accumulated gradient is exactly the mean over the step's trained tokens. Then the gradient is
clipped, AdamW steps and the learning-rate schedule moves on.

Out of memory during one of the first steps (oom.py) frees what it can, switches to the next
adaptation and reports it; the caller runs the same step again with the new layout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from wl_trainer.data.dataset import PreparedDataset
from wl_trainer.errors import WlError
from wl_trainer.status import Reporter
from wl_trainer.train.batches import make_batch
from wl_trainer.train.loss import summed_loss
from wl_trainer.train.model import TORCH_DTYPES, LoadedModel, enable_gradient_checkpointing
from wl_trainer.train.oom import (
    ADAPT_WITHIN_STEPS,
    MemorySettings,
    is_out_of_memory,
    next_adaptation,
)
from wl_trainer.train.schedule import RowSchedule, micro_batches


@dataclass(frozen=True)
class StepResult:
    """What one step did (or, with ``adaptation`` set, why it must be run again)."""

    loss: float = math.nan
    lr: float = 0.0
    grad_norm: float = 0.0
    tokens: int = 0
    trained_tokens: int = 0
    adaptation: str | None = None


class StepRunner:
    """Runs optimizer steps for one model and schedule."""

    def __init__(
        self,
        loaded: LoadedModel,
        config: dict[str, Any],
        schedule: RowSchedule,
        memory: MemorySettings,
        reporter: Reporter,
    ) -> None:
        import torch

        self.loaded = loaded
        self.schedule = schedule
        self.memory = memory
        self.reporter = reporter
        training = config["training"]
        self.max_grad_norm = float(training["max_grad_norm"])
        self.parameters = [p for p in loaded.model.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(
            self.parameters,
            lr=training["learning_rate"],
            weight_decay=training["weight_decay"],
            fused=loaded.device == "cuda",  # one kernel for all LoRA tensors
        )
        self.scheduler = lr_schedule(self.optimizer, training, schedule.total_steps)
        # fp16 gradients underflow without loss scaling; bf16 and fp32 need none.
        self.scaler = torch.amp.GradScaler("cuda") if loaded.dtype == "fp16" else None
        self.mask_dtype = getattr(torch, TORCH_DTYPES[loaded.dtype])

    def step(self, step: int, rows: PreparedDataset, first_step: int) -> StepResult:
        """Train step ``step`` (0-based); out of memory in the first steps adapts instead."""
        try:
            return self._step(step, rows)
        except Exception as error:
            if not is_out_of_memory(error):
                raise
            self.loaded.model.zero_grad(set_to_none=True)
            free_device_memory(self.loaded.device)
            return StepResult(adaptation=self.adapt(step - first_step, error))

    def _step(self, step: int, rows: PreparedDataset) -> StepResult:
        import torch

        model = self.loaded.model
        model.train()
        batches = [
            make_batch(rows, ids, self.loaded.attention, self.loaded.device, self.mask_dtype)
            for ids in micro_batches(self.schedule.step_rows(step), self.memory.micro_batch_size)
        ]
        trained = sum(batch.trained_tokens for batch in batches)
        divisor = max(trained, 1)
        total = torch.zeros((), dtype=torch.float32, device=self.loaded.device)
        for batch in batches:
            loss = summed_loss(model, batch)
            scaled = loss / divisor
            (self.scaler.scale(scaled) if self.scaler else scaled).backward()
            total += loss.detach()
        if self.scaler:
            self.scaler.unscale_(self.optimizer)
        grad_norm = torch.nn.utils.clip_grad_norm_(self.parameters, self.max_grad_norm)
        lr = self.scheduler.get_last_lr()[0]
        if self.scaler:
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            self.optimizer.step()
        self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)
        return StepResult(
            loss=float(total.item()) / divisor,
            lr=float(lr),
            grad_norm=float(grad_norm),
            tokens=sum(batch.tokens for batch in batches),
            trained_tokens=trained,
        )

    def adapt(self, steps_done: int, error: BaseException) -> str:
        """Switch to the next memory adaptation and say so; a WlError when none is left or the
        run is past its first steps."""
        adaptation = next_adaptation(self.memory) if steps_done < ADAPT_WITHIN_STEPS else None
        if adaptation is None:
            raise WlError(
                "train.out_of_memory",
                f"out of memory on {self.loaded.device} with micro_batch_size "
                f"{self.memory.micro_batch_size}, gradient checkpointing "
                f"{'on' if self.memory.gradient_checkpointing else 'off'}",
                "lower data.max_seq_length, use model.quantization: 4bit (CUDA), or a GPU "
                "with more memory",
            ) from error
        settings, description = adaptation
        if settings.gradient_checkpointing and not self.memory.gradient_checkpointing:
            enable_gradient_checkpointing(self.loaded.model)
        self.memory = settings  # rows per step are unchanged by design (oom.py)
        self.reporter.warning(
            f"out of memory: retrying with {description}",
            event="train.oom_adapted",
            fix="set these values in the config to skip the failed attempt next time",
            data={"micro_batch_size": settings.micro_batch_size, "change": description},
        )
        return description


def lr_schedule(optimizer: Any, training: dict[str, Any], total_steps: int) -> Any:
    """Warmup then cosine, linear or constant, over the run's steps (transformers' schedules)."""
    from transformers import get_scheduler

    warmup = math.ceil(training["warmup_ratio"] * total_steps)
    name = {"constant": "constant_with_warmup"}.get(
        training["lr_scheduler"], training["lr_scheduler"]
    )
    return get_scheduler(name, optimizer, num_warmup_steps=warmup, num_training_steps=total_steps)


def evaluate(loaded: LoadedModel, rows: PreparedDataset, micro_batch_size: int) -> float:
    """The mean loss per trained token over all validation rows (dropout off)."""
    import torch

    model = loaded.model
    mask_dtype = getattr(torch, TORCH_DTYPES[loaded.dtype])
    model.eval()
    total, trained = 0.0, 0
    with torch.no_grad():
        for ids in micro_batches(list(range(len(rows))), micro_batch_size):
            batch = make_batch(rows, ids, loaded.attention, loaded.device, mask_dtype)
            total += float(summed_loss(model, batch).item())
            trained += batch.trained_tokens
    model.train()
    return total / max(trained, 1)


def free_device_memory(device: str) -> None:
    """Give cached blocks back after an out-of-memory so the retry starts clean."""
    import gc

    import torch

    gc.collect()
    if device == "cuda":
        torch.cuda.empty_cache()
    elif device == "mps":
        torch.mps.empty_cache()
