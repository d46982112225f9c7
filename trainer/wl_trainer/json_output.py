"""stdout carries data only: one whole JSON document, redacted, written in a single call."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from wl_trainer.redaction import redact, secrets_from_env


def redact_data(value: Any, secrets: list[str]) -> Any:
    """A copy of a JSON-like value with every string (and key) redacted."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {redact(str(k), secrets): redact_data(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_data(item, secrets) for item in value]
    return value


def write_json(value: Any, stream: TextIO | None = None) -> None:
    """Serialize the whole value first so a failure never leaves half a document on stdout."""
    # One compact line, like the TypeScript tools, so outputs also work as NDJSON.
    text = json.dumps(
        redact_data(value, secrets_from_env()), ensure_ascii=False, separators=(",", ":")
    )
    out = stream if stream is not None else sys.stdout
    out.write(text + "\n")
    out.flush()
