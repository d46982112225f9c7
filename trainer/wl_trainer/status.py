"""Status for people on stderr, or one wl.event/1 JSON object per line for programs.

Text lines read exactly like the TypeScript tools' (packages/core/src/status.ts)::

    [WL-TRAINER] ✅ SUCCESS: config is valid
    [WL-TRAINER] ❌ ERROR: config file not found: wl.yaml → fix: pass the path of a config file
    [WL-TRAINER] ⚠️ WARNING: training on MPS is slow → fix: use a CUDA host for long runs
    [WL-TRAINER] building a tiny llama model

stdout is never touched here: it carries data only.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, Literal, TextIO

from wl_trainer import TOOL
from wl_trainer.redaction import redact, secrets_from_env

EVENT_SCHEMA = "wl.event/1"

Level = Literal["info", "success", "warning", "error"]
LogFormat = Literal["text", "json"]

LABEL: dict[Level, str] = {
    "info": "",
    "success": "✅ SUCCESS: ",
    "warning": "⚠️ WARNING: ",
    "error": "❌ ERROR: ",
}
COLOUR: dict[Level, str] = {
    "info": "",
    "success": "\033[32m",
    "warning": "\033[33m",
    "error": "\033[31m",
}
RESET = "\033[0m"


def use_colour(stream: TextIO, env: Mapping[str, str]) -> bool:
    """Colour only on a TTY; NO_COLOR (any value) turns it off, FORCE_COLOR turns it on."""
    if env.get("NO_COLOR", "") != "":
        return False
    if env.get("FORCE_COLOR", "0") != "0":
        return True
    return stream.isatty()


def format_status_line(
    level: Level, message: str, fix: str | None = None, tool: str = TOOL, label: str | None = None
) -> str:
    """One human status line, e.g. ``[WL-TRAINER] ❌ ERROR: no config → fix: pass --config``."""
    tail = f" → fix: {fix}" if fix and level != "success" else ""
    return f"[{tool.upper()}] {LABEL[level] if label is None else label}{message}{tail}"


def utc_timestamp(now: datetime | None = None) -> str:
    """ISO-8601 UTC with milliseconds and a Z, like JavaScript's ``Date.toISOString()``."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def make_event(
    level: Level,
    message: str,
    *,
    event: str | None = None,
    fix: str | None = None,
    run_id: str | None = None,
    data: Mapping[str, Any] | None = None,
    tool: str = TOOL,
) -> dict[str, Any]:
    """One wl.event/1 object; optional fields are left out rather than set to null."""
    record: dict[str, Any] = {
        "schema": EVENT_SCHEMA,
        "ts": utc_timestamp(),
        "tool": tool,
        "level": level,
        "event": event or ("error" if level == "error" else "log"),
        "message": message,
    }
    if fix is not None:
        record["fix"] = fix
    if run_id is not None:
        record["run_id"] = run_id
    if data is not None:
        record["data"] = dict(data)
    return record


class Reporter:
    """Where the trainer tells people (or programs) what is happening."""

    def __init__(
        self,
        log_format: LogFormat = "text",
        stream: TextIO | None = None,
        env: Mapping[str, str] | None = None,
        run_id: str | None = None,
    ) -> None:
        self.log_format = log_format
        self.stream = stream if stream is not None else sys.stderr
        self.run_id = run_id
        env = os.environ if env is None else env
        self._colour = log_format == "text" and use_colour(self.stream, env)
        # Read once, from the same environment the colour choice came from (as status.ts does).
        self._secrets = secrets_from_env(env)

    def info(self, message: str, **extra: Any) -> None:
        """A plain progress line."""
        self.emit("info", message, **extra)

    def success(self, message: str, **extra: Any) -> None:
        """A step finished well."""
        self.emit("success", message, **extra)

    def warning(self, message: str, **extra: Any) -> None:
        """Something works but deserves attention; ``fix`` says what to do about it."""
        self.emit("warning", message, **extra)

    def error(self, message: str, **extra: Any) -> None:
        """Something failed; ``fix`` says what to do next."""
        self.emit("error", message, **extra)

    def emit(
        self,
        level: Level,
        message: str,
        event: str | None = None,
        fix: str | None = None,
        data: Mapping[str, Any] | None = None,
        *,
        label: str | None = None,
    ) -> None:
        """Write one redacted line in the chosen format; ``label`` replaces the level's label
        in text lines (``⚠️ RESUME: `` where users asked for exactly that wording)."""
        if self.log_format == "json":
            record = make_event(level, message, event=event, fix=fix, run_id=self.run_id, data=data)
            # Compact like JavaScript's JSON.stringify, so both sides' event lines look alike.
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)
        else:
            line = self._paint(level, format_status_line(level, message, fix, label=label))
        self.stream.write(redact(line, self._secrets) + "\n")
        self.stream.flush()

    def _paint(self, level: Level, line: str) -> str:
        if self._colour and COLOUR[level]:
            return f"{COLOUR[level]}{line}{RESET}"
        return line
