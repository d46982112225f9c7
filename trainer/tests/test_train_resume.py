"""Resuming, the hard way: kill -9 at random steps (once in the middle of a checkpoint write)
and the resumed run ends with exactly the adapter of a run never interrupted; incomplete
checkpoints are skipped; a run that keeps dying at one step is stopped (exit 2); a resume onto
changed data is refused."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
import torch

from tests.train_runs import (
    WEATHER,
    adapter_tensors,
    checkpoint_steps,
    kill_hard,
    report,
    run_train,
    start_train,
    steps_done,
    wait_for,
    write_config,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def uninterrupted(
    tiny_models: dict[str, Path], train_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The reference: 8 steps in one go."""
    folder = tmp_path_factory.mktemp("reference")
    config = write_config(folder, tiny_models["llama"])
    result = run_train(config, folder / "run", train_cache)
    assert result.returncode == 0, result.stderr
    return folder / "run"


def partial_checkpoint_exists(out: Path) -> bool:
    folder = out / "checkpoints"
    return folder.is_dir() and any(p.name.endswith(".partial") for p in folder.iterdir())


def test_killed_and_resumed_run_ends_with_the_uninterrupted_adapter(
    tiny_models: dict[str, Path], train_cache: Path, uninterrupted: Path, tmp_path: Path
) -> None:
    config = write_config(tmp_path, tiny_models["llama"])
    out = tmp_path / "run"
    chance = random.Random(7)

    # 1. Killed in the middle of writing a checkpoint.
    process = start_train(config, out, train_cache)
    wait_for(lambda: partial_checkpoint_exists(out), process, poll_s=0.001)
    kill_hard(process)
    # 2. Killed at random steps, each time after the run made progress past its checkpoint.
    for _ in range(2):
        before = max(checkpoint_steps(out), default=0)
        target = before + chance.randint(1, 2)
        process = start_train(config, out, train_cache)
        wait_for(
            lambda target=target, before=before: (
                steps_done(out) >= target and max(checkpoint_steps(out), default=0) > before
            ),
            process,
        )
        kill_hard(process)
    # 3. The last start runs to the end.
    result = run_train(config, out, train_cache)
    assert result.returncode == 0, result.stderr
    assert "⚠️ RESUME: Found checkpoint at step" in result.stderr

    resumed, reference = (
        adapter_tensors(out / "adapter"),
        adapter_tensors(uninterrupted / "adapter"),
    )
    assert resumed.keys() == reference.keys()
    for name, tensor in reference.items():
        assert torch.equal(resumed[name], tensor), name
    assert report(out)["resumes"] >= 2
    assert report(out)["steps"] == report(uninterrupted)["steps"] == 8


def test_incomplete_checkpoints_are_skipped_and_reported(
    tiny_models: dict[str, Path], train_cache: Path, uninterrupted: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    shutil.copytree(uninterrupted, out)
    shutil.rmtree(out / "adapter")
    (out / "report.json").unlink()
    for step in (2, 8):  # keep 4 and 6 complete
        shutil.rmtree(out / "checkpoints" / f"step-{step:06d}")
    # A checkpoint cut off before its last file, and one still under its temporary name.
    broken = out / "checkpoints" / "step-000008"
    shutil.copytree(out / "checkpoints" / "step-000006", broken)
    (broken / "state.json").unlink()
    shutil.copytree(
        out / "checkpoints" / "step-000006", out / "checkpoints" / ".step-000010.x.partial"
    )
    config = write_config(tmp_path, tiny_models["llama"])

    result = run_train(config, out, train_cache)

    assert result.returncode == 0, result.stderr
    assert "skipping incomplete checkpoint step-000008" in result.stderr
    assert "skipping incomplete checkpoint .step-000010.x.partial" in result.stderr
    assert "Found checkpoint at step 6. Resuming training." in result.stderr
    for name, tensor in adapter_tensors(uninterrupted / "adapter").items():
        assert torch.equal(adapter_tensors(out / "adapter")[name], tensor), name


def test_third_resume_from_one_step_is_a_crash_loop(
    tiny_models: dict[str, Path], train_cache: Path, tmp_path: Path
) -> None:
    config = write_config(tmp_path, tiny_models["llama"], training={"max_steps": 40})
    out = tmp_path / "run"
    process = start_train(config, out, train_cache)
    wait_for(lambda: checkpoint_steps(out) == [2], process)
    kill_hard(process)
    for count in (1, 2):  # dies again right after resuming, before any new checkpoint
        process = start_train(config, out, train_cache)
        wait_for(lambda count=count: resumes_counted(out) == count, process)
        kill_hard(process)
        assert resumes_counted(out) == count

    result = run_train(config, out, train_cache)

    assert result.returncode == 2
    assert (
        "❌ ERROR: Crash loop detected. Training resumed 3+ times from step 2. "
        "Manual intervention required." in result.stderr
    )
    assert json.loads((out / "status.json").read_text())["stage"] == "crash_loop"
    metadata = json.loads((out / "resume_metadata.json").read_text())
    assert metadata["last_step"] == 2 and metadata["resume_count"] == 3
    assert set(metadata) == {"last_checkpoint", "last_step", "resume_count", "last_resume_time"}


def resumes_counted(out: Path) -> int:
    try:
        return int(json.loads((out / "resume_metadata.json").read_text())["resume_count"])
    except (OSError, ValueError, KeyError):
        return 0


def test_resume_onto_changed_data_is_refused_until_told_what_to_do(
    tiny_models: dict[str, Path], train_cache: Path, tmp_path: Path
) -> None:
    data = tmp_path / "train.jsonl"
    shutil.copy(WEATHER / "sample-train.jsonl", data)
    config = write_config(
        tmp_path, tiny_models["llama"], data={"train": str(data)}, training={"max_steps": 2}
    )
    out = tmp_path / "run"
    assert run_train(config, out, train_cache).returncode == 0
    lines = data.read_text(encoding="utf-8").splitlines()
    data.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")  # one record fewer

    refused = run_train(config, out, train_cache)

    assert refused.returncode == 3
    assert "cannot resume from step-000002: the data changed" in refused.stderr
    assert "--resume never" in refused.stderr and "--warm-start" in refused.stderr

    fresh = run_train(config, out, train_cache, "--max-steps", "4", "--resume", "never")
    assert fresh.returncode == 0, fresh.stderr
    assert list(out.glob("previous-*/checkpoints/step-000002"))  # moved aside, not deleted
    assert report(out)["resumes"] == 0


def test_warm_start_takes_the_adapter_weights_and_a_misfit_is_one_clear_error(
    tiny_models: dict[str, Path], train_cache: Path, uninterrupted: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    shutil.copytree(uninterrupted, out)
    config = write_config(tmp_path, tiny_models["llama"], training={"max_steps": 2})

    warm = run_train(config, out, train_cache, "--warm-start")

    assert warm.returncode == 0, warm.stderr
    assert "warm start: adapter weights of step 8, fresh optimizer" in warm.stderr
    assert report(out)["steps"] == 2 and list(out.glob("previous-*/checkpoints/step-000008"))

    other = write_config(tmp_path / "r4", tiny_models["llama"], lora={"r": 4})
    misfit = run_train(other, out, train_cache, "--warm-start")
    assert misfit.returncode == 1
    assert "do not fit this model and LoRA settings" in misfit.stderr
    assert "Traceback" not in misfit.stderr
