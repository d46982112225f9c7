"""The config's ``data`` section as the pipeline reads it: validated against the config schema's
``data`` part and completed with its defaults, so a plain script may pass just
``{"data": {"train": "train.jsonl"}}`` and get exactly what a full config would get.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jsonschema import Draft202012Validator

from wl_trainer.config import ConfigError, config_schema
from wl_trainer.config_problems import describe_errors
from wl_trainer.errors import WlError
from wl_trainer.schema_resolve import resolve_with_schema

DataFormat = Literal["auto", "chat", "alpaca", "sharegpt"]
Overlong = Literal["drop", "truncate"]
Split = Literal["train", "val"]


@dataclass(frozen=True)
class DataSettings:
    """What the data section says, defaults filled in."""

    train: str
    """JSONL file of training records."""
    val: str | None
    """JSONL file of validation records, if any."""
    format: DataFormat
    """``auto`` detects each file's format from its first record."""
    max_seq_length: int
    """Tokens per row; longer samples are dropped or truncated (``overlong``)."""
    packing: bool
    """Several samples per row (True) or one padded sample per row (False)."""
    overlong: Overlong
    system_prompt: str | None
    """Inserted as the system message of records that have none; ``{name}`` placeholders."""
    system_vars: dict[str, str]


def data_settings(config: Mapping[str, Any]) -> DataSettings:
    """The data settings of a wl config (resolved or not); ConfigError names any bad key."""
    schema = config_schema()
    section_schema = {"$defs": schema.get("$defs", {}), **schema["properties"]["data"]}
    wrapper = {"type": "object", "properties": {"data": section_schema}, "required": ["data"]}
    problems = describe_errors(Draft202012Validator(wrapper).iter_errors(dict(config)), no_line)
    if problems:
        raise ConfigError("config", problems)
    data = resolve_with_schema(config["data"], section_schema)
    return DataSettings(
        train=data["train"],
        val=data.get("val"),
        format=data["format"],
        max_seq_length=data["max_seq_length"],
        packing=data["packing"],
        overlong=data["overlong"],
        system_prompt=data.get("system_prompt"),
        system_vars=dict(data["system_vars"]),
    )


def no_line(_path: Any) -> None:
    """Settings given as a dict have no file lines to point at."""


def split_files(settings: DataSettings, split: Split) -> list[Path]:
    """The JSONL files of a split (one per split today; a list so callers need not care)."""
    if split == "train":
        return [Path(settings.train)]
    if split == "val":
        if settings.val is None:
            raise WlError(
                "data.no_val",
                "the config has no validation file (data.val)",
                "set data.val, or make one with `wl-data split`",
            )
        return [Path(settings.val)]
    raise WlError("data.split", f"unknown split {split!r}", "use train or val")
