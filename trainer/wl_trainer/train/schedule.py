"""The order rows are trained in, as a pure function of the seed and the step — the data
position a checkpoint needs is just the step number.

Rows form one endless stream: epoch ``e`` is a permutation of all rows drawn from
``seed + e``, and the stream is those permutations back to back. Step ``s`` trains stream
positions ``[s·R, (s+1)·R)`` with ``R = micro_batch_size x gradient_accumulation_steps`` rows,
cut into micro-batches. Halving the micro-batch and doubling accumulation (the OOM
adaptation) keeps ``R``, so a step trains the same rows either way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class RowSchedule:
    """Which rows each step trains."""

    rows: int
    """Rows in the training set."""
    rows_per_step: int
    epochs: float
    seed: int
    max_steps: int | None = None

    @property
    def total_steps(self) -> int:
        """Optimizer steps in the run: ``epochs`` over the rows, capped by ``max_steps``."""
        natural = max(1, math.ceil(self.epochs * self.rows / self.rows_per_step))
        return min(natural, self.max_steps) if self.max_steps else natural

    def epoch_at(self, step: int) -> float:
        """The fractional epoch after ``step`` steps."""
        return step * self.rows_per_step / self.rows

    def step_rows(self, step: int) -> list[int]:
        """The row indices step ``step`` (0-based) trains, in order."""
        start = step * self.rows_per_step
        return [self.row_at(position) for position in range(start, start + self.rows_per_step)]

    def row_at(self, position: int) -> int:
        """The row at ``position`` of the endless stream."""
        epoch, offset = divmod(position, self.rows)
        return int(permutation(self.rows, self.seed + epoch)[offset])


@lru_cache(maxsize=4)
def permutation(rows: int, seed: int) -> npt.NDArray[np.int64]:
    """One epoch's order: the same on every machine and numpy version (PCG64 is stable)."""
    return np.random.Generator(np.random.PCG64(seed)).permutation(rows)


def micro_batches(rows: list[int], micro_batch_size: int) -> list[list[int]]:
    """A step's rows cut into micro-batches of ``micro_batch_size``."""
    return [rows[at : at + micro_batch_size] for at in range(0, len(rows), micro_batch_size)]
