"""Rows → tensors for one forward pass, masked the way the attention implementation needs.

A batch is cut to its longest row's real length (rows are stored ``max_seq_length`` long), so
short rows cost no attention or MLP work on padding. Samples packed into one row must not see
each other: FlashAttention-2 separates them by the position ids alone (transformers'
padding-free path, no mask at all); SDPA gets the boolean block-causal mask and eager
attention the additive float one. (transformers 5.23 can infer the samples from position ids
under SDPA too, but not in every configuration — with the KV cache on it does not — so the
mask is always explicit here.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from wl_trainer.data.dataset import PreparedDataset
from wl_trainer.data.masks import IGNORE_INDEX
from wl_trainer.data.packing import block_causal_mask


@dataclass
class Batch:
    """One micro-batch on the device."""

    input_ids: Any
    labels: Any
    position_ids: Any
    attention_mask: Any
    """None for FlashAttention-2; a 4-D mask otherwise."""
    tokens: int
    """Real (non-padding) tokens."""
    trained_tokens: int
    """Tokens with a label: the ones the loss is summed over."""


def make_batch(
    dataset: PreparedDataset, rows: list[int], attention: str, device: str, dtype: Any
) -> Batch:
    """The tensors of ``rows`` for a model using ``attention`` on ``device``."""
    import torch

    loaded = [dataset.row(index) for index in rows]
    length = max(int(row.cu_seqlens[-1]) for row in loaded)
    input_ids = np.stack([row.input_ids[:length] for row in loaded]).astype(np.int64)
    labels = np.stack([row.labels[:length] for row in loaded]).astype(np.int64)
    positions = np.stack([row.position_ids[:length] for row in loaded])
    mask = None
    if attention != "flash_attention_2":
        mask_dtype = dtype if attention == "eager" else None
        bounds = [row.cu_seqlens for row in loaded]
        mask = torch.cat([block_causal_mask(cu, length, mask_dtype) for cu in bounds]).to(device)
    return Batch(
        input_ids=torch.from_numpy(input_ids).to(device),
        labels=torch.from_numpy(labels).to(device),
        position_ids=torch.from_numpy(positions).to(device),
        attention_mask=mask,
        tokens=sum(int(row.cu_seqlens[-1]) for row in loaded),
        trained_tokens=int(trained_positions(labels)),
    )


def trained_positions(labels: np.ndarray[Any, Any]) -> int:
    """How many positions predict a labelled token (labels shifted by one, as the loss sees
    them)."""
    return int((labels[:, 1:] != IGNORE_INDEX).sum())
