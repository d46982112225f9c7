"""Finding a model's shape from what is on this machine: a local folder's config.json (following
an adapter to its base model), a hub model's cached config.json, or the table of known shapes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from wl_trainer.hf_cache import cached_snapshot
from wl_trainer.model_dir import inspect_model_dir
from wl_trainer.model_shapes import ModelShape, ShapeUnknownError, known_shape, shape_from_file

ShapeSource = Literal["config.json", "table"]
# An adapter names its base; a base that is itself an adapter is followed once more at most.
MAX_ADAPTER_HOPS = 2


def local_config_json(
    base: str, revision: str | None, env: Mapping[str, str] | None
) -> Path | None:
    """The config.json that describes ``base`` (a local folder or a cached hub id), if any."""
    for _ in range(MAX_ADAPTER_HOPS + 1):
        path = Path(base).expanduser()
        if path.is_dir():
            folder = inspect_model_dir(path)
            if folder.kind == "adapter" and folder.base_model:
                base, revision = folder.base_model, None
                continue
            return path / "config.json" if (path / "config.json").is_file() else None
        if path.is_absolute():
            return None
        snapshot = cached_snapshot(base, revision, env)
        return snapshot / "config.json" if snapshot else None
    return None


def find_model_shape(
    base: str, revision: str | None = None, env: Mapping[str, str] | None = None
) -> tuple[ModelShape, ShapeSource]:
    """The model's shape and where it came from; ShapeUnknownError says why there is none."""
    config_json = local_config_json(base, revision, env)
    if config_json is not None:
        return shape_from_file(config_json), "config.json"
    shape = known_shape(base)
    if shape is not None:
        return shape, "table"
    raise ShapeUnknownError(
        f"no config.json for {base} on this machine (not a local model folder, not in the "
        "Hugging Face cache) and it is not one of the well-known models the estimate knows"
    )
