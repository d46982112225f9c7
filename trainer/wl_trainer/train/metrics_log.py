"""``metrics.jsonl``: one JSON object per line, per logged step (``type: train``) and per
evaluation (``type: eval``); appended and flushed line by line, so a crash loses at most the
line being written — and a cut last line is skipped by readers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wl_trainer.status import utc_timestamp


class MetricsLog:
    """Appends metric lines to a file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._stream = path.open("a", encoding="utf-8")

    def write(self, kind: str, values: Mapping[str, Any]) -> None:
        """Append one line: ``{"type": kind, ...values, "time": now}``."""
        record = {"type": kind, **values, "time": utc_timestamp()}
        self._stream.write(json.dumps(record, separators=(",", ":")) + "\n")
        self._stream.flush()

    def close(self) -> None:
        """Close the file."""
        self._stream.close()


def read_metrics(path: Path) -> list[dict[str, Any]]:
    """Every complete line of a metrics file (a line cut by a crash is skipped)."""
    if not path.is_file():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records
