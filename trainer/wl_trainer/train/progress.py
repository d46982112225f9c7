"""The numbers a watcher wants every few steps: step / total, loss, lr, tokens/s, ETA, memory.

    [WL-TRAINER] step 120/900 · loss 1.2345 · lr 1.98e-04 · 5,120 tok/s · ETA 42m10s · 21.3 GB

The first ``EARLY_STEPS`` steps are each reported (errors show up there, and users watch
them); afterwards every ``monitoring.log_every`` steps. The ETA comes from the recent steps'
pace, so a slow first step (compilation, caches) does not distort it.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

EARLY_STEPS = 5
PACE_WINDOW = 20
"""Steps the pace is averaged over."""


@dataclass
class Pace:
    """Recent step times and token counts, for tokens/s and the ETA."""

    seconds: deque[float] = field(default_factory=lambda: deque(maxlen=PACE_WINDOW))
    tokens: deque[int] = field(default_factory=lambda: deque(maxlen=PACE_WINDOW))

    def add(self, seconds: float, tokens: int) -> None:
        """Record one step."""
        self.seconds.append(seconds)
        self.tokens.append(tokens)

    @property
    def tokens_per_s(self) -> float | None:
        """Tokens per second over the window."""
        spent = sum(self.seconds)
        return sum(self.tokens) / spent if spent > 0 else None

    def eta_s(self, steps_left: int) -> float | None:
        """Seconds for the remaining steps at the recent pace (None before two steps: the
        first one is slow)."""
        if len(self.seconds) < 2:
            return None
        recent = list(self.seconds)[1:] if len(self.seconds) < PACE_WINDOW else self.seconds
        return steps_left * sum(recent) / len(recent)


def should_log(step: int, log_every: int, total: int) -> bool:
    """Every early step, then every ``log_every``, and the last one."""
    return step <= EARLY_STEPS or step % log_every == 0 or step == total


def duration(seconds: float | None) -> str:
    """``1h02m``, ``42m10s``, ``9s``; ``?`` when unknown."""
    if seconds is None:
        return "?"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def progress_line(values: dict[str, Any]) -> str:
    """The human progress line from a metrics record."""
    parts = [
        f"step {values['step']}/{values['total_steps']}",
        f"loss {values['loss']:.4f}",
        f"lr {values['lr']:.2e}",
    ]
    if values.get("tokens_per_s") is not None:
        parts.append(f"{values['tokens_per_s']:,.0f} tok/s")
    parts.append(f"ETA {duration(values.get('eta_s'))}")
    if values.get("memory_gb") is not None:
        parts.append(f"{values['memory_gb']:.1f} GB")
    if values.get("cost_usd") is not None:
        parts.append(f"${values['cost_usd']:.2f}")
    return " · ".join(parts)


def device_memory_gb(device: str) -> float | None:
    """Memory in use on the device: CUDA's peak since the last call, MPS's current
    allocation, or this process's resident memory on the CPU."""
    import torch

    if device == "cuda":
        peak = float(torch.cuda.max_memory_allocated()) / 1e9
        torch.cuda.reset_peak_memory_stats()
        return peak
    if device == "mps":
        return float(torch.mps.current_allocated_memory()) / 1e9
    import psutil

    return float(psutil.Process().memory_info().rss) / 1e9


class Stopwatch:
    """Seconds since start, plus a base carried over from earlier runs of the same training."""

    def __init__(self, base: float = 0.0) -> None:
        self.base = base
        self._start = time.monotonic()

    @property
    def elapsed(self) -> float:
        """Training seconds in total."""
        return self.base + time.monotonic() - self._start
