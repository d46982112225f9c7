"""Notices when optimizer steps get much slower than they were early in the run — on a laptop,
usually the chip throttling its clocks as it heats up. Pure: the loop feeds it step durations
and prints what it returns as a warning::

    watch = StepTimeWatch()
    for step in ...:
        started = time.monotonic()
        ...  # one optimizer step
        message = watch.add(time.monotonic() - started)
        if message:
            reporter.warning(message, event="train.throttle")
"""

from __future__ import annotations

import statistics
from collections import deque

# The baseline is the median of steps 11 to 30: the first steps are slow for reasons that pass
# (kernel compilation and caching, the allocator growing, data loader warm-up), and by step 30
# a cool machine has shown its normal pace over enough steps for a median.
BASELINE_FIRST_STEP = 11
BASELINE_LAST_STEP = 30
# The recent pace is the median of the last 20 steps, so one slow step (a checkpoint save, an
# evaluation, a garbage-collection pause) cannot raise it on its own.
RECENT_STEPS = 20
# 1.5 times: a slowdown that matters (a 4-hour run would take 6) and that the median of 20 steps
# does not reach by chance when batches are packed to one length.
SLOWDOWN = 1.5


class StepTimeWatch:
    """Compares the recent median step time with the early baseline; reports once."""

    def __init__(
        self,
        baseline_first_step: int = BASELINE_FIRST_STEP,
        baseline_last_step: int = BASELINE_LAST_STEP,
        recent_steps: int = RECENT_STEPS,
        slowdown: float = SLOWDOWN,
    ) -> None:
        if not 1 <= baseline_first_step <= baseline_last_step:
            raise ValueError(
                f"expected 1 <= baseline_first_step <= baseline_last_step, got "
                f"{baseline_first_step} and {baseline_last_step}"
            )
        if recent_steps < 1 or slowdown <= 1:
            raise ValueError(
                f"expected recent_steps >= 1 and slowdown > 1, got {recent_steps} and {slowdown}"
            )
        self.baseline_first_step = baseline_first_step
        self.baseline_last_step = baseline_last_step
        self.recent_steps = recent_steps
        self.slowdown = slowdown
        self.steps = 0
        self.baseline_durations: list[float] = []
        self.baseline: float | None = None
        """Median seconds a step over the baseline steps, once they are all seen."""
        self.recent: deque[float] = deque(maxlen=recent_steps)
        self.reported = False

    def add(self, seconds: float) -> str | None:
        """Record the next step's duration; a warning the first time the pace has dropped."""
        self.steps += 1
        if self.steps < self.baseline_first_step:
            return None
        if self.steps <= self.baseline_last_step:
            self.baseline_durations.append(seconds)
            if self.steps == self.baseline_last_step:
                self.baseline = statistics.median(self.baseline_durations)
            return None
        self.recent.append(seconds)
        if self.reported or self.baseline is None or len(self.recent) < self.recent_steps:
            return None
        recent = statistics.median(self.recent)
        if self.baseline <= 0 or recent < self.slowdown * self.baseline:
            return None
        self.reported = True
        return (
            f"steps take {recent / self.baseline:.1f}× as long as at the start ({recent:.2f} s, "
            f"the median of the last {self.recent_steps}, against {self.baseline:.2f} s "
            f"over steps {self.baseline_first_step}–{self.baseline_last_step}): the machine is "
            "probably throttling from heat, or another app is competing for the GPU or memory. "
            "Training goes on, slower; plug the Mac in, keep it on a hard surface with the lid "
            "open, and close heavy apps"
        )
