"""In-process training runs with a fault injected: out-of-memory errors (no GPU here to run out
of) walk the adaptation ladder or end in a clear error, and early stopping ends a run whose
eval loss stops improving."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import torch

from tests.train_runs import WEATHER, write_config
from wl_trainer import cli
from wl_trainer.train import loop, steps

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def quiet_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")


def out_of_memory_above(rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The device 'runs out of memory' on micro-batches of more than ``rows`` rows."""
    real = steps.summed_loss

    def limited(model: Any, batch: Any) -> Any:
        if batch.input_ids.shape[0] > rows:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real(model, batch)

    monkeypatch.setattr(steps, "summed_loss", limited)


def train_in_process(
    tmp_path: Path, base: Path, capsys: Any, **training: Any
) -> tuple[int, str, str]:
    """Run ``train`` in this process on a small config: (exit code, stdout, stderr)."""
    config = write_config(tmp_path, base, training={"max_steps": 2, **training})
    code = cli.main(["train", "--config", str(config), "--out", str(tmp_path / "run")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_out_of_memory_halves_the_micro_batch_until_it_fits(
    tiny_models: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    out_of_memory_above(1, monkeypatch)

    code, out, err = train_in_process(
        tmp_path, tiny_models["llama"], capsys, micro_batch_size=4, gradient_accumulation_steps=1
    )

    assert code == 0, err
    report = json.loads(out)
    assert report["adaptations"] == [
        "micro_batch_size 4 → 2, gradient_accumulation_steps 1 → 2 (same effective batch)",
        "micro_batch_size 2 → 1, gradient_accumulation_steps 2 → 4 (same effective batch)",
    ]
    assert "out of memory: retrying with micro_batch_size 4 → 2" in err
    state = json.loads((tmp_path / "run/checkpoints/step-000002/state.json").read_text())
    assert state["memory"] == {
        "micro_batch_size": 1,
        "gradient_accumulation_steps": 4,
        "gradient_checkpointing": False,
    }


def test_out_of_memory_with_nothing_left_to_try_is_one_clear_error(
    tiny_models: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    out_of_memory_above(0, monkeypatch)

    code, out, err = train_in_process(
        tmp_path, tiny_models["llama"], capsys, micro_batch_size=2, gradient_accumulation_steps=1
    )

    assert code == 1
    assert "retrying with gradient checkpointing on" in err
    assert (
        "❌ ERROR: out of memory on cpu with micro_batch_size 1, gradient checkpointing on" in err
    )
    assert "Traceback" not in err
    assert json.loads(out)["status"] == "failed"


def test_early_stopping_ends_the_run_when_eval_loss_stops_improving(
    tiny_models: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    losses = itertools.count(start=10)
    monkeypatch.setattr(loop, "evaluate", lambda *_args: float(next(losses)) / 10)
    config = write_config(
        tmp_path,
        tiny_models["llama"],
        data={"val": str(WEATHER / "sample-val.jsonl")},
        training={"max_steps": 20, "eval_every": 1, "early_stopping_patience": 2},
        checkpoints={"save_every": 100},
    )

    code = cli.main(["train", "--config", str(config), "--out", str(tmp_path / "run")])

    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)
    assert report["steps"] == 3 and report["best_step"] == 1 and report["best_eval_loss"] == 1.0
    assert "stopped early at step 3: eval loss did not improve for 2 evaluations" in captured.err
    assert (tmp_path / "run/checkpoints/step-000003").is_dir()
    assert (tmp_path / "run/adapter/adapter_model.safetensors").is_file()
