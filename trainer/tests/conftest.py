"""Shared fixtures: an offline Hugging Face environment, the tiny models (built once per session)
and a runner for the real ``python -m wl_trainer`` command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports transformers: tests never touch the network or the user's HF cache.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

from wl_trainer.config import SCHEMA_FILE
from wl_trainer.tiny_model import ARCHS, ensure_tiny_model

TRAINER_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = TRAINER_DIR.parent
FIXTURE_CONFIGS = REPO_DIR / "packages" / "core" / "test" / "fixtures" / "configs"


@pytest.fixture(scope="session", autouse=True)
def isolated_hf_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """An empty HF_HOME, so no test sees (or fills) the machine's real cache."""
    home = tmp_path_factory.mktemp("hf-home")
    saved = {name: os.environ.get(name) for name in ("HF_HOME", "HF_HUB_CACHE")}
    os.environ["HF_HOME"] = str(home)
    os.environ.pop("HF_HUB_CACHE", None)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One tiny model per architecture, seed 0, built once for the whole session."""
    root = tmp_path_factory.mktemp("tiny-models")
    return {arch: ensure_tiny_model(arch, root / arch, seed=0).path for arch in ARCHS}


@pytest.fixture(scope="session")
def train_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tokenized-data cache (WL_CACHE_DIR) for every training run: data is prepared once."""
    return tmp_path_factory.mktemp("wl-cache")


def install_in_hf_cache(model: Path, repo_id: str) -> None:
    """Put a model folder into $HF_HOME's hub cache as ``repo_id`` at a fixed commit, the way a
    download leaves it, so ``from_pretrained(repo_id)`` finds it offline."""
    repo = Path(os.environ["HF_HOME"]) / "hub" / ("models--" + repo_id.replace("/", "--"))
    commit = "0123456789abcdef0123456789abcdef01234567"
    shutil.copytree(model, repo / "snapshots" / commit, dirs_exist_ok=True)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_text(commit)


@pytest.fixture(scope="session")
def schema_file() -> Path:
    """The generated config schema; tests that need it skip until packages/core writes it."""
    if not SCHEMA_FILE.is_file():
        pytest.skip("wl_trainer/schema/config.schema.json not generated yet (pnpm gen)")
    return SCHEMA_FILE


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``python -m wl_trainer`` with ``args``; never raises on a non-zero exit."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env["PYTHONPATH"] = str(TRAINER_DIR)
    return subprocess.run(
        [sys.executable, "-m", "wl_trainer", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or TRAINER_DIR,
        timeout=120,
        check=False,
    )
