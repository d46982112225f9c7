"""``inspect``: token lengths, over-long counts, the trained share and one sample with its
trained text marked — as text and as JSON, on the tiny models, through the real command line."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tests.chat_samples import loaded_tokenizer, tool_chat, write_jsonl
from tests.conftest import install_in_hf_cache, run_cli
from wl_trainer import cli

ALPACA = [
    {"instruction": "Convert 20 C to F.", "output": "68 F."},
    {
        "instruction": "Is it windy in Oslo today?",
        "input": "Wind: 40 km/h.",
        "output": "Yes, quite windy.",
    },
    {"instruction": "Hi", "output": "Hello."},
]


def token_lengths(
    tokenizer: Any, chats: list[list[dict[str, Any]]], tools: Any = None
) -> list[int]:
    """Lengths the way transformers counts them, independently of the pipeline."""
    return [
        len(tokenizer.apply_chat_template(chat, tools=tools, return_dict=False)) for chat in chats
    ]


def nearest_rank(values: list[int], percent: int) -> int:
    ordered = sorted(values)
    return ordered[math.ceil(percent / 100 * len(ordered)) - 1]


def inspect(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["inspect", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_report_marks_exactly_the_assistant_replies(
    tiny_models: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    path = write_jsonl(tmp_path / "alpaca.jsonl", ALPACA)
    tokenizer = loaded_tokenizer(tiny_models["llama"])
    chats = [
        [
            {"role": "user", "content": "Convert 20 C to F."},
            {"role": "assistant", "content": "68 F."},
        ],
        [
            {"role": "user", "content": "Is it windy in Oslo today?\n\nWind: 40 km/h."},
            {"role": "assistant", "content": "Yes, quite windy."},
        ],
        [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}],
    ]
    lengths = token_lengths(tokenizer, chats)
    trained = [
        len(tokenizer(reply + "<|eot_id|>", add_special_tokens=False)["input_ids"])
        for reply in ("68 F.", "Yes, quite windy.", "Hello.")
    ]
    code, out, err = inspect(
        capsys,
        "--model",
        str(tiny_models["llama"]),
        str(path),
        "--sample",
        "2",
        "--max-seq-length",
        "30",
    )
    assert code == 0
    share = sum(trained) / sum(lengths)
    header = "<|start_header_id|>{}<|end_header_id|>\n\n".format
    over = sum(length > 30 for length in lengths)
    assert out == (
        f"model      {tiny_models['llama']}\n"
        f"file       {path} (alpaca, 3 samples)\n"
        f"tokens     p50 {nearest_rank(lengths, 50)} · p95 {max(lengths)} · max {max(lengths)} · total {sum(lengths)}\n"
        f"too long   {over} longer than max_seq_length 30\n"
        f"trained    {share:.1%} of tokens ({sum(trained)})\n"
        "\n"
        f"sample {path}:2: {lengths[1]} tokens, {trained[1]} trained (inside ⟦ ⟧):\n"
        f"<|begin_of_text|>{header('user')}Is it windy in Oslo today?\n\nWind: 40 km/h.<|eot_id|>"
        f"{header('assistant')}⟦Yes, quite windy.<|eot_id|>⟧\n"
    )
    assert "\033[" not in out
    assert f"⚠️ WARNING: {over} of 3 samples are longer than max_seq_length 30" in err
    assert "✅ SUCCESS: inspected 3 samples" in err


def test_json_report_with_tools_on_chatml(
    tiny_models: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = tool_chat()
    short = {"messages": record["messages"][:5], "tools": record["tools"]}
    path = write_jsonl(tmp_path / "chat.jsonl", [record, short, short])
    tokenizer = loaded_tokenizer(tiny_models["qwen2"])
    code, out, _ = inspect(capsys, "--model", str(tiny_models["qwen2"]), str(path), "--json")
    assert code == 0
    report = json.loads(out)
    lengths = token_lengths(
        tokenizer, [record["messages"], short["messages"], short["messages"]], record["tools"]
    )
    assert report["schema"] == "wl.inspect/1"
    assert (report["format"], report["samples"], report["max_seq_length"]) == ("chat", 3, 2048)
    assert report["tokens"] == {
        "p50": lengths[1],
        "p95": lengths[0],
        "max": lengths[0],
        "total": sum(lengths),
    }
    assert report["over_max_length"] == 0
    sample = report["sample"]
    assert sample["name"] == f"{path}:1" and sample["tokens"] == lengths[0]
    segments = sample["segments"]
    assert "".join(s["text"] for s in segments) == tokenizer.apply_chat_template(
        record["messages"], tools=record["tools"], tokenize=False
    )
    assert [s["text"] for s in segments if s["trainable"]] == [
        '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}\n</tool_call><|im_end|>\n',
        "It is sunny and 21 degrees in Paris.<|im_end|>\n",
        '<tool_call>\n{"name": "get_forecast", "arguments": {"city": "Oslo", "days": 2}}\n</tool_call><|im_end|>\n',
        "Oslo: 12 degrees tomorrow, then 9.<|im_end|>\n",
    ]
    assert [s["trainable"] for s in segments] == [False, True] * 4
    assert report["trainable_share"] == round(report["trainable_tokens"] / sum(lengths), 6)


def test_a_conversation_split_per_turn_counts_as_its_parts(
    tiny_models: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Mistral lists the tools before the last user message: tool_chat()'s two user turns are
    # trained as two samples, the second the whole conversation with only its answer trained.
    monkeypatch.setenv("NO_COLOR", "1")
    record = tool_chat()
    path = write_jsonl(tmp_path / "chat.jsonl", [record])
    tokenizer = loaded_tokenizer(tiny_models["mistral"])
    args = ("--model", str(tiny_models["mistral"]), str(path), "--sample", "2")
    code, out, _ = inspect(capsys, *args, "--json")
    report = json.loads(out)
    assert code == 0
    assert (report["records"], report["expanded"], report["samples"]) == (1, 1, 2)
    lengths = token_lengths(
        tokenizer, [record["messages"][:5], record["messages"]], record["tools"]
    )
    assert report["tokens"]["total"] == sum(lengths)
    sample = report["sample"]
    assert sample["name"] == f"{path}:1 (part 2 of 2)" and sample["tokens"] == lengths[1]
    assert "".join(s["text"] for s in sample["segments"]) == tokenizer.apply_chat_template(
        record["messages"], tools=record["tools"], tokenize=False
    )
    assert [s["text"] for s in sample["segments"] if s["trainable"]] == [
        '[TOOL_CALLS] [{"name": "get_forecast", "arguments": {"city": "Oslo", "days": 2}, '
        '"id": "call1"}]</s>',
        " Oslo: 12 degrees tomorrow, then 9.</s>",
    ]
    _, out, _ = inspect(capsys, *args)
    assert f"file       {path} (chat, 1 record, 1 split per turn into 2 samples)\n" in out


def test_colour_only_when_asked_for(
    tiny_models: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    path = write_jsonl(tmp_path / "alpaca.jsonl", ALPACA[:1])
    _, out, _ = inspect(capsys, "--model", str(tiny_models["llama"]), str(path))
    assert "⟦\033[32m68 F.<|eot_id|>\033[0m⟧" in out


def test_a_config_supplies_model_file_and_system_prompt(
    tiny_models: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    schema_file: Path,
) -> None:
    write_jsonl(tmp_path / "alpaca.jsonl", ALPACA)
    config = tmp_path / "wl.yaml"
    config.write_text(
        f"model: {{base: {tiny_models['qwen2']}}}\n"
        "data:\n  train: alpaca.jsonl\n  max_seq_length: 512\n"
        "  system_prompt: 'You are {persona}.'\n  system_vars: {persona: Mark Twain}\n"
    )
    code, out, _ = inspect(capsys, "--config", str(config), "--json")
    report = json.loads(out)
    assert code == 0 and report["model"] == str(tiny_models["qwen2"])
    assert report["file"] == str(tmp_path / "alpaca.jsonl") and report["max_seq_length"] == 512
    assert report["sample"]["segments"][0]["text"].startswith(
        "<|im_start|>system\nYou are Mark Twain.<|im_end|>"
    )


def test_a_hub_id_is_read_from_the_hugging_face_cache_offline(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    install_in_hf_cache(tiny_models["qwen2"], "wl-test/tiny-qwen2")
    path = write_jsonl(tmp_path / "alpaca.jsonl", ALPACA)
    result = run_cli(
        "inspect", "--model", "wl-test/tiny-qwen2", str(path), "--json", env={"HF_HUB_OFFLINE": "1"}
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["model"] == "wl-test/tiny-qwen2" and report["samples"] == 3
    assert "✅ SUCCESS: inspected 3 samples" in result.stderr


def test_problems_end_in_one_error_line(
    tiny_models: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_jsonl(tmp_path / "alpaca.jsonl", ALPACA)
    code, out, err = inspect(capsys, "--model", "wl-test/not-downloaded", str(path))
    assert (code, out) == (1, "")
    assert "❌ ERROR: cannot load the tokenizer of wl-test/not-downloaded" in err
    assert "→ fix: pass a local model folder" in err
    code, _, err = inspect(capsys, "--model", str(tiny_models["llama"]), str(path), "--sample", "9")
    assert code == 1 and "--sample 9 is out of range: " in err and "holds 3 samples" in err
    code, _, err = inspect(capsys, str(path))
    assert code == 1 and "no model to inspect with → fix: pass --model M (or --config FILE)" in err
