"""Running the real ``python -m wl_trainer train`` on a tiny model, in the foreground or as a
process to signal and kill, and reading what it left in its run folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO_DIR, TRAINER_DIR

WEATHER = REPO_DIR / "data" / "weather"
WAIT_S = 180.0


def write_config(folder: Path, base: Path, **sections: dict[str, Any]) -> Path:
    """A small training config for the model ``base`` on the weather sample; ``sections`` override
    keys section by section (``training={"max_steps": 4}``)."""
    config: dict[str, Any] = {
        "model": {"base": str(base)},
        "data": {
            "train": str(WEATHER / "sample-train.jsonl"),
            "max_seq_length": 2048,
        },
        "training": {
            "max_steps": 8,
            "micro_batch_size": 1,
            "gradient_accumulation_steps": 2,
            "learning_rate": 0.005,
            "warmup_ratio": 0,
        },
        "checkpoints": {"save_every": 2, "keep_last": 10},
        "monitoring": {"log_every": 1},
    }
    for name, values in sections.items():
        config[name] = {**config.get(name, {}), **values}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def train_env(cache: Path) -> dict[str, str]:
    """The environment the trainer runs in: offline, no colour, a test-local data cache."""
    return {
        **os.environ,
        "PYTHONPATH": str(TRAINER_DIR),
        "NO_COLOR": "1",
        "WL_CACHE_DIR": str(cache),
        "OMP_NUM_THREADS": "1",
    }


def train_args(config: Path, out: Path, *extra: str) -> list[str]:
    """The command line of one training run."""
    return [
        sys.executable,
        "-m",
        "wl_trainer",
        "train",
        "--config",
        str(config),
        "--out",
        str(out),
        *extra,
    ]


def run_train(
    config: Path, out: Path, cache: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """Train in the foreground; never raises on a non-zero exit."""
    return subprocess.run(
        train_args(config, out, *extra),
        capture_output=True,
        text=True,
        env=train_env(cache),
        timeout=WAIT_S,
        check=False,
    )


def start_train(config: Path, out: Path, cache: Path, *extra: str) -> subprocess.Popen[str]:
    """Start training in the background (stdout and stderr collected)."""
    return subprocess.Popen(
        train_args(config, out, *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=train_env(cache),
    )


def wait_for(
    condition: Callable[[], bool], process: subprocess.Popen[str], poll_s: float = 0.05
) -> None:
    """Poll until ``condition`` holds; fails when the process ends first or time runs out."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if process.poll() is not None:
            _, err = process.communicate()
            raise AssertionError(
                f"trainer ended ({process.returncode}) before the condition:\n{err}"
            )
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("timed out waiting for the trainer")
        time.sleep(poll_s)


def kill_hard(process: subprocess.Popen[str]) -> None:
    """SIGKILL: no handler runs, nothing is flushed or finished."""
    process.send_signal(signal.SIGKILL)
    process.communicate()


def status(out: Path) -> dict[str, Any]:
    """status.json, read however often it changes."""
    for _ in range(50):
        try:
            value: dict[str, Any] = json.loads((out / "status.json").read_text(encoding="utf-8"))
            return value
        except (OSError, ValueError):
            time.sleep(0.02)
    return {}


def steps_done(out: Path) -> int:
    """The last step status.json reports."""
    return int(status(out).get("step") or 0)


def checkpoint_steps(out: Path) -> list[int]:
    """The steps of the complete checkpoints (``step-NNNNNN`` folders)."""
    folder = out / "checkpoints"
    if not folder.is_dir():
        return []
    return sorted(int(p.name.split("-")[1]) for p in folder.iterdir() if p.name.startswith("step-"))


def report(out: Path) -> dict[str, Any]:
    """report.json."""
    value: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return value


def adapter_tensors(folder: Path) -> dict[str, Any]:
    """The adapter's tensors by name."""
    from safetensors.torch import load_file

    return load_file(str(folder / "adapter_model.safetensors"))
