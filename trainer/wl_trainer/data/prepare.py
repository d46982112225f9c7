"""``prepare_dataset``: the one entry point from a wl config and a tokenizer to training rows.

    from transformers import AutoTokenizer
    from wl_trainer.data.prepare import prepare_dataset

    tokenizer = AutoTokenizer.from_pretrained("Qwen/Qwen2.5-0.5B-Instruct")
    dataset = prepare_dataset({"data": {"train": "train.jsonl"}}, tokenizer)
    print(dataset.stats.to_json())

Steps: settings → cache key → (cache hit: done) → read records → render, tokenize and mask (one
sample per record, or one per run of assistant turns where the template cannot be split) → drop
or truncate over-long samples → pack (or pad) → write the cache entry.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path
from typing import Any

from wl_trainer.data.cache import cache_key, cache_root, key_parts, load_entry, store_entry
from wl_trainer.data.dataset import DataStats, PreparedDataset
from wl_trainer.data.overlong import LengthCounts, fit_to_length
from wl_trainer.data.packing import best_fit, flatten_rows, one_per_row
from wl_trainer.data.records import read_records
from wl_trainer.data.settings import DataSettings, Split, data_settings, split_files
from wl_trainer.data.system_prompt import fill_system_prompt, uses_date
from wl_trainer.data.tokenize import tokenize_records
from wl_trainer.data.tokenizer import check_tokenizer
from wl_trainer.errors import WlError
from wl_trainer.status import Reporter


def prepare_dataset(
    config: Mapping[str, Any],
    tokenizer: Any,
    split: Split = "train",
    cache_dir: Path | None = None,
    *,
    today: date | None = None,
    workers: int | None = None,
    reporter: Reporter | None = None,
) -> PreparedDataset:
    """The rows of ``split`` (train or val) for ``tokenizer``, from the cache when unchanged.

    ``config`` is a wl config (at least its ``data`` section); ``cache_dir`` is wl's cache folder
    (default ``$WL_CACHE_DIR`` or ``~/.cache/wl``); ``today`` fills ``{date}`` in the system
    prompt (pin it to rebuild the same rows on another day, e.g. when resuming a run);
    ``workers`` caps the processes that render (default: one per CPU).
    """
    started = time.perf_counter()
    check_tokenizer(tokenizer, str(getattr(tokenizer, "name_or_path", "") or "the model"))
    settings = data_settings(config)
    files = split_files(settings, split)
    today = today or date.today()
    system_text = (
        fill_system_prompt(settings.system_prompt, settings.system_vars, today)
        if settings.system_prompt is not None
        else None
    )

    # 1. The cache: the same data, tokenizer and settings give the same rows.
    date_used = (
        today.isoformat() if uses_date(settings.system_prompt, settings.system_vars) else None
    )
    parts = key_parts(files, tokenizer, settings, date_used)
    key = cache_key(parts)
    folder = (cache_dir or cache_root()) / "tokenized" / key
    cached = cached_dataset(folder, files, settings, started)
    if cached is not None:
        report(reporter, cached.stats)
        return cached

    # 2. Records → samples with assistant-only labels (refuses samples with nothing to train);
    # a record the template cannot split becomes one sample per run of assistant turns.
    loaded = [read_records(path, settings.format) for path in files]
    records = [record for loaded_file in loaded for record in loaded_file.records]
    samples = tokenize_records(records, tokenizer, system_text, workers)

    # 3. Over-long samples are dropped or truncated, and counted either way.
    kept, counts = fit_to_length(samples, settings.max_seq_length, settings.overlong)
    if not kept:
        raise nothing_left(len(samples), counts, settings)

    # 4. Rows: several samples each (packing) or one padded sample each.
    lengths = [len(sample.input_ids) for sample in kept]
    layout = (
        best_fit(lengths, settings.max_seq_length) if settings.packing else one_per_row(len(kept))
    )
    arrays = flatten_rows(kept, layout)

    stats = DataStats(
        records=len(records),
        expanded=sum(sample.part == 1 for sample in samples),
        extra_samples=len(samples) - len(records),
        aligned=sum(sample.aligned for sample in samples),
        samples=len(kept),
        overlong=counts.overlong,
        dropped=counts.dropped,
        truncated=counts.truncated,
        tokens=int(sum(lengths)),
        trainable_tokens=sum(sample.trainable for sample in kept),
        rows=len(layout),
        max_seq_length=settings.max_seq_length,
        formats={str(loaded_file.path): loaded_file.format for loaded_file in loaded},
        cache_key=key,
        cache_hit=False,
        seconds=0.0,
    )
    dataset = PreparedDataset(
        arrays, stats, settings.max_seq_length, settings.packing, pad_token_id(tokenizer)
    )

    # 5. The cache entry, for the next run.
    save_entry(folder, dataset, parts, reporter)
    dataset = replace(dataset, stats=replace(stats, seconds=time.perf_counter() - started))
    report(reporter, dataset.stats)
    return dataset


def cached_dataset(
    folder: Path, files: list[Path], settings: DataSettings, started: float
) -> PreparedDataset | None:
    """The dataset stored at ``folder``, or None when there is no usable entry."""
    entry = load_entry(folder)
    if entry is None:
        return None
    arrays, manifest = entry
    stored = dict(manifest["stats"])
    # The same bytes may sit under another name now: report the files as they are called today.
    stored["formats"] = dict(zip(map(str, files), stored["formats"].values(), strict=True))
    try:
        stats = DataStats(**stored, cache_hit=True, seconds=time.perf_counter() - started)
    except TypeError:  # written by a version that kept other stats: rebuild it
        return None
    return PreparedDataset(
        arrays, stats, settings.max_seq_length, settings.packing, manifest["pad_token_id"]
    )


def save_entry(
    folder: Path, dataset: PreparedDataset, parts: dict[str, Any], reporter: Reporter | None
) -> None:
    """Write the cache entry; one that cannot be written costs the next run time, not this one."""
    stats = {k: v for k, v in asdict(dataset.stats).items() if k not in ("cache_hit", "seconds")}
    manifest = {"key": parts, "stats": stats, "pad_token_id": dataset.pad_token_id}
    try:
        store_entry(folder, dataset.arrays, manifest)
    except OSError as error:
        if reporter is not None:
            reporter.warning(
                f"could not write the tokenized-data cache at {folder}: {error}",
                fix="set WL_CACHE_DIR to a writable folder (the next run tokenizes again)",
            )


def pad_token_id(tokenizer: Any) -> int:
    """The id that fills rows after their samples: the pad token, else EOS (never attended to
    nor trained, so any valid id will do — real Llama-3 tokenizers have no pad token)."""
    for candidate in (tokenizer.pad_token_id, tokenizer.eos_token_id):
        if candidate is not None:
            return int(candidate)
    return 0


def nothing_left(samples: int, counts: LengthCounts, settings: DataSettings) -> WlError:
    """The error when over-long samples took every one."""
    return WlError(
        "data.nothing_left",
        f"no samples left: {counts.dropped} of {samples} were longer than max_seq_length "
        f"{settings.max_seq_length} tokens and dropped",
        "raise data.max_seq_length, or set data.overlong: truncate",
    )


def report(reporter: Reporter | None, stats: DataStats) -> None:
    """Status lines: conversations split per turn, a warning for over-long samples, then what
    is ready."""
    if reporter is None:
        return
    if stats.expanded:
        reporter.info(
            f"{stats.expanded} of {stats.records} conversations cannot be one sample under this "
            f"chat template (it renders earlier turns differently once later ones follow): "
            f"trained as one sample per run of assistant turns, {stats.extra_samples} more samples"
            + (
                f", {stats.aligned} of them one turn aligned with its serving render"
                if stats.aligned
                else ""
            ),
            event="data.expanded",
            data={
                "expanded": stats.expanded,
                "extra_samples": stats.extra_samples,
                "aligned": stats.aligned,
            },
        )
    if stats.overlong:
        reporter.warning(
            f"{stats.overlong} of {stats.records + stats.extra_samples} samples exceed "
            f"max_seq_length {stats.max_seq_length}: {stats.dropped} dropped, "
            f"{stats.truncated} truncated",
            event="data.overlong",
            fix="raise data.max_seq_length, or choose data.overlong: drop | truncate",
            data={
                "overlong": stats.overlong,
                "dropped": stats.dropped,
                "truncated": stats.truncated,
            },
        )
    source = "from the cache" if stats.cache_hit else f"in {stats.seconds:.1f} s"
    reporter.success(
        f"data ready {source}: {stats.samples} samples in {stats.rows} rows of "
        f"{stats.max_seq_length}, {stats.tokens} tokens, {stats.trainable_share:.1%} trained",
        event="data.ready",
        data=stats.to_json(),
    )
