"""Status lines go to stderr and, as printed but without colour, to ``train.log`` — so
``wl-train logs`` and a user who reconnects read what a watcher of the terminal saw."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TextIO

ANSI = re.compile(r"\033\[[0-9;]*m")


class LogTee:
    """A text stream writing to a terminal stream and appending to a log file."""

    def __init__(self, stream: TextIO, log_file: Path) -> None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        self.stream = stream
        self._log = log_file.open("a", encoding="utf-8")

    def write(self, text: str) -> int:
        """Write to both; the terminal keeps its colours, the file does not."""
        # The terminal may be gone (closed pipe, tmux killed): the log still gets the line.
        with contextlib.suppress(BrokenPipeError, ValueError):
            self.stream.write(text)
        self._log.write(ANSI.sub("", text))
        return len(text)

    def flush(self) -> None:
        """Flush both."""
        with contextlib.suppress(BrokenPipeError, ValueError):
            self.stream.flush()
        self._log.flush()

    def isatty(self) -> bool:
        """Colour decisions follow the terminal."""
        return self.stream.isatty()

    def close(self) -> None:
        """Close the log file (the terminal stream is not ours)."""
        self._log.close()
