"""The loss: cross-entropy summed over the trained tokens only.

The usual path computes logits for every position — ``batch x length x vocabulary`` floats,
often the largest tensor of a step — and then throws most away (prompt, system and tool tokens
carry no label). Here the decoder's hidden states are taken at the positions that predict a
labelled token, and only those go through the output head, in chunks whose logits are
recomputed in the backward pass instead of kept. Models whose head does more than a linear
layer (logit soft-capping, scaling) take the ordinary full-logits path.

Summing (not averaging) per micro-batch lets a step divide by the trained tokens of all its
micro-batches, so every trained token weighs the same however rows fall into micro-batches —
the gradient-accumulation bug peers shipped for years.
"""

from __future__ import annotations

from typing import Any

from wl_trainer.data.masks import IGNORE_INDEX
from wl_trainer.train.batches import Batch

CHUNK_TOKENS = 4096
"""Trained positions per output-head chunk: 4096 × a 128k vocabulary in fp32 is 2 GiB."""
PLAIN_HEAD_TYPES = frozenset({"llama", "mistral", "qwen2", "qwen3", "phi3", "gemma", "olmo2"})
"""Architectures whose logits are exactly ``lm_head(hidden)``."""


def summed_loss(model: Any, batch: Batch) -> Any:
    """The summed cross-entropy of ``batch`` under ``model`` (a PeftModel), as a 0-d tensor."""
    causal_lm = model.get_base_model()
    inputs = {
        "input_ids": batch.input_ids,
        "position_ids": batch.position_ids,
        "attention_mask": batch.attention_mask,
    }
    targets = batch.labels[:, 1:]
    selected = targets != IGNORE_INDEX
    if not plain_head(causal_lm):
        logits = model(**inputs, use_cache=False).logits[:, :-1]
        return cross_entropy_sum(logits[selected], targets[selected])
    hidden = causal_lm.get_decoder()(**inputs, use_cache=False).last_hidden_state[:, :-1]
    return head_loss(causal_lm.get_output_embeddings(), hidden[selected], targets[selected])


def plain_head(causal_lm: Any) -> bool:
    """Whether the model's logits are the plain output projection of its last hidden state."""
    config = causal_lm.config
    model_type = getattr(config, "model_type", "")
    softcap = getattr(config, "final_logit_softcapping", None)
    return model_type in PLAIN_HEAD_TYPES and not softcap


def head_loss(head: Any, hidden: Any, targets: Any) -> Any:
    """Summed cross-entropy of ``head(hidden)`` against ``targets``, chunk by chunk."""
    import torch
    from torch.utils.checkpoint import checkpoint

    if hidden.shape[0] <= CHUNK_TOKENS or not torch.is_grad_enabled():
        return chunk_loss(head, hidden, targets)
    total = hidden.new_zeros((), dtype=torch.float32)
    for start in range(0, hidden.shape[0], CHUNK_TOKENS):
        end = start + CHUNK_TOKENS
        total = total + checkpoint(
            chunk_loss, head, hidden[start:end], targets[start:end], use_reentrant=False
        )
    return total


def chunk_loss(head: Any, hidden: Any, targets: Any) -> Any:
    """Summed cross-entropy of one chunk, computed in fp32."""
    return cross_entropy_sum(head(hidden), targets)


def cross_entropy_sum(logits: Any, targets: Any) -> Any:
    """Summed cross-entropy in fp32 (half-precision logits lose the small probabilities)."""
    from torch.nn import functional

    return functional.cross_entropy(logits.float(), targets, reduction="sum")
