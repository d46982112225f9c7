"""Packing: best-fit rows, position ids and boundaries per sample, and — run through the tiny
Llama model — packed samples that do not attend to each other."""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from transformers import AutoModelForCausalLM

from tests.chat_samples import loaded_tokenizer, synthetic_records, write_jsonl
from wl_trainer.data.dataset import PreparedDataset
from wl_trainer.data.masks import IGNORE_INDEX
from wl_trainer.data.packing import best_fit, block_causal_mask, position_ids
from wl_trainer.data.prepare import prepare_dataset


def test_best_fit_places_the_longest_first_where_each_fits_most_tightly() -> None:
    # 8 opens a row (2 free), 6 another (4 free), 5 a third (5 free); 4 fills the second,
    # 3 the third (2 free left), and 2 goes to the first of the two rows with 2 free.
    assert best_fit([5, 3, 8, 2, 4, 6], 10) == [[0, 1], [2, 3], [4, 5]]
    assert best_fit([4, 4, 4], 8) == [[0, 1], [2]]  # equal lengths keep data order


def test_best_fit_places_every_sample_once_within_capacity_and_fills_rows() -> None:
    rng = random.Random(3)
    lengths = [rng.randint(20, 900) for _ in range(500)]
    rows = best_fit(lengths, 1024)
    assert sorted(index for row in rows for index in row) == list(range(500))
    assert all(sum(lengths[i] for i in row) <= 1024 for row in rows)
    assert all(row == sorted(row) for row in rows)
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    # Fuller than starting a new row whenever the next sample does not fit the current one.
    next_fit, used = 1, 0
    for length in lengths:
        if used + length > 1024:
            next_fit, used = next_fit + 1, 0
        used += length
    assert len(rows) < next_fit
    assert len(rows) <= int(sum(lengths) / 1024 / 0.9) + 1


def test_position_ids_restart_for_every_sample_and_for_the_padding() -> None:
    assert position_ids([0, 3, 5], 8).tolist() == [0, 1, 2, 0, 1, 0, 1, 2]
    assert position_ids([0, 4], 4).tolist() == [0, 1, 2, 3]


def test_the_block_mask_is_causal_within_each_sample_only() -> None:
    allowed = block_causal_mask([0, 2, 3], 5)
    assert allowed.shape == (1, 1, 5, 5)
    assert allowed[0, 0].int().tolist() == [
        [1, 0, 0, 0, 0],
        [1, 1, 0, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 0, 1, 0],  # padding: its own block, so no query row is fully masked
        [0, 0, 0, 1, 1],
    ]
    additive = block_causal_mask([0, 2, 3], 5, dtype=torch.float32)
    assert additive[0, 0, 1, 0] == 0 and additive[0, 0, 2, 1] == torch.finfo(torch.float32).min


def packed_dataset(tiny_models: dict[str, Path], tmp_path: Path, packing: bool) -> PreparedDataset:
    tmp_path.mkdir(exist_ok=True)
    path = write_jsonl(tmp_path / "train.jsonl", synthetic_records(3, seed=5))
    config = {"data": {"train": str(path), "max_seq_length": 1600, "packing": packing}}
    return prepare_dataset(
        config, loaded_tokenizer(tiny_models["llama"]), cache_dir=tmp_path / "cache"
    )


@pytest.mark.parametrize("attention", ["sdpa", "eager"])
def test_packed_samples_do_not_attend_to_each_other(
    tiny_models: dict[str, Path], tmp_path: Path, attention: str
) -> None:
    model = AutoModelForCausalLM.from_pretrained(
        tiny_models["llama"], local_files_only=True, attn_implementation=attention
    ).eval()
    dataset = packed_dataset(tiny_models, tmp_path, packing=True)
    assert len(dataset) == 1
    row = dataset.row(0)
    bounds = row.cu_seqlens.tolist()
    assert len(bounds) == 4 and bounds[-1] < dataset.max_seq_length  # three samples, then padding
    ids = torch.from_numpy(row.input_ids).long()[None]
    positions = torch.from_numpy(row.position_ids)[None]
    mask = block_causal_mask(
        row.cu_seqlens, len(row.input_ids), torch.float32 if attention == "eager" else None
    )
    with torch.no_grad():
        packed = model(input_ids=ids, position_ids=positions, attention_mask=mask).logits[0]
        unmasked = model(input_ids=ids, position_ids=positions).logits[0]
        for start, end in itertools.pairwise(bounds):
            alone = model(input_ids=ids[:, start:end]).logits[0]
            torch.testing.assert_close(packed[start:end], alone, atol=1e-5, rtol=0)
    # Without the block mask the later samples would see the earlier ones: the check can fail.
    later = slice(bounds[1], bounds[2])
    assert not torch.allclose(unmasked[later], packed[later], atol=1e-3)


def test_the_loss_of_a_packed_row_is_the_loss_of_its_samples(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    # Labels shift by one inside the model: no sample may be scored on its neighbour's tokens.
    model = AutoModelForCausalLM.from_pretrained(tiny_models["llama"], local_files_only=True).eval()
    row = packed_dataset(tiny_models, tmp_path, packing=True).row(0)
    ids, labels = (
        torch.from_numpy(row.input_ids).long()[None],
        torch.from_numpy(row.labels).long()[None],
    )
    with torch.no_grad():
        packed = model(
            input_ids=ids,
            position_ids=torch.from_numpy(row.position_ids)[None],
            attention_mask=block_causal_mask(row.cu_seqlens, len(row.input_ids)),
            labels=labels,
        ).loss
        total, count = torch.tensor(0.0), 0
        for start, end in itertools.pairwise(row.cu_seqlens.tolist()):
            logits = model(input_ids=ids[:, start:end]).logits[0, :-1]
            targets = labels[0, start + 1 : end]
            total += torch.nn.functional.cross_entropy(
                logits, targets, ignore_index=IGNORE_INDEX, reduction="sum"
            )
            count += int((targets != IGNORE_INDEX).sum())
    torch.testing.assert_close(packed, total / count, atol=1e-5, rtol=0)


def test_rows_are_fixed_length_with_padding_neither_attended_nor_trained(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    dataset = packed_dataset(tiny_models, tmp_path, packing=True)
    row = dataset.row(0)
    used = int(row.cu_seqlens[-1])
    assert len(row.input_ids) == len(row.labels) == len(row.position_ids) == 1600
    assert row.attention_mask.tolist() == [1] * used + [0] * (1600 - used)
    assert (row.labels[used:] == IGNORE_INDEX).all()
    assert (row.input_ids[used:] == dataset.pad_token_id).all()
    assert dataset.pad_token_id == loaded_tokenizer(tiny_models["llama"]).pad_token_id
    # Each sample's first token is never a target: the previous sample would be predicting it.
    assert all(row.labels[start] == IGNORE_INDEX for start in row.cu_seqlens[:-1])
    assert dataset.stats.rows == 1 and dataset.stats.samples == 3


def test_padded_mode_puts_one_sample_in_each_row(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    packed = packed_dataset(tiny_models, tmp_path / "packed", packing=True)
    padded = packed_dataset(tiny_models, tmp_path / "padded", packing=False)
    assert len(padded) == 3 and padded.stats.rows == 3
    first = packed.row(0)
    rows: list[Any] = list(padded)
    for index, row in enumerate(rows):
        start, end = first.cu_seqlens[index], first.cu_seqlens[index + 1]
        assert row.cu_seqlens.tolist() == [0, end - start]
        assert np.array_equal(row.input_ids[: end - start], first.input_ids[start:end])
        assert np.array_equal(row.labels[: end - start], first.labels[start:end])
        assert row.position_ids[: end - start].tolist() == list(range(end - start))
        assert row.attention_mask.sum() == end - start
    assert padded.stats.fill < packed.stats.fill
