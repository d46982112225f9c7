"""What a checkpoint was trained on — config, data and tokenizer — so a resume onto something
else is refused instead of quietly mixing two trainings.

The config fingerprint covers what shapes the training trajectory (model, LoRA, loop and data
settings, with data files represented by their contents, not their paths); checkpoints,
monitoring, budget, compute, export and output settings may change between resumes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from wl_trainer.data.cache import file_sha256, text_sha256, tokenizer_sha256

TRAJECTORY_SECTIONS = ("model", "lora", "training", "data")
FREE_KEYS = {
    "training": ("device", "gradient_checkpointing"),  # neither changes the numbers
    "data": ("train", "val"),  # the files' contents are fingerprinted separately
}


@dataclass(frozen=True)
class Fingerprints:
    """sha256s of the config's trajectory, the data files and the tokenizer."""

    config: str
    data: str
    tokenizer: str

    def to_json(self) -> dict[str, str]:
        """As stored in run_info.json and every checkpoint's state."""
        return asdict(self)

    def changed(self, stored: Mapping[str, Any]) -> list[str]:
        """The names of the fingerprints that differ from ``stored`` (config, data, tokenizer)."""
        return [name for name, value in self.to_json().items() if stored.get(name) != value]


def fingerprints(config: Mapping[str, Any], data_files: list[Path], tokenizer: Any) -> Fingerprints:
    """The fingerprints of a resolved config, its data files and the tokenizer."""
    return Fingerprints(
        config=text_sha256(canonical(trajectory(config))),
        data=text_sha256(canonical([file_sha256(path) for path in data_files])),
        tokenizer=text_sha256(
            canonical([tokenizer_sha256(tokenizer), tokenizer.chat_template or ""])
        ),
    )


def trajectory(config: Mapping[str, Any]) -> dict[str, Any]:
    """The config sections that decide what training computes."""
    kept: dict[str, Any] = {}
    for section in TRAJECTORY_SECTIONS:
        values = dict(config.get(section) or {})
        for key in FREE_KEYS.get(section, ()):
            values.pop(key, None)
        kept[section] = values
    return kept


def canonical(value: Any) -> str:
    """Sorted, compact JSON: equal values give equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
