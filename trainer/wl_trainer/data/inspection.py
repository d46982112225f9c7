"""What ``inspect`` reports about a data file under a model's chat template: token lengths
(p50 / p95 / max), how many samples exceed max_seq_length, the share of tokens trained, and one
rendered sample cut into trained and untrained segments — what a user checks before renting a GPU.

Samples are what training sees: a record the template cannot split counts as its parts
(per_turn.py), and ``sample_number`` picks among them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from wl_trainer.data.masks import IGNORE_INDEX, IntArray, TokenizedSample
from wl_trainer.data.per_turn import render_samples
from wl_trainer.data.records import ChatRecord, read_records
from wl_trainer.data.settings import DataSettings
from wl_trainer.data.system_prompt import fill_system_prompt, with_system_prompt
from wl_trainer.data.tokenize import tokenize_records
from wl_trainer.errors import WlError

INSPECT_SCHEMA = "wl.inspect/1"


@dataclass(frozen=True)
class Segment:
    """A stretch of rendered text whose tokens are all trained, or all not."""

    text: str
    trainable: bool


def inspect_data(
    path: Path,
    tokenizer: Any,
    settings: DataSettings,
    model: str,
    *,
    sample_number: int = 1,
    today: date | None = None,
) -> dict[str, Any]:
    """The ``wl.inspect/1`` document for one data file."""
    loaded = read_records(path, settings.format)
    system_text = (
        fill_system_prompt(settings.system_prompt, settings.system_vars, today or date.today())
        if settings.system_prompt is not None
        else None
    )
    samples = tokenize_records(loaded.records, tokenizer, system_text)
    if not 1 <= sample_number <= len(samples):
        raise WlError(
            "inspect.sample",
            f"--sample {sample_number} is out of range: {path} holds {len(samples)} samples",
            f"pass a number from 1 to {len(samples)}",
        )
    lengths = [len(sample.input_ids) for sample in samples]
    trainable = sum(sample.trainable for sample in samples)
    shown = samples[sample_number - 1]
    text = sample_text(tokenizer, loaded.records, samples, sample_number - 1, system_text)
    return {
        "schema": INSPECT_SCHEMA,
        "model": model,
        "file": str(path),
        "format": loaded.format,
        "records": len(loaded.records),
        "expanded": sum(sample.part == 1 for sample in samples),
        "aligned": sum(sample.aligned for sample in samples),
        "samples": len(samples),
        "max_seq_length": settings.max_seq_length,
        "tokens": {
            "p50": nearest_rank(lengths, 50),
            "p95": nearest_rank(lengths, 95),
            "max": max(lengths),
            "total": sum(lengths),
        },
        "over_max_length": sum(length > settings.max_seq_length for length in lengths),
        "trainable_tokens": trainable,
        "trainable_share": round(trainable / sum(lengths), 6),
        "sample": {
            "name": shown.name,
            "tokens": len(shown.input_ids),
            "trainable_tokens": shown.trainable,
            "segments": [vars(segment) for segment in sample_segments(tokenizer, text, shown)],
        },
    }


def sample_text(
    tokenizer: Any,
    records: list[ChatRecord],
    samples: list[TokenizedSample],
    index: int,
    system_text: str | None,
) -> str:
    """The rendered text of ``samples[index]``: its record, rendered again, and its part."""
    # Each record starts a new whole sample or a first part; count them to find its record.
    record = records[sum(sample.part in (None, 1) for sample in samples[: index + 1]) - 1]
    chats = render_samples(
        tokenizer, record.name, with_system_prompt(record.messages, system_text), record.tools
    )
    return chats[(samples[index].part or 1) - 1].text


def nearest_rank(values: list[int], percent: float) -> int:
    """The nearest-rank percentile: the smallest value with ``percent`` % of values at or below."""
    ordered = sorted(values)
    return ordered[max(math.ceil(percent / 100 * len(ordered)), 1) - 1]


def sample_segments(tokenizer: Any, text: str, sample: TokenizedSample) -> list[Segment]:
    """The rendered text cut where the labels switch between trained and not."""
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    offsets = np.asarray(encoded["offset_mapping"], dtype=np.int64).reshape(-1, 2)
    return segments_of(text, offsets[:, 0], sample.labels)


def segments_of(text: str, token_starts: Any, labels: IntArray) -> list[Segment]:
    """Segments from each token's first character and its label."""
    trained = labels != IGNORE_INDEX
    switches = [0, *np.flatnonzero(trained[1:] != trained[:-1]) + 1]
    cuts = [0 if index == 0 else int(token_starts[index]) for index in switches] + [len(text)]
    segments = []
    for index, start, end in zip(switches, cuts, cuts[1:], strict=False):
        if end > start:
            segments.append(Segment(text[start:end], bool(trained[index])))
    return segments
