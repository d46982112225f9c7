"""Reading data files: chat, alpaca and ShareGPT records as chat, tool calls in one shape, and
every unusable record named by file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.chat_samples import call, tool_chat, write_jsonl
from wl_trainer.data.record_error import RecordError
from wl_trainer.data.records import read_records
from wl_trainer.errors import WlError


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_chat_records_keep_their_tools_and_get_one_tool_call_shape(tmp_path: Path) -> None:
    record = tool_chat()
    record["messages"][2]["tool_calls"].append(
        {"name": "get_forecast", "arguments": {"city": "Paris", "days": 1}}  # flat, no id
    )
    loaded = read_records(write_jsonl(tmp_path / "chat.jsonl", [record]))
    assert loaded.format == "chat"
    (chat,) = loaded.records
    assert chat.name == f"{tmp_path / 'chat.jsonl'}:1"
    assert chat.tools == record["tools"]
    assert chat.messages[2] == {
        "role": "assistant",
        "tool_calls": [
            {
                "id": "call0",
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "arguments": {"city": "Paris", "unit": "celsius"},
                },
            },
            {
                "type": "function",
                "function": {"name": "get_forecast", "arguments": {"city": "Paris", "days": 1}},
            },
        ],
    }  # "content": None is gone, as apply_chat_template would drop it
    assert chat.messages[3] == record["messages"][3]


def test_alpaca_becomes_a_user_and_an_assistant_turn(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "alpaca.jsonl",
        [
            {"instruction": "Convert 20 C to F.", "input": "", "output": "68 F."},
            {
                "instruction": "Summarize:",
                "input": "Rain, then sun.",
                "output": "Mixed.",
                "system": "Be terse.",
            },
        ],
    )
    loaded = read_records(path)
    assert loaded.format == "alpaca"
    assert [record.messages for record in loaded.records] == [
        [
            {"role": "user", "content": "Convert 20 C to F."},
            {"role": "assistant", "content": "68 F."},
        ],
        [
            {"role": "system", "content": "Be terse."},
            {"role": "user", "content": "Summarize:\n\nRain, then sun."},
            {"role": "assistant", "content": "Mixed."},
        ],
    ]
    assert loaded.records[0].tools is None


def test_sharegpt_turns_calls_and_observations_become_chat(tmp_path: Path) -> None:
    record = {
        "system": "You forecast.",
        "tools": json.dumps([{"type": "function", "function": {"name": "get_weather"}}]),
        "conversations": [
            {"from": "human", "value": "Oslo?"},
            {
                "from": "function_call",
                "value": '{"name": "get_weather", "arguments": {"city": "Oslo"}}',
            },
            {"from": "observation", "value": '{"temperature": 3}'},
            {"from": "gpt", "value": "3 degrees."},
        ],
    }
    loaded = read_records(write_jsonl(tmp_path / "sharegpt.jsonl", [record]))
    assert loaded.format == "sharegpt"
    (chat,) = loaded.records
    assert chat.tools == [{"type": "function", "function": {"name": "get_weather"}}]
    assert chat.messages == [
        {"role": "system", "content": "You forecast."},
        {"role": "user", "content": "Oslo?"},
        {
            "role": "assistant",
            "tool_calls": [
                {
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": {"city": "Oslo"}},
                }
            ],
        },
        {"role": "tool", "content": '{"temperature": 3}'},
        {"role": "assistant", "content": "3 degrees."},
    ]


def test_the_format_setting_overrides_detection(tmp_path: Path) -> None:
    # Detected as chat from the first record, this file would fail on line 2; read as alpaca, on 1.
    path = write_jsonl(tmp_path / "mixed.jsonl", [tool_chat(), {"instruction": "x", "output": "y"}])
    with pytest.raises(RecordError, match=r"mixed\.jsonl:2: \"messages\" must be"):
        read_records(path)
    with pytest.raises(RecordError, match=r"mixed\.jsonl:1: \"instruction\" must be"):
        read_records(path, "alpaca")


def test_bom_crlf_and_blank_lines_are_fine_and_lines_are_counted(tmp_path: Path) -> None:
    good = json.dumps({"instruction": "a", "output": "b"})
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + f"{good}\r\n\r\n   \r\n{good}\r\n".encode())
    loaded = read_records(path)
    assert [record.name.rsplit(":", 1)[1] for record in loaded.records] == ["1", "4"]


BAD_RECORDS: list[tuple[str, Any, str]] = [
    ("json", "{not json", "not valid JSON"),
    ("array", "[1, 2]", "a record must be a JSON object"),
    ("role", {"messages": [{"role": "bot", "content": "hi"}]}, 'role "bot" is not one of'),
    ("content", {"messages": [{"role": "user", "content": 5}]}, "content must be text"),
    ("empty", {"messages": []}, '"messages" must be a non-empty list'),
    (
        "arguments",
        {
            "messages": [
                {
                    "role": "assistant",
                    "tool_calls": [{"function": {"name": "f", "arguments": "{oops"}}],
                }
            ]
        },
        "messages[0].tool_calls[0]: arguments are not valid JSON",
    ),
    (
        "arguments-list",
        {
            "messages": [
                {
                    "role": "assistant",
                    "tool_calls": [{"function": {"name": "f", "arguments": "[1]"}}],
                }
            ]
        },
        "arguments must be a JSON object",
    ),
    (
        "name",
        {"messages": [{"role": "assistant", "tool_calls": [{"function": {"arguments": "{}"}}]}]},
        "the tool call has no function name",
    ),
    (
        "silent",
        {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": ""}]},
        "neither content nor tool calls",
    ),
    (
        "user-call",
        {"messages": [{"role": "user", "content": "x", "tool_calls": [call("c", "f", {})]}]},
        "a user message cannot make tool calls",
    ),
    (
        "tools",
        {"messages": [{"role": "user", "content": "x"}], "tools": {"a": 1}},
        '"tools" must be a list',
    ),
]


@pytest.mark.parametrize(
    ("kind", "bad", "message"), BAD_RECORDS, ids=[case[0] for case in BAD_RECORDS]
)
def test_an_unusable_record_is_named_by_file_and_line(
    tmp_path: Path, kind: str, bad: Any, message: str
) -> None:
    good = json.dumps(tool_chat())
    path = write_lines(
        tmp_path / "train.jsonl", [good, "", bad if isinstance(bad, str) else json.dumps(bad)]
    )
    with pytest.raises(RecordError) as caught:
        read_records(path, "chat")
    assert caught.value.message.startswith(f"{path}:3: ")
    assert message in caught.value.message
    assert "wl-data validate" in caught.value.fix


def test_invalid_utf8_is_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(tool_chat()).encode() + b'\n{"instruction": "caf\xe9"}\n')
    with pytest.raises(RecordError, match=r"latin1\.jsonl:2: the line is not valid UTF-8"):
        read_records(path)


def test_a_file_of_unknown_shape_empty_or_missing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match=r"odd\.jsonl:1: cannot tell the format") as caught:
        read_records(write_jsonl(tmp_path / "odd.jsonl", [{"prompt": "a", "completion": "b"}]))
    assert "data.format" in caught.value.fix
    with pytest.raises(WlError, match="holds no records"):
        read_records(write_lines(tmp_path / "blank.jsonl", ["", "  "]))
    with pytest.raises(WlError, match="data file not found"):
        read_records(tmp_path / "absent.jsonl")


def test_sharegpt_unknown_speaker_and_bad_call_are_named(tmp_path: Path) -> None:
    speaker = {"conversations": [{"from": "narrator", "value": "Once"}]}
    path = write_jsonl(tmp_path / "s.jsonl", [speaker])
    with pytest.raises(RecordError, match=r's\.jsonl:1: conversations\[0\]: "from" is "narrator"'):
        read_records(path)
    bad_call = {
        "conversations": [{"from": "human", "value": "?"}, {"from": "function_call", "value": "{"}]
    }
    with pytest.raises(RecordError, match="the function_call value is not JSON"):
        read_records(write_jsonl(tmp_path / "c.jsonl", [bad_call]))
