"""Reading a JSONL data file into chat records, whatever format it is in.

Each line holds one record: OpenAI chat (``messages``, optional ``tools``), alpaca
(``instruction``/``input``/``output``) or ShareGPT (``conversations``). The format is detected per
file from its first record unless ``data.format`` names it. A UTF-8 BOM, CRLF line ends and blank
lines are fine; anything the pipeline cannot use is a RecordError naming the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from wl_trainer.data.formats import alpaca_to_chat, sharegpt_to_chat, sharegpt_tools
from wl_trainer.data.messages import Message, chat_messages, tool_definitions
from wl_trainer.data.record_error import RecordError
from wl_trainer.data.settings import DataFormat
from wl_trainer.errors import WlError

RecordFormat = Literal["chat", "alpaca", "sharegpt"]
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class ChatRecord:
    """One conversation, ready for the chat template."""

    name: str
    """Where it came from, ``FILE:LINE``: how messages name the sample."""
    messages: list[Message]
    tools: list[dict[str, Any]] | None


@dataclass(frozen=True)
class RecordFile:
    """A data file's records and the format they were read as."""

    path: Path
    format: RecordFormat
    records: list[ChatRecord]


def read_records(path: Path, data_format: DataFormat = "auto") -> RecordFile:
    """Every record of ``path`` as chat; the format is detected from the first record on auto."""
    records: list[ChatRecord] = []
    chosen: RecordFormat | None = None if data_format == "auto" else data_format
    for line, value in jsonl_objects(path):
        where = f"{path}:{line}"
        if chosen is None:
            chosen = detect_format(value, where)
        records.append(to_chat_record(value, chosen, where))
    if chosen is None:
        raise WlError(
            "data.empty", f"{path} holds no records", "point data.train / data.val at a JSONL file"
        )
    return RecordFile(path, chosen, records)


def jsonl_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line."""
    for number, raw in enumerate(read_bytes(path).removeprefix(BOM).splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            value = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise RecordError(where, "the line is not valid UTF-8") from error
        except json.JSONDecodeError as error:
            raise RecordError(where, f"not valid JSON: {error.msg}") from error
        if not isinstance(value, dict):
            raise RecordError(where, "a record must be a JSON object")
        yield number, value


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a WlError that says why they cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise WlError(
            "data.missing", f"data file not found: {path}", "check data.train / data.val"
        ) from error
    except OSError as error:
        raise WlError(
            "data.unreadable", f"cannot read {path}: {error.strerror}", "check the file"
        ) from error


def detect_format(record: dict[str, Any], where: str) -> RecordFormat:
    """chat, ShareGPT or alpaca, by the keys of a file's first record."""
    if "messages" in record:
        return "chat"
    if "conversations" in record:
        return "sharegpt"
    if "instruction" in record or "output" in record:
        return "alpaca"
    raise RecordError(
        where,
        'cannot tell the format: expected "messages" (chat), "conversations" (ShareGPT) or '
        '"instruction" and "output" (alpaca)',
        "set data.format, or convert the file with `wl-data convert`",
    )


def to_chat_record(record: dict[str, Any], data_format: RecordFormat, where: str) -> ChatRecord:
    """One record of the file's format as a ChatRecord."""
    if data_format == "alpaca":
        return ChatRecord(where, alpaca_to_chat(record, where), None)
    if data_format == "sharegpt":
        return ChatRecord(where, sharegpt_to_chat(record, where), sharegpt_tools(record, where))
    return ChatRecord(
        where,
        chat_messages(record.get("messages"), where),
        tool_definitions(record.get("tools"), where),
    )
