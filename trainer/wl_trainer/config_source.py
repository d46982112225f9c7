"""Reading a config file into plain data that still knows which line each key came from.

``.json`` files are read as strict JSON (no line numbers); anything else as YAML 1.2 (yaml12.py).
Both reject duplicate keys, as the TypeScript loader does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wl_trainer.errors import WlError
from wl_trainer.yaml12 import YamlDocument, parse_yaml


def read_config_text(path: Path, shown: str) -> str:
    """The file's text, or a WlError that says why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise WlError(
            "config.missing",
            f"config file not found: {shown}",
            "pass the path of a config file (shipped examples are in configs/)",
        ) from error
    except IsADirectoryError as error:
        raise WlError(
            "config.missing", f"{shown} is a directory", "pass the YAML file itself"
        ) from error
    except UnicodeDecodeError as error:
        raise WlError(
            "config.unreadable", f"{shown} is not UTF-8 text", "save it as UTF-8"
        ) from error
    except OSError as error:
        raise WlError(
            "config.unreadable", f"cannot read {shown}: {error.strerror}", "check its permissions"
        ) from error


def parse_config_text(text: str, shown: str) -> YamlDocument:
    """Parse YAML or, for a ``.json`` name, strict JSON; the top level must be a mapping."""
    document = (
        parse_json(text, shown) if shown.lower().endswith(".json") else parse_yaml(text, shown)
    )
    if not isinstance(document.data, dict):
        raise WlError(
            "config.not_mapping",
            f"{shown} is not a mapping of sections (model, data, lora, …)",
            "start from configs/cpu-smoke.yaml",
        )
    return document


def parse_json(text: str, shown: str) -> YamlDocument:
    """Strict JSON with duplicate keys rejected."""
    try:
        data = json.loads(text, object_pairs_hook=unique_pairs)
    except json.JSONDecodeError as error:
        raise WlError(
            "config.syntax",
            f"malformed JSON in {shown} at line {error.lineno}: {error.msg}",
            f"fix the syntax on line {error.lineno} of {shown}",
        ) from error
    return YamlDocument(data)


def unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict; a repeated key is an error, not a silent overwrite."""
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise WlError(
                "config.duplicate_key",
                f'duplicate key "{key}" in a JSON config',
                f'keep one "{key}" key: the JavaScript tools reject duplicates too',
            )
        mapping[key] = value
    return mapping
