"""prepare_dataset end to end: settings, over-long samples counted, stats, worker processes,
splits, conversations split per turn and the tokenizers it refuses."""

from __future__ import annotations

import io
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from transformers import AutoTokenizer

from tests.chat_samples import loaded_tokenizer, synthetic_records, trained_runs, write_jsonl
from tests.conftest import REPO_DIR
from wl_trainer.config import ConfigError
from wl_trainer.data import tokenize
from wl_trainer.data.masks import IGNORE_INDEX, TokenizedSample
from wl_trainer.data.prepare import prepare_dataset
from wl_trainer.data.settings import data_settings
from wl_trainer.errors import WlError
from wl_trainer.status import Reporter

SHORT = {"instruction": "Hi", "output": "Hello."}
LONG_REPLY = {"instruction": "Describe the sky.", "output": "blue sky " * 60}
LONG_PROMPT = {"instruction": "rain " * 80, "output": "Wet."}
WEATHER_SAMPLE = REPO_DIR / "data" / "weather" / "sample-train.jsonl"


def prepare(tmp_path: Path, tokenizer: Any, records: list[dict[str, Any]], **data: Any) -> Any:
    path = write_jsonl(tmp_path / "train.jsonl", records)
    config = {"data": {"train": str(path), **data}}
    return prepare_dataset(config, tokenizer, cache_dir=tmp_path / "cache")


@pytest.fixture
def llama(tiny_models: dict[str, Path]) -> Any:
    return loaded_tokenizer(tiny_models["llama"])


def test_overlong_samples_are_dropped_and_counted(tmp_path: Path, llama: Any) -> None:
    dataset = prepare(tmp_path, llama, [SHORT, LONG_REPLY, LONG_PROMPT], max_seq_length=64)
    stats = dataset.stats
    assert (stats.records, stats.samples, stats.overlong, stats.dropped, stats.truncated) == (
        3,
        1,
        2,
        2,
        0,
    )


def test_truncated_samples_are_counted_and_those_left_with_nothing_to_learn_dropped(
    tmp_path: Path, llama: Any
) -> None:
    records = [SHORT, LONG_REPLY, LONG_PROMPT]
    dataset = prepare(tmp_path, llama, records, max_seq_length=64, overlong="truncate")
    stats = dataset.stats
    assert (stats.records, stats.samples, stats.overlong, stats.dropped, stats.truncated) == (
        3,
        2,
        2,
        1,
        1,
    )
    lengths = np.diff(dataset.arrays.sample_offsets).tolist()
    assert 64 in lengths and max(lengths) == 64


def test_nothing_left_after_dropping_is_an_error(tmp_path: Path, llama: Any) -> None:
    with pytest.raises(
        WlError, match="no samples left: 1 of 1 were longer than max_seq_length 64"
    ) as caught:
        prepare(tmp_path, llama, [LONG_PROMPT], max_seq_length=64)
    assert "overlong: truncate" in caught.value.fix


def test_overlong_samples_are_reported_on_the_status_stream(tmp_path: Path, llama: Any) -> None:
    path = write_jsonl(tmp_path / "train.jsonl", [SHORT, LONG_REPLY])
    stream = io.StringIO()
    config = {"data": {"train": str(path), "max_seq_length": 64}}
    prepare_dataset(
        config, llama, cache_dir=tmp_path / "c", reporter=Reporter(stream=stream, env={})
    )
    assert (
        "WARNING: 1 of 2 samples exceed max_seq_length 64: 1 dropped, 0 truncated"
        in stream.getvalue()
    )


def test_stats_add_up_to_the_rows(tmp_path: Path, llama: Any) -> None:
    dataset = prepare(tmp_path, llama, synthetic_records(12, seed=2), max_seq_length=2048)
    stats, arrays = dataset.stats, dataset.arrays
    assert stats.samples == 12 and stats.rows == len(dataset) < 12
    assert stats.expanded == stats.extra_samples == 0  # Llama-3 style: every conversation whole
    assert stats.tokens == len(arrays.input_ids) == sum(int(row.cu_seqlens[-1]) for row in dataset)
    assert stats.trainable_tokens == int(np.count_nonzero(arrays.labels != IGNORE_INDEX))
    assert 0.1 < stats.trainable_share < 0.5
    assert stats.fill == stats.tokens / (stats.rows * 2048)
    assert stats.formats == {str(tmp_path / "train.jsonl"): "chat"}
    assert stats.to_json()["trainable_share"] == round(stats.trainable_share, 6)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
@pytest.mark.parametrize("arch", ["llama", "mistral"])  # mistral: conversations split per turn
def test_worker_processes_give_the_same_rows(
    tmp_path: Path, tiny_models: dict[str, Path], monkeypatch: pytest.MonkeyPatch, arch: str
) -> None:
    tokenizer = loaded_tokenizer(tiny_models[arch])
    monkeypatch.setattr(tokenize, "BATCH", 4)  # 20 records → 5 batches over 2 workers
    records = synthetic_records(20, seed=4)
    path = write_jsonl(tmp_path / "train.jsonl", records)
    config = {"data": {"train": str(path)}}
    alone = prepare_dataset(config, tokenizer, cache_dir=tmp_path / "one", workers=1)
    spread = prepare_dataset(config, tokenizer, cache_dir=tmp_path / "two", workers=2)
    for name in ("input_ids", "labels", "sample_offsets", "row_offsets"):
        assert np.array_equal(getattr(alone.arrays, name), getattr(spread.arrays, name))
    split = sum(answered_user_turns(record["messages"]) > 1 for record in records)
    assert spread.stats.expanded == alone.stats.expanded == (split if arch == "mistral" else 0)
    assert split > 0
    records[14] = {"messages": [{"role": "user", "content": "Anyone?"}]}
    write_jsonl(path, records)
    # The worker's WlError itself comes back (pickled), not a copy of its text.
    with pytest.raises(WlError, match=r"train\.jsonl:15: no trainable tokens") as caught:
        prepare_dataset(config, tokenizer, cache_dir=tmp_path / "two", workers=2)
    assert caught.value.code == "data.nothing_to_train"
    assert caught.value.fix.startswith("give the conversation an assistant reply")


def test_the_val_split_and_a_missing_one(tmp_path: Path, llama: Any) -> None:
    train = write_jsonl(tmp_path / "train.jsonl", [SHORT])
    val = write_jsonl(tmp_path / "val.jsonl", [SHORT, SHORT])
    config = {"data": {"train": str(train), "val": str(val)}}
    assert prepare_dataset(config, llama, "val", cache_dir=tmp_path / "c").stats.samples == 2
    with pytest.raises(WlError, match=r"no validation file \(data.val\)"):
        prepare_dataset({"data": {"train": str(train)}}, llama, "val", cache_dir=tmp_path / "c")


def test_settings_get_the_schema_defaults_and_bad_ones_name_the_key(schema_file: Path) -> None:
    settings = data_settings({"data": {"train": "t.jsonl"}})
    assert (settings.format, settings.max_seq_length, settings.packing, settings.overlong) == (
        "auto", 2048, True, "drop",
    )  # fmt: skip
    assert (settings.system_prompt, settings.system_vars, settings.val) == (None, {}, None)
    with pytest.raises(ConfigError, match=r"data\.max_seq_length is 8, expected at least 16"):
        data_settings({"data": {"train": "t.jsonl", "max_seq_length": 8}})
    with pytest.raises(ConfigError, match='unknown key "pakcing" in data') as caught:
        data_settings({"data": {"train": "t.jsonl", "pakcing": True}})
    assert caught.value.fix == 'did you mean "packing"?'


def test_a_tokenizer_without_a_chat_template_is_refused(
    tmp_path: Path, tiny_models: dict[str, Path]
) -> None:
    tokenizer = AutoTokenizer.from_pretrained(tiny_models["llama"], local_files_only=True)
    tokenizer.chat_template = None
    with pytest.raises(WlError, match="has no chat template") as caught:
        prepare(tmp_path, tokenizer, [SHORT])
    assert caught.value.code == "data.no_chat_template"


def answered_user_turns(messages: list[dict[str, Any]]) -> int:
    """How many user messages an assistant message answers: the samples the Mistral template,
    which lists the tools before the last user message, splits a conversation into."""
    last_user, answered = None, set()
    for index, message in enumerate(messages):
        if message["role"] == "user":
            last_user = index
        elif message["role"] == "assistant":
            answered.add(last_user)
    return len(answered)


def mistral_turn(message: dict[str, Any]) -> str:
    """An assistant message as the Mistral-style template writes it (arguments as objects)."""
    if "tool_calls" not in message or not message["tool_calls"]:
        return f" {message['content']}</s>"
    calls = []
    for call in message["tool_calls"]:
        arguments = call["function"]["arguments"]  # a JSON string (OpenAI's wire format) or not
        arguments = json.loads(arguments) if isinstance(arguments, str) else arguments
        calls.append(
            f'{{"name": {json.dumps(call["function"]["name"])}, '
            f'"arguments": {json.dumps(arguments, ensure_ascii=False)}, '
            f'"id": {json.dumps(call["id"])}}}'
        )
    return f"[TOOL_CALLS] [{', '.join(calls)}]</s>"


def test_mistral_splits_the_weather_conversations_per_user_turn(
    tmp_path: Path, tiny_models: dict[str, Path]
) -> None:
    # Under Mistral every conversation with a second user turn is split (see test_data_masks);
    # before, all of them were refused.
    tokenizer = loaded_tokenizer(tiny_models["mistral"])
    raw = [json.loads(line) for line in WEATHER_SAMPLE.read_text(encoding="utf-8").splitlines()]
    parts = [answered_user_turns(record["messages"]) for record in raw]
    expanded = sum(count > 1 for count in parts)
    stream = io.StringIO()
    config = {"data": {"train": str(WEATHER_SAMPLE), "max_seq_length": 4096}}
    dataset = prepare_dataset(
        config, tokenizer, cache_dir=tmp_path, reporter=Reporter(stream=stream, env={})
    )
    stats = dataset.stats
    assert (stats.records, stats.expanded, stats.extra_samples) == (
        len(raw),
        expanded,
        sum(parts) - len(raw),
    )
    assert stats.samples == sum(parts) and stats.dropped == 0 and expanded > len(raw) / 2
    assert f"{expanded} of {len(raw)} conversations cannot be one sample" in stream.getvalue()
    # Every assistant message is trained exactly once, as the template writes it.
    arrays, bounds = dataset.arrays, dataset.arrays.sample_offsets.tolist()
    trained = [
        run
        for start, end in itertools.pairwise(bounds)
        for run in trained_runs(
            tokenizer,
            TokenizedSample("", arrays.input_ids[start:end], arrays.labels[start:end]),
        )
    ]
    expected = [
        mistral_turn(message)
        for record in raw
        for message in record["messages"]
        if message["role"] == "assistant"
    ]
    assert sorted(trained) == sorted(expected)
