"""The tokenized-data cache: an unchanged second run renders nothing; a change to any part of the
key — data bytes, tokenizer, template, special tokens, each data setting, the date, the pipeline
version — makes a new entry."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from transformers import AutoTokenizer

from tests.chat_samples import synthetic_records, write_jsonl
from wl_trainer.data import cache
from wl_trainer.data.cache import MANIFEST, cache_root
from wl_trainer.data.dataset import PreparedDataset
from wl_trainer.data.prepare import prepare_dataset
from wl_trainer.status import Reporter

DAY = date(2026, 5, 1)


@dataclass
class Run:
    """What one prepare_dataset call gets, and how many renders it made."""

    data: dict[str, Any]
    tokenizer: Any
    cache_dir: Path
    today: date = DAY
    renders: list[int] = field(default_factory=list)

    def prepare(self) -> PreparedDataset:
        return prepare_dataset(
            {"data": self.data}, self.tokenizer, cache_dir=self.cache_dir, today=self.today
        )


def counting_renders(tokenizer: Any, renders: list[int]) -> None:
    """Count apply_chat_template calls on this tokenizer instance (a spy on transformers)."""
    original = tokenizer.apply_chat_template

    def counted(*args: Any, **kwargs: Any) -> Any:
        renders.append(1)
        return original(*args, **kwargs)

    tokenizer.apply_chat_template = counted


@pytest.fixture
def run(tiny_models: dict[str, Path], tmp_path: Path) -> Run:
    """A fresh tokenizer (tests change it), four conversations and a prompt with {date}."""
    path = write_jsonl(tmp_path / "train.jsonl", synthetic_records(4, seed=1))
    tokenizer = AutoTokenizer.from_pretrained(tiny_models["qwen2"], local_files_only=True)
    data = {
        "train": str(path),
        "max_seq_length": 1024,
        "system_prompt": "You are {persona}. Today is {date}.",
        "system_vars": {"persona": "Mark Twain"},
    }
    ready = Run(data, tokenizer, tmp_path / "cache")
    counting_renders(tokenizer, ready.renders)
    return ready


def test_an_unchanged_second_run_renders_nothing(run: Run) -> None:
    first = run.prepare()
    renders = len(run.renders)
    assert not first.stats.cache_hit and renders > 0
    second = run.prepare()
    assert second.stats.cache_hit
    assert len(run.renders) == renders  # not one more render: nothing was tokenized
    for name in ("input_ids", "labels", "sample_offsets", "row_offsets"):
        assert np.array_equal(getattr(first.arrays, name), getattr(second.arrays, name))
    same = {"cache_hit", "seconds"}
    assert {k: v for k, v in vars(first.stats).items() if k not in same} == {
        k: v for k, v in vars(second.stats).items() if k not in same
    }
    assert second.row(0).input_ids.tolist() == first.row(0).input_ids.tolist()


def change_data_bytes(run: Run) -> None:
    path = Path(run.data["train"])
    path.write_text(path.read_text().replace("Paris", "Lyon") + "\n", encoding="utf-8")


def change_vocabulary(run: Run) -> None:
    run.tokenizer.add_tokens(["<humidity>"])


def change_template_text(run: Run) -> None:
    run.tokenizer.chat_template += "{#- renders the same, but is another template -#}"


def change_special_tokens(run: Run) -> None:
    run.tokenizer.pad_token = "<|im_end|>"


def set_data(key: str, value: Any) -> Callable[[Run], None]:
    def change(run: Run) -> None:
        run.data[key] = value

    return change


def next_day(run: Run) -> None:
    run.today = DAY + timedelta(days=1)


KEY_CHANGES: dict[str, Callable[[Run], None]] = {
    "data file bytes": change_data_bytes,
    "tokenizer vocabulary": change_vocabulary,
    "chat template": change_template_text,
    "special tokens": change_special_tokens,
    "format": set_data("format", "chat"),
    "max_seq_length": set_data("max_seq_length", 2048),
    "packing": set_data("packing", False),
    "overlong": set_data("overlong", "truncate"),
    "system_prompt": set_data("system_prompt", "You are {persona}. Date: {date}."),
    "system_vars": set_data("system_vars", {"persona": "Benjamin Franklin"}),
    "date": next_day,
}


@pytest.mark.parametrize("change", list(KEY_CHANGES), ids=list(KEY_CHANGES))
def test_a_change_to_any_key_part_misses_the_cache(run: Run, change: str) -> None:
    first = run.prepare()
    KEY_CHANGES[change](run)
    second = run.prepare()
    assert not second.stats.cache_hit
    assert second.stats.cache_key != first.stats.cache_key
    assert run.prepare().stats.cache_hit  # and the changed run is itself cached


def test_a_new_pipeline_version_misses_the_cache(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run.prepare()
    monkeypatch.setattr(cache, "PIPELINE_VERSION", cache.PIPELINE_VERSION + 1)
    second = run.prepare()
    assert not second.stats.cache_hit and second.stats.cache_key != first.stats.cache_key


def test_another_day_hits_when_the_prompt_has_no_date(run: Run) -> None:
    run.data["system_prompt"] = "You are {persona}."
    run.prepare()
    next_day(run)
    assert run.prepare().stats.cache_hit


def test_the_file_name_and_earlier_tokenizer_calls_do_not_matter(run: Run) -> None:
    first = run.prepare()
    moved = Path(run.data["train"]).with_name("renamed.jsonl")
    Path(run.data["train"]).rename(moved)
    run.data["train"] = str(moved)
    # Truncation and padding left on the tokenizer by an earlier call are not part of the key.
    run.tokenizer(["a", "bb bb"], padding=True, truncation=True, max_length=2)
    second = run.prepare()
    assert second.stats.cache_hit and second.stats.cache_key == first.stats.cache_key
    assert second.stats.formats == {str(moved): "chat"}


def test_an_entry_without_its_manifest_is_rebuilt(run: Run) -> None:
    first = run.prepare()
    entry = run.cache_dir / "tokenized" / first.stats.cache_key
    (entry / MANIFEST).unlink()
    (
        run.cache_dir / "tokenized" / f".{first.stats.cache_key}.x.partial"
    ).mkdir()  # a crash's leftover
    second = run.prepare()
    assert not second.stats.cache_hit
    manifest = json.loads((entry / MANIFEST).read_text())
    assert manifest["schema"] == "wl.tokenized/1"
    assert manifest["key"]["system_vars"] == {"persona": "Mark Twain"}
    assert manifest["key"]["date"] == "2026-05-01"
    assert manifest["stats"]["samples"] == 4 and manifest["stats"]["dropped"] == 0
    assert run.prepare().stats.cache_hit


def test_the_cache_lives_under_wl_cache_dir(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert cache_root({"WL_CACHE_DIR": "/srv/wl"}) == Path("/srv/wl")
    assert cache_root({}) == Path.home() / ".cache" / "wl"
    monkeypatch.setenv("WL_CACHE_DIR", str(tmp_path / "env-cache"))
    dataset = prepare_dataset({"data": run.data}, run.tokenizer, today=DAY)
    assert (tmp_path / "env-cache" / "tokenized" / dataset.stats.cache_key / MANIFEST).is_file()


def test_a_cache_that_cannot_be_written_warns_and_still_returns_rows(run: Run) -> None:
    run.cache_dir.write_text("a file where the cache folder should be")
    stream = io.StringIO()
    dataset = prepare_dataset(
        {"data": run.data},
        run.tokenizer,
        cache_dir=run.cache_dir,
        today=DAY,
        reporter=Reporter(stream=stream, env={}),
    )
    assert len(dataset) > 0 and not dataset.stats.cache_hit
    assert "WARNING: could not write the tokenized-data cache" in stream.getvalue()
    assert "SUCCESS: data ready in" in stream.getvalue()
