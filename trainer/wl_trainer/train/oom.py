"""Out of memory in the first steps: adapt instead of dying.

First halve the micro-batch and double gradient accumulation (the same rows per step, so the
same training); at a micro-batch of 1 turn on gradient checkpointing; after that, fail with a
message that says what was tried. Each adaptation is printed and recorded in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

ADAPT_WITHIN_STEPS = 10
"""OOM after this many steps is not a set-up problem (fragmentation, a rare long batch): fail."""


@dataclass(frozen=True)
class MemorySettings:
    """The settings the adaptation may change."""

    micro_batch_size: int
    gradient_accumulation_steps: int
    gradient_checkpointing: bool


def next_adaptation(settings: MemorySettings) -> tuple[MemorySettings, str] | None:
    """The next, less memory-hungry settings and a line saying what changed; None when
    nothing is left to try."""
    if settings.micro_batch_size > 1:
        smaller = replace(
            settings,
            micro_batch_size=settings.micro_batch_size // 2,
            gradient_accumulation_steps=settings.gradient_accumulation_steps * 2,
        )
        if smaller.micro_batch_size * smaller.gradient_accumulation_steps == rows(settings):
            return smaller, (
                f"micro_batch_size {settings.micro_batch_size} → {smaller.micro_batch_size}, "
                f"gradient_accumulation_steps {settings.gradient_accumulation_steps} → "
                f"{smaller.gradient_accumulation_steps} (same effective batch)"
            )
    if not settings.gradient_checkpointing:
        return replace(settings, gradient_checkpointing=True), "gradient checkpointing on"
    return None


def rows(settings: MemorySettings) -> int:
    """Rows per optimizer step."""
    return settings.micro_batch_size * settings.gradient_accumulation_steps


def is_out_of_memory(error: BaseException) -> bool:
    """CUDA's OutOfMemoryError, or MPS's RuntimeError saying the same."""
    import torch

    if isinstance(error, torch.OutOfMemoryError):
        return True
    return isinstance(error, RuntimeError) and "out of memory" in str(error).lower()
