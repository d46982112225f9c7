"""Status lines and wl.event/1 events on stderr, in the TypeScript tools' exact format."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timezone

import pytest

from wl_trainer.status import Reporter, format_status_line, utc_timestamp


class TtyStream(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("level", "fix", "line"),
    [
        ("success", None, "[WL-TRAINER] ✅ SUCCESS: done"),
        ("success", "ignored", "[WL-TRAINER] ✅ SUCCESS: done"),
        ("error", "do this", "[WL-TRAINER] ❌ ERROR: done → fix: do this"),
        ("warning", None, "[WL-TRAINER] ⚠️ WARNING: done"),
        ("warning", "maybe that", "[WL-TRAINER] ⚠️ WARNING: done → fix: maybe that"),
        ("info", None, "[WL-TRAINER] done"),
    ],
)
def test_text_lines(level: str, fix: str | None, line: str) -> None:
    assert format_status_line(level, "done", fix) == line  # type: ignore[arg-type]


def test_no_colour_off_a_terminal() -> None:
    stream = io.StringIO()
    Reporter("text", stream, env={}).error("bad", fix="good")
    assert stream.getvalue() == "[WL-TRAINER] ❌ ERROR: bad → fix: good\n"


def test_colour_on_a_terminal_unless_no_color() -> None:
    coloured, plain = TtyStream(), TtyStream()
    Reporter("text", coloured, env={}).success("ok")
    Reporter("text", plain, env={"NO_COLOR": "1"}).success("ok")
    assert coloured.getvalue() == "\033[32m[WL-TRAINER] ✅ SUCCESS: ok\033[0m\n"
    assert plain.getvalue() == "[WL-TRAINER] ✅ SUCCESS: ok\n"


def test_json_events_follow_the_schema() -> None:
    stream = io.StringIO()
    reporter = Reporter("json", stream, env={}, run_id="r-1")
    reporter.error("config broke", fix="fix it", event="config.invalid", data={"line": 3})
    reporter.info("hello")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert list(first) == [
        "schema",
        "ts",
        "tool",
        "level",
        "event",
        "message",
        "fix",
        "run_id",
        "data",
    ]
    assert first["schema"] == "wl.event/1"
    assert first["tool"] == "wl-trainer"
    assert (first["level"], first["event"], first["fix"], first["data"]) == (
        "error",
        "config.invalid",
        "fix it",
        {"line": 3},
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first["ts"])
    assert second == {**second, "level": "info", "event": "log", "message": "hello"}
    assert "fix" not in second and "data" not in second


def test_timestamp_matches_javascript_toisostring() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)
    assert utc_timestamp(moment) == "2026-01-02T03:04:05.678Z"


def test_status_lines_are_redacted() -> None:
    stream = io.StringIO()
    Reporter("json", stream, env={"RUNPOD_API_KEY": "supersecretvalue"}).warning(
        "key supersecretvalue leaked", fix="rotate supersecretvalue"
    )
    assert "supersecretvalue" not in stream.getvalue()
    assert json.loads(stream.getvalue())["message"] == "key *** leaked"
