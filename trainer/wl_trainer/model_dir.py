"""What a local model folder holds: a full Hugging Face model, a PEFT adapter, or something
incomplete — and if incomplete, exactly which files are missing.

A full model has config.json, tokenizer files and weights (one file, or shards listed by an index
that are all present). An adapter has adapter_config.json and adapter weights; its
``base_model_name_or_path`` names the model it adapts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

TOKENIZER_FILE_SETS = (
    ("tokenizer.json",),
    ("tokenizer.model",),
    ("vocab.json", "merges.txt"),
    ("tekken.json",),
)
SINGLE_WEIGHTS = ("model.safetensors", "pytorch_model.bin")
SHARD_INDEXES = ("model.safetensors.index.json", "pytorch_model.bin.index.json")
ADAPTER_WEIGHTS = ("adapter_model.safetensors", "adapter_model.bin")


@dataclass(frozen=True)
class ModelDir:
    """The verdict on one folder."""

    kind: Literal["model", "adapter", "incomplete"]
    missing: list[str] = field(default_factory=list)
    base_model: str | None = None
    weights: list[str] = field(default_factory=list)


def inspect_model_dir(path: Path) -> ModelDir:
    """Classify ``path``; ``missing`` names what keeps it from being a model or an adapter."""
    if (path / "adapter_config.json").is_file():
        return inspect_adapter(path)
    if not (path / "config.json").is_file():
        return ModelDir(
            "incomplete",
            ["config.json (a full model) or adapter_config.json (a PEFT adapter)"],
        )
    missing: list[str] = []
    if not any(all((path / name).is_file() for name in names) for names in TOKENIZER_FILE_SETS):
        missing.append(
            "tokenizer files (tokenizer.json, tokenizer.model or vocab.json + merges.txt)"
        )
    weights, missing_weights = find_weights(path)
    missing += missing_weights
    return ModelDir("incomplete" if missing else "model", missing, weights=weights)


def find_weights(path: Path) -> tuple[list[str], list[str]]:
    """(weight files found, what is missing): a single file, or an index with all its shards."""
    for index_name in SHARD_INDEXES:
        index = path / index_name
        if index.is_file():
            shards = sorted(set(read_weight_map(index).values()))
            absent = [shard for shard in shards if not (path / shard).is_file()]
            if not shards:
                return [], [f"shards: {index_name} lists no weight files"]
            if absent:
                return shards, [f"shard {name} (listed in {index_name})" for name in absent]
            return shards, []
    present = [name for name in SINGLE_WEIGHTS if (path / name).is_file()]
    if present:
        return present, []
    return [], ["weights (model.safetensors, pytorch_model.bin or a sharded index)"]


def read_weight_map(index: Path) -> dict[str, str]:
    """The ``weight_map`` of a shard index; empty when the index is unreadable."""
    try:
        weight_map = json.loads(index.read_text(encoding="utf-8")).get("weight_map", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in weight_map.items()} if isinstance(weight_map, dict) else {}


def inspect_adapter(path: Path) -> ModelDir:
    """An adapter folder: adapter_config.json plus adapter weights."""
    try:
        adapter_config = json.loads((path / "adapter_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ModelDir("incomplete", ["a readable adapter_config.json (it is not valid JSON)"])
    base = (
        adapter_config.get("base_model_name_or_path") if isinstance(adapter_config, dict) else None
    )
    weights = [name for name in ADAPTER_WEIGHTS if (path / name).is_file()]
    missing = (
        [] if weights else ["adapter weights (adapter_model.safetensors or adapter_model.bin)"]
    )
    return ModelDir(
        "incomplete" if missing else "adapter",
        missing,
        base_model=str(base) if base else None,
        weights=weights,
    )
