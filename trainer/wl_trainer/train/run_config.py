"""The config a training run uses: the file, resolved, with the command line's overrides."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from wl_trainer.config import LoadedConfig, load_config
from wl_trainer.errors import WlError
from wl_trainer.exit_codes import ExitCode
from wl_trainer.train.options import TrainOptions


def run_config(options: TrainOptions) -> tuple[LoadedConfig, dict[str, Any]]:
    """The loaded config file and the resolved config with overrides applied."""
    loaded = load_config(options.config)
    config = copy.deepcopy(loaded.resolved)
    if options.data_dir is not None:
        relocate_data(config["data"], options.data_dir)
    if options.max_steps is not None:
        config["training"]["max_steps"] = options.max_steps
    if options.device is not None:
        config["training"]["device"] = options.device
    if options.resume is not None:
        config["checkpoints"]["resume"] = options.resume
    return loaded, config


def relocate_data(data: dict[str, Any], folder: Path) -> None:
    """Point data.train and data.val at the files of the same name in ``folder``."""
    if not folder.is_dir():
        raise WlError(
            "data.dir_missing",
            f"--data {folder} is not a folder",
            "pass the folder that holds the data files (wl-push uploads them to <run>/data)",
            ExitCode.PREFLIGHT_FAILED,
        )
    for split in ("train", "val"):
        if data.get(split):
            moved = folder / Path(data[split]).name
            if not moved.is_file():
                raise WlError(
                    "data.file_missing",
                    f"data.{split} file {moved.name} is not in {folder}",
                    f"copy {moved.name} into {folder}, or run without --data",
                    ExitCode.PREFLIGHT_FAILED,
                )
            data[split] = str(moved)
