"""Samples longer than ``data.max_seq_length``: dropped or truncated, per ``data.overlong``, and
always counted — never silently.

``truncate`` keeps a sample's first ``max_seq_length`` tokens (the prompt and the earliest
replies); a sample cut down to no trainable token at all is dropped instead, and counted as
dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from wl_trainer.data.masks import TokenizedSample
from wl_trainer.data.settings import Overlong


@dataclass(frozen=True)
class LengthCounts:
    """What the length limit did."""

    overlong: int
    """Samples longer than the limit."""
    dropped: int
    """Samples removed (all overlong ones with ``drop``; those cut to nothing with ``truncate``)."""
    truncated: int
    """Samples cut to the limit and kept."""


def fit_to_length(
    samples: list[TokenizedSample], max_length: int, policy: Overlong
) -> tuple[list[TokenizedSample], LengthCounts]:
    """The samples that fit (truncated where the policy says so) and the counts."""
    kept: list[TokenizedSample] = []
    overlong = dropped = truncated = 0
    for sample in samples:
        if len(sample.input_ids) <= max_length:
            kept.append(sample)
            continue
        overlong += 1
        if policy == "truncate":
            cut = truncate(sample, max_length)
            if cut.trainable > 0:
                kept.append(cut)
                truncated += 1
                continue
        dropped += 1
    return kept, LengthCounts(overlong, dropped, truncated)


def truncate(sample: TokenizedSample, max_length: int) -> TokenizedSample:
    """The sample's first ``max_length`` tokens."""
    return replace(
        sample, input_ids=sample.input_ids[:max_length], labels=sample.labels[:max_length]
    )
