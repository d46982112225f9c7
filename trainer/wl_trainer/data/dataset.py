"""What ``prepare_dataset`` returns: rows ready for the training loop, and the numbers behind
them.

    dataset.stats.samples, dataset.stats.dropped, dataset.stats.trainable_share
    row = dataset.row(0)          # fixed-length numpy arrays, one row of a batch
    row.input_ids, row.labels, row.attention_mask, row.position_ids, row.cu_seqlens

Rows always have ``max_seq_length`` tokens: the samples, then padding (``pad_token_id``, label
-100, attention_mask 0). A padding-free (FlashAttention varlen) loop cuts each row at
``row.cu_seqlens[-1]``; an SDPA or eager loop adds ``block_causal_mask(row.cu_seqlens, …)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from wl_trainer.data.masks import IGNORE_INDEX, TOKEN_DTYPE, IntArray
from wl_trainer.data.packing import OffsetArray, RowArrays, position_ids


@dataclass(frozen=True)
class DataStats:
    """The numbers a user checks: what was read, kept, dropped, cut and trained."""

    records: int
    """Records read from the data files."""
    expanded: int
    """Records the chat template cannot split into one sample, made one sample per run of
    assistant turns instead (per_turn.py)."""
    extra_samples: int
    """The samples those records add beyond one each."""
    aligned: int
    """Samples among them whose trained turn was found by aligning two renders (alignment.py)."""
    samples: int
    """Samples in the rows (records plus extra samples, minus dropped)."""
    overlong: int
    """Samples longer than max_seq_length (all of them dropped or truncated)."""
    dropped: int
    truncated: int
    tokens: int
    """Tokens in the rows, padding excluded."""
    trainable_tokens: int
    rows: int
    max_seq_length: int
    formats: dict[str, str]
    """Each data file and the format it was read as."""
    cache_key: str
    cache_hit: bool
    seconds: float

    @property
    def trainable_share(self) -> float:
        """The share of tokens that carry a label (0 when there are none)."""
        return self.trainable_tokens / self.tokens if self.tokens else 0.0

    @property
    def fill(self) -> float:
        """The share of row positions holding real tokens rather than padding."""
        capacity = self.rows * self.max_seq_length
        return self.tokens / capacity if capacity else 0.0

    def to_json(self) -> dict[str, Any]:
        """The stats as a JSON object, shares included."""
        return {
            **asdict(self),
            "trainable_share": round(self.trainable_share, 6),
            "fill": round(self.fill, 6),
        }


@dataclass(frozen=True)
class Row:
    """One training row, ``max_seq_length`` long."""

    input_ids: IntArray
    labels: IntArray
    attention_mask: IntArray
    """1 for the samples' tokens, 0 for padding."""
    position_ids: OffsetArray
    """Restarting at 0 for each sample (and for the padding)."""
    cu_seqlens: IntArray
    """Sample boundaries ``[0, len(a), len(a)+len(b), …]``; the last is the row's token count."""


@dataclass(frozen=True)
class PreparedDataset:
    """The rows of one split and how they were made."""

    arrays: RowArrays
    stats: DataStats
    max_seq_length: int
    packing: bool
    pad_token_id: int

    def __len__(self) -> int:
        """The number of rows."""
        return len(self.arrays.row_offsets) - 1

    def __iter__(self) -> Iterator[Row]:
        """Every row in order."""
        return (self.row(index) for index in range(len(self)))

    def row(self, index: int) -> Row:
        """Row ``index`` as fixed-length arrays."""
        first, last = self.arrays.row_offsets[index], self.arrays.row_offsets[index + 1]
        bounds = self.arrays.sample_offsets[first : last + 1]
        start, end = int(bounds[0]), int(bounds[-1])
        used, length = end - start, self.max_seq_length
        input_ids = np.full(length, self.pad_token_id, dtype=TOKEN_DTYPE)
        input_ids[:used] = self.arrays.input_ids[start:end]
        labels = np.full(length, IGNORE_INDEX, dtype=TOKEN_DTYPE)
        labels[:used] = self.arrays.labels[start:end]
        attention_mask = np.zeros(length, dtype=TOKEN_DTYPE)
        attention_mask[:used] = 1
        cu_seqlens = (bounds - start).astype(TOKEN_DTYPE)
        return Row(input_ids, labels, attention_mask, position_ids(cu_seqlens, length), cu_seqlens)
