"""Assistant-only labels: tokenize a rendered conversation once, with character offsets, and
train exactly the tokens that lie in its assistant spans (render.py).

Labels are the input ids with -100 (IGNORE_INDEX, what PyTorch's cross-entropy skips) wherever a
token is not trained: system, user and tool-result tokens, and the template's role headers. A
sample's first token is never trained either: nothing in the sample predicts it (in a packed row
the previous sample's last token would).

A token is trainable when any of its characters lies inside an assistant span. A token that
straddles a boundary is therefore trained, so no character the assistant writes is ever left
out (transformers' ``return_assistant_tokens_mask`` decides the same way). Real templates rarely
produce one: their headers end in special tokens or newlines that pre-tokenizers split off.

The text is tokenized without the tokenizer's own special tokens (``add_special_tokens=False``),
as ``apply_chat_template`` does: templates that want a BOS write it themselves, so a second one
is never added.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from wl_trainer.data.render import RenderedChat
from wl_trainer.errors import WlError

IGNORE_INDEX = -100
TOKEN_DTYPE = np.int32
IntArray = npt.NDArray[np.int32]


@dataclass(frozen=True)
class TokenizedSample:
    """One conversation (or one part of it, per_turn.py) as token ids and labels of the same
    length."""

    name: str
    input_ids: IntArray
    labels: IntArray
    part: int | None = None
    """None for a whole conversation; 1, 2, … for the parts of one split per turn."""
    aligned: bool = False
    """Whether its trained turn was found by aligning two renders (alignment.py)."""

    @property
    def trainable(self) -> int:
        """How many tokens carry a label."""
        return int(np.count_nonzero(self.labels != IGNORE_INDEX))


def tokenize_chats(tokenizer: Any, chats: list[RenderedChat]) -> list[TokenizedSample]:
    """Token ids and assistant-only labels for a batch of rendered chats (one tokenizer call)."""
    if not chats:
        return []
    encoded = tokenizer(
        [chat.text for chat in chats],
        add_special_tokens=False,
        return_offsets_mapping=True,
        return_attention_mask=False,
        verbose=False,  # over-long samples are counted and reported by wl, not logged here
    )
    samples = []
    for chat, ids, offsets in zip(
        chats, encoded["input_ids"], encoded["offset_mapping"], strict=True
    ):
        input_ids = np.asarray(ids, dtype=TOKEN_DTYPE)
        trainable = trainable_tokens(offsets_array(offsets), chat.spans)
        labels = labels_for(input_ids, trainable)
        samples.append(TokenizedSample(chat.name, input_ids, labels, chat.part, chat.aligned))
    return samples


def offsets_array(offsets: list[tuple[int, int]]) -> npt.NDArray[np.int64]:
    """The tokenizer's ``(start, end)`` pairs as an array of shape (tokens, 2), built without
    numpy inspecting each pair (twice as fast as ``np.asarray``)."""
    pairs = np.fromiter(chain.from_iterable(offsets), dtype=np.int64, count=2 * len(offsets))
    return pairs.reshape(len(offsets), 2)


def trainable_tokens(
    offsets: npt.NDArray[np.int64], spans: list[tuple[int, int]]
) -> npt.NDArray[np.bool_]:
    """A boolean per token: does any of its characters ``[start, end)`` lie in a span?"""
    if not spans or not len(offsets):
        return np.zeros(len(offsets), dtype=bool)
    span_starts = np.array([start for start, _ in spans])
    span_ends = np.array([end for _, end in spans])
    starts, ends = offsets[:, 0], offsets[:, 1]
    # The first span ending after the token's start is the only one it can overlap.
    candidate = np.searchsorted(span_ends, starts, side="right")
    inside = candidate < len(spans)
    candidate = np.minimum(candidate, len(spans) - 1)
    return inside & (span_starts[candidate] < ends) & (ends > starts)


def labels_for(input_ids: IntArray, trainable: npt.NDArray[np.bool_]) -> IntArray:
    """The input ids where trained, IGNORE_INDEX elsewhere — and always at the first token."""
    labels = np.where(trainable, input_ids, IGNORE_INDEX).astype(TOKEN_DTYPE)
    # Nothing in the sample predicts its first token; in a packed row the previous sample's last
    # token would, so it must never be a target.
    labels[:1] = IGNORE_INDEX
    return labels


def refuse_untrainable(sample: TokenizedSample) -> None:
    """A sample without a single trainable token would teach nothing: refuse to train on it."""
    if sample.trainable == 0:
        raise WlError(
            "data.nothing_to_train",
            f"{sample.name}: no trainable tokens (no assistant turn, or its turns render to "
            "nothing under this chat template)",
            "give the conversation an assistant reply, or remove it (`wl-data validate` "
            "finds conversations without one)",
        )
