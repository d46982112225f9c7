"""Records → tokenized samples: insert the system prompt, render with the chat template (one
sample per conversation, or one per run of assistant turns where the template cannot be split:
per_turn.py), tokenize in batches, label the assistant tokens, and refuse any sample with nothing
to train.

Rendering is pure Python (Jinja) and takes most of the time, so large inputs are spread over
worker processes, batch by batch, results kept in data order. Workers are forked (Linux only:
forking is unsafe on macOS), as ``datasets.map(num_proc=…)`` does, so they share the parent's
tokenizer without pickling it or importing transformers again, and a WlError raised in one
comes back pickled (errors.py); elsewhere, or for a single batch, everything runs in this
process. Workers tokenize without the tokenizers library's own threads: the processes already
fill the CPUs.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from wl_trainer.data.masks import TokenizedSample, refuse_untrainable, tokenize_chats
from wl_trainer.data.per_turn import render_samples
from wl_trainer.data.records import ChatRecord
from wl_trainer.data.system_prompt import with_system_prompt

# Records per tokenizer call: large enough to amortize the call, small enough to spread well.
BATCH = 256
MAX_WORKERS = 8
PARALLELISM = "TOKENIZERS_PARALLELISM"
Item = TypeVar("Item")


def tokenize_records(
    records: Sequence[ChatRecord],
    tokenizer: Any,
    system_text: str | None = None,
    workers: int | None = None,
) -> list[TokenizedSample]:
    """Every record as a sample (or, split per turn, several) with assistant-only labels, in
    order; ``workers`` processes (default: one per CPU, up to MAX_WORKERS)."""
    chunks = list(batches(records, BATCH))
    workers = min(workers or available_cpus(), MAX_WORKERS, len(chunks))
    if workers < 2 or not sys.platform.startswith("linux"):
        return [
            sample for chunk in chunks for sample in tokenize_batch(chunk, tokenizer, system_text)
        ]
    return tokenize_in_workers(chunks, tokenizer, system_text, workers)


def available_cpus() -> int:
    """The CPUs this process may run on (a container's share, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def tokenize_batch(
    records: Sequence[ChatRecord], tokenizer: Any, system_text: str | None
) -> list[TokenizedSample]:
    """One batch: render each record, tokenize all at once, check each has trainable tokens."""
    chats = [
        chat
        for record in records
        for chat in render_samples(
            tokenizer, record.name, with_system_prompt(record.messages, system_text), record.tools
        )
    ]
    samples = tokenize_chats(tokenizer, chats)
    for sample in samples:
        refuse_untrainable(sample)
    return samples


def batches(items: Sequence[Item], size: int) -> Iterator[Sequence[Item]]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


# What a forked worker tokenizes with, set once per process by worker_start.
WORKER: dict[str, Any] = {}


def worker_start(tokenizer: Any, system_text: str | None) -> None:
    """Worker initializer: remember the (inherited, not pickled) tokenizer and system prompt."""
    WORKER.update(tokenizer=tokenizer, system_text=system_text)


def worker_batch(records: Sequence[ChatRecord]) -> list[TokenizedSample]:
    """tokenize_batch in a worker, with the tokenizer and system prompt it inherited."""
    return tokenize_batch(records, WORKER["tokenizer"], WORKER["system_text"])


def tokenize_in_workers(
    chunks: list[Sequence[ChatRecord]], tokenizer: Any, system_text: str | None, workers: int
) -> list[TokenizedSample]:
    """tokenize_batch over forked workers; the first failure in data order is raised."""
    context = multiprocessing.get_context("fork")
    samples: list[TokenizedSample] = []
    with (
        no_tokenizer_threads(),
        ProcessPoolExecutor(
            workers, mp_context=context, initializer=worker_start, initargs=(tokenizer, system_text)
        ) as pool,
    ):
        try:
            for result in pool.map(worker_batch, chunks):
                samples += result
        except Exception:
            # Leaving the block would wait for every queued batch: drop them, the run has failed.
            pool.shutdown(cancel_futures=True)
            raise
    return samples


@contextmanager
def no_tokenizer_threads() -> Iterator[None]:
    """TOKENIZERS_PARALLELISM=false while workers are forked and run, then as it was.

    Forked workers inherit it, so they neither oversubscribe the CPUs nor print the tokenizers
    library's "process just got forked" warning on stderr, which carries wl's status lines.
    """
    previous = os.environ.get(PARALLELISM)
    os.environ[PARALLELISM] = "false"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(PARALLELISM, None)
        else:
            os.environ[PARALLELISM] = previous
