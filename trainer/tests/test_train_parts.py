"""The training engine's parts on their own: retention, the crash-loop guard, the budget, the
row schedule, the OOM adaptation ladder, progress formatting, the disk guard, webhooks,
fingerprints, checkpoints and the loss."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
import torch

from tests.train_runs import WEATHER
from wl_trainer.data.prepare import prepare_dataset
from wl_trainer.data.tokenizer import load_tokenizer
from wl_trainer.status import Reporter
from wl_trainer.train import disk_guard
from wl_trainer.train.batches import make_batch
from wl_trainer.train.budget import Budget
from wl_trainer.train.checkpoint import list_checkpoints
from wl_trainer.train.fingerprint import Fingerprints, trajectory
from wl_trainer.train.loss import summed_loss
from wl_trainer.train.oom import MemorySettings, next_adaptation
from wl_trainer.train.progress import Pace, duration, progress_line, should_log
from wl_trainer.train.resume_guard import record_progress, record_resume
from wl_trainer.train.retention import Kept, to_delete
from wl_trainer.train.schedule import RowSchedule, micro_batches
from wl_trainer.train.webhook import Webhook

# Retention -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("checkpoints", "keep_last", "keep_best", "deleted"),
    [
        # No evaluations: only the last N stay.
        ([(2, None), (4, None), (6, None)], 2, 1, [2]),
        # The best (step 2) survives although it is the oldest.
        ([(2, 0.5), (4, 0.9), (6, 0.8), (8, 0.7)], 1, 1, [4, 6]),
        # The best plus the last two; a tie for best goes to the newer checkpoint.
        ([(2, 0.5), (4, 0.5), (6, 0.9), (8, 0.8), (10, 1.0)], 2, 1, [2, 6]),
        # The two best plus the last two.
        ([(2, 0.5), (4, 0.5), (6, 0.9), (8, 0.8), (10, 1.0)], 2, 2, [6]),
        # keep_best 0: the last N only, even when the best goes.
        ([(2, 0.1), (4, 0.9), (6, 0.8)], 1, 0, [2, 4]),
        # keep_last never below 1: the newest checkpoint is where a resume starts.
        ([(2, 0.1), (4, 0.9)], 0, 1, []),
    ],
)
def test_retention_keeps_the_best_and_the_last(
    checkpoints: list[tuple[int, float | None]], keep_last: int, keep_best: int, deleted: list[int]
) -> None:
    kept = [Kept(step, loss) for step, loss in checkpoints]
    assert to_delete(kept, keep_last, keep_best) == deleted


# Crash-loop guard ----------------------------------------------------------------------------


def test_resumes_from_one_step_count_up_to_a_crash_loop_and_progress_resets_them(
    tmp_path: Path,
) -> None:
    metadata = tmp_path / "resume_metadata.json"
    checkpoint = tmp_path / "checkpoints" / "step-000040"
    verdicts = [record_resume(metadata, checkpoint, 40) for _ in range(3)]
    assert [v.count for v in verdicts] == [1, 2, 3]
    assert [v.crash_loop for v in verdicts] == [False, False, True]
    assert verdicts[0].resume_message == "Found checkpoint at step 40. Resuming training."
    assert verdicts[2].crash_loop_message == (
        "Crash loop detected. Training resumed 3+ times from step 40. Manual intervention required."
    )
    record_progress(metadata, tmp_path / "checkpoints" / "step-000060", 60)
    assert json.loads(metadata.read_text())["resume_count"] == 0
    assert record_resume(metadata, checkpoint, 60).count == 1


def test_progress_without_an_earlier_resume_writes_nothing(tmp_path: Path) -> None:
    record_progress(tmp_path / "resume_metadata.json", tmp_path / "step-000002", 2)
    assert not (tmp_path / "resume_metadata.json").exists()


# Budget --------------------------------------------------------------------------------------


def test_budget_warns_at_90_percent_and_stops_at_100() -> None:
    budget = Budget(max_usd=10.0, max_hours=None, cost_per_hour=2.0)  # 5 hours of money
    assert budget.verdict(4.4 * 3600) == "ok"
    assert budget.verdict(4.6 * 3600) == "warn"
    assert budget.verdict(5.0 * 3600) == "stop"
    assert budget.describe(4.5 * 3600) == "$9.00 of $10.00"
    hours = Budget(max_usd=None, max_hours=2.0, cost_per_hour=None)
    assert hours.verdict(1.7 * 3600) == "ok" and hours.verdict(2 * 3600) == "stop"
    assert hours.cost(3600) is None
    # A money cap without a rate cannot be measured: it never stops the run.
    assert Budget(max_usd=1.0, max_hours=None, cost_per_hour=None).verdict(1e9) == "ok"


# Row schedule --------------------------------------------------------------------------------


def test_schedule_visits_every_row_once_an_epoch_and_repeats_exactly() -> None:
    schedule = RowSchedule(rows=10, rows_per_step=4, epochs=2, seed=3)
    assert schedule.total_steps == 5
    stream = [row for step in range(5) for row in schedule.step_rows(step)]
    assert sorted(stream[:10]) == list(range(10)) and sorted(stream[10:]) == list(range(10))
    assert stream[:10] != stream[10:]  # a new order each epoch
    again = RowSchedule(rows=10, rows_per_step=4, epochs=2, seed=3)
    assert [again.step_rows(s) for s in range(5)] == [schedule.step_rows(s) for s in range(5)]
    assert RowSchedule(rows=10, rows_per_step=4, epochs=2, seed=3, max_steps=3).total_steps == 3
    assert micro_batches([5, 6, 7, 8, 9], 2) == [[5, 6], [7, 8], [9]]


# OOM ladder ----------------------------------------------------------------------------------


def test_oom_ladder_halves_the_micro_batch_then_checkpoints_then_gives_up() -> None:
    settings = MemorySettings(4, 2, gradient_checkpointing=False)
    seen = []
    while (step := next_adaptation(settings)) is not None:
        settings, description = step
        seen.append(description)
        assert settings.micro_batch_size * settings.gradient_accumulation_steps in (8,)
    assert seen == [
        "micro_batch_size 4 → 2, gradient_accumulation_steps 2 → 4 (same effective batch)",
        "micro_batch_size 2 → 1, gradient_accumulation_steps 4 → 8 (same effective batch)",
        "gradient checkpointing on",
    ]
    # An odd micro-batch cannot halve without changing the effective batch.
    odd = next_adaptation(MemorySettings(3, 1, gradient_checkpointing=False))
    assert odd is not None and odd[1] == "gradient checkpointing on"


# Progress ------------------------------------------------------------------------------------


def test_progress_line_duration_and_logging_schedule() -> None:
    assert [duration(s) for s in (None, 9.4, 2530, 3720)] == ["?", "9s", "42m10s", "1h02m"]
    assert [s for s in range(1, 31) if should_log(s, 10, 25)] == [1, 2, 3, 4, 5, 10, 20, 25, 30]
    line = progress_line(
        {
            "step": 120,
            "total_steps": 900,
            "loss": 1.23456,
            "lr": 0.000198,
            "tokens_per_s": 5120.4,
            "eta_s": 2530,
            "memory_gb": 21.34,
            "cost_usd": 1.5,
        }
    )
    assert line == (
        "step 120/900 · loss 1.2346 · lr 1.98e-04 · 5,120 tok/s · ETA 42m10s · 21.3 GB · $1.50"
    )
    pace = Pace()
    pace.add(10.0, 100)  # the slow first step does not count for the ETA
    assert pace.eta_s(5) is None
    pace.add(1.0, 100)
    pace.add(1.0, 100)
    assert pace.eta_s(5) == 5.0


# Disk guard ----------------------------------------------------------------------------------


def test_disk_guard_warns_then_stops_while_a_checkpoint_still_fits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkpoint = 100_000_000

    def free(gb: float) -> None:
        usage = disk_guard.shutil.disk_usage(tmp_path)._replace(free=int(gb * 1e9))
        monkeypatch.setattr(disk_guard.shutil, "disk_usage", lambda _path: usage)

    free(50)
    assert disk_guard.disk_verdict(tmp_path, checkpoint)[0] == "ok"
    free(1.25)
    assert disk_guard.disk_verdict(tmp_path, checkpoint)[0] == "warn"
    free(1.05)
    assert disk_guard.disk_verdict(tmp_path, checkpoint) == ("stop", 1_050_000_000)


# Webhook -------------------------------------------------------------------------------------


class Receiver(BaseHTTPRequestHandler):
    """Answers with the status code the test sets and keeps the bodies."""

    bodies: ClassVar[list[dict[str, Any]]] = []
    status: ClassVar[int] = 204

    def do_POST(self) -> None:
        Receiver.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(Receiver.status)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.bodies, Receiver.status = [], 204
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/notify?token=s3cret-token"
    server.shutdown()


def test_webhook_posts_json_and_a_failing_one_only_warns(receiver: str) -> None:
    import io

    stream = io.StringIO()
    webhook = Webhook(receiver, "run-1", Reporter("text", stream, env={}))
    assert webhook.notify("resume", {"step": 4})
    assert Receiver.bodies[0]["event"] == "resume" and Receiver.bodies[0]["step"] == 4
    assert Receiver.bodies[0]["run"] == "run-1"
    Receiver.status = 500
    assert not webhook.notify("completed", {})
    assert (
        "the completed notification to monitoring.webhook_url failed: HTTP 500" in stream.getvalue()
    )
    assert "s3cret-token" not in stream.getvalue()  # the URL is never printed
    unreachable = Webhook("http://127.0.0.1:9/", "run-1", Reporter("text", stream, env={}))
    assert not unreachable.notify("completed", {})
    assert Webhook(None, "run-1", Reporter("text", stream, env={})).notify("completed", {})


# Fingerprints and checkpoints ----------------------------------------------------------------


def test_fingerprints_ignore_what_may_change_between_resumes() -> None:
    config = {
        "model": {"base": "m"},
        "lora": {"r": 8},
        "training": {"device": "cuda", "gradient_checkpointing": False, "seed": 1},
        "data": {"train": "/a/train.jsonl", "max_seq_length": 2048},
        "budget": {"max_usd": 5},
    }
    moved = {
        **config,
        "training": {"device": "cpu", "gradient_checkpointing": True, "seed": 1},
        "data": {"train": "/b/train.jsonl", "max_seq_length": 2048},
        "budget": {"max_usd": 50},
    }
    assert trajectory(config) == trajectory(moved)
    assert trajectory({**config, "lora": {"r": 16}}) != trajectory(config)
    stored = Fingerprints("c", "d", "t").to_json()
    assert Fingerprints("c", "d2", "t2").changed(stored) == ["data", "tokenizer"]


def test_only_complete_checkpoint_folders_count(tmp_path: Path) -> None:
    root = tmp_path / "checkpoints"
    whole = root / "step-000004"
    whole.mkdir(parents=True)
    for name in (
        "adapter_config.json",
        "adapter_model.safetensors",
        "optimizer.pt",
        "scheduler.pt",
        "rng.pt",
    ):
        (whole / name).write_bytes(b"x")
    (whole / "state.json").write_text('{"step": 4}')
    (root / "step-000006").mkdir()  # empty: cut off at the start
    (root / ".step-000008.ab12.partial").mkdir()
    (root / "notes.txt").write_text("not a checkpoint")
    complete, partial = list_checkpoints(root)
    assert [c.step for c in complete] == [4]
    assert sorted(p.name for p in partial) == [".step-000008.ab12.partial", "step-000006"]


# The loss ------------------------------------------------------------------------------------


@pytest.mark.parametrize("arch", ["llama", "qwen2", "mistral"])
def test_summed_loss_over_trained_tokens_equals_the_models_own_loss(
    arch: str, tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base = tiny_models[arch]
    tokenizer = load_tokenizer(str(base))
    config = {"data": {"train": str(WEATHER / "sample-val.jsonl"), "max_seq_length": 2048}}
    rows = prepare_dataset(config, tokenizer, cache_dir=tmp_path)
    model = get_peft_model(
        AutoModelForCausalLM.from_pretrained(base, attn_implementation="sdpa"),
        LoraConfig(r=4, target_modules="all-linear", task_type="CAUSAL_LM"),
    ).eval()
    batch = make_batch(rows, [0, 1], "sdpa", "cpu", torch.float32)
    with torch.no_grad():
        ours = float(summed_loss(model, batch)) / batch.trained_tokens
        theirs = model(
            input_ids=batch.input_ids,
            attention_mask=batch.attention_mask,
            position_ids=batch.position_ids,
            labels=batch.labels,
        ).loss
    assert batch.trained_tokens == int((batch.labels[:, 1:] != -100).sum())
    assert np.isclose(ours, float(theirs), rtol=1e-5)
