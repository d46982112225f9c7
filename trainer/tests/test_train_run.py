"""The real ``train`` command on tiny Llama, Qwen2 and Mistral models: the loss falls, the
adapter loads with PEFT, the run folder says what happened, and the ways a run can stop —
SIGTERM (exit 130), the budget (exit 4), a finished run started again — each leave what they
promise."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import torch

from tests.conftest import install_in_hf_cache
from tests.train_runs import (
    WEATHER,
    checkpoint_steps,
    report,
    run_train,
    start_train,
    status,
    steps_done,
    wait_for,
    write_config,
)
from wl_trainer.data.prepare import prepare_dataset
from wl_trainer.data.tokenizer import load_tokenizer
from wl_trainer.train.batches import make_batch
from wl_trainer.train.loss import summed_loss
from wl_trainer.train.metrics_log import read_metrics

pytestmark = pytest.mark.slow


def val_loss(model: Any, base: Path, train_cache: Path) -> float:
    """Mean loss per trained token on the weather validation sample."""
    tokenizer = load_tokenizer(str(base))
    config = {"data": {"train": str(WEATHER / "sample-val.jsonl"), "max_seq_length": 2048}}
    rows = prepare_dataset(config, tokenizer, cache_dir=train_cache)
    total, trained = 0.0, 0
    with torch.no_grad():
        for index in range(len(rows)):
            batch = make_batch(rows, [index], "sdpa", "cpu", torch.float32)
            total += float(summed_loss(model, batch))
            trained += batch.trained_tokens
    return total / trained


@pytest.mark.parametrize("arch", ["llama", "qwen2", "mistral"])
def test_training_lowers_the_loss_and_leaves_a_peft_adapter(
    arch: str, tiny_models: dict[str, Path], train_cache: Path, tmp_path: Path
) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    base = tiny_models[arch]
    config = write_config(
        tmp_path,
        base,
        data={"val": str(WEATHER / "sample-val.jsonl")},
        training={
            "max_steps": 12,
            "gradient_accumulation_steps": 1,
            "learning_rate": 0.01,
            "eval_every": 4,
        },
        checkpoints={"save_every": 4, "keep_last": 1, "keep_best": 1},
    )
    out = tmp_path / "run"

    result = run_train(config, out, train_cache)

    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed == report(out)
    assert printed["status"] == "done" and printed["steps"] == 12
    # Retention: the best eval loss and the newest checkpoint, nothing else.
    best = printed["best_step"]
    assert checkpoint_steps(out) == sorted({best, 12})
    # The run folder: status, metrics, log.
    final = status(out)
    assert final["stage"] == "done" and final["exit_code"] == 0 and final["step"] == 12
    metrics = read_metrics(out / "metrics.jsonl")
    assert [m["step"] for m in metrics if m["type"] == "train"] == list(range(1, 13))
    assert [m["step"] for m in metrics if m["type"] == "eval"] == [4, 8, 12]
    assert "step 12/12" in (out / "train.log").read_text(encoding="utf-8")
    # The adapter loads with PEFT, next to the tokenizer and chat template it was trained with.
    adapter = out / "adapter"
    assert (adapter / "adapter_config.json").is_file()
    assert load_tokenizer(str(adapter)).chat_template == load_tokenizer(str(base)).chat_template
    model = PeftModel.from_pretrained(
        AutoModelForCausalLM.from_pretrained(base, attn_implementation="sdpa"), adapter
    ).eval()
    with model.disable_adapter():
        untrained = val_loss(model, base, train_cache)
    trained = val_loss(model, base, train_cache)
    assert trained < untrained - 0.05, (trained, untrained)


class Hooks(BaseHTTPRequestHandler):
    """A webhook receiver that keeps what it was sent."""

    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Hooks.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def webhook() -> Iterator[str]:
    """The URL of a local webhook receiver."""
    Hooks.received = []
    server = HTTPServer(("127.0.0.1", 0), Hooks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_sigterm_saves_a_checkpoint_and_exits_130_then_the_run_resumes(
    tiny_models: dict[str, Path], train_cache: Path, tmp_path: Path, webhook: str
) -> None:
    config = write_config(
        tmp_path,
        tiny_models["llama"],
        training={"max_steps": 6},
        checkpoints={"save_every": 100},
        monitoring={"webhook_url": webhook},
    )
    out = tmp_path / "run"
    process = start_train(config, out, train_cache)
    wait_for(lambda: steps_done(out) >= 1, process)

    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=120)

    assert process.returncode == 130, stderr
    stopped_at = json.loads(stdout)["steps"]
    assert stopped_at >= 1 and checkpoint_steps(out) == [stopped_at]
    assert status(out)["stage"] == "interrupted" and status(out)["exit_code"] == 130
    assert "stopped by SIGTERM" in stderr

    resumed = run_train(config, out, train_cache)
    assert resumed.returncode == 0, resumed.stderr
    assert f"Found checkpoint at step {stopped_at}. Resuming training." in resumed.stderr
    assert [hook["event"] for hook in Hooks.received] == ["interrupted", "resume", "completed"]


def test_budget_cap_stops_with_a_checkpoint_and_exit_4(
    tiny_models: dict[str, Path], train_cache: Path, tmp_path: Path
) -> None:
    # $36,000 an hour against a $2 budget: 0.2 s of training.
    config = write_config(
        tmp_path, tiny_models["llama"], budget={"max_usd": 2.0}, training={"max_steps": 50}
    )
    out = tmp_path / "run"

    result = run_train(config, out, train_cache, "--cost-per-hour", "36000")

    assert result.returncode == 4, result.stderr
    stopped = report(out)
    assert stopped["status"] == "budget" and stopped["cost_usd"] >= 2.0
    assert checkpoint_steps(out) == [stopped["steps"]]
    assert "budget reached" in result.stderr


def test_a_finished_run_started_again_trains_nothing(
    tiny_models: dict[str, Path], train_cache: Path, tmp_path: Path
) -> None:
    config = write_config(tmp_path, tiny_models["llama"], training={"max_steps": 2})
    out = tmp_path / "run"
    assert run_train(config, out, train_cache).returncode == 0
    first = report(out)

    again = run_train(config, out, train_cache)

    assert again.returncode == 0, again.stderr
    assert "already trained" in again.stderr
    assert "RESUME" not in again.stderr
    assert report(out) == first


def test_a_hub_id_trains_from_the_hugging_face_cache_offline(
    tiny_models: dict[str, Path], train_cache: Path, tmp_path: Path
) -> None:
    install_in_hf_cache(tiny_models["mistral"], "wl-test/tiny-mistral")
    config = write_config(tmp_path, Path("wl-test/tiny-mistral"), training={"max_steps": 1})

    result = run_train(config, tmp_path / "run", train_cache)

    assert result.returncode == 0, result.stderr
    assert "loading wl-test/tiny-mistral on cpu (fp32)" in result.stderr
    missing = write_config(tmp_path / "missing", Path("wl-test/not-downloaded"))
    failed = run_train(missing, tmp_path / "missing-run", train_cache)
    assert failed.returncode == 1
    assert "❌ ERROR: cannot load the tokenizer of wl-test/not-downloaded" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert json.loads(failed.stdout)["status"] == "failed"


def test_4bit_without_cuda_stops_before_anything_is_spent(
    tiny_models: dict[str, Path], train_cache: Path, tmp_path: Path
) -> None:
    config = write_config(tmp_path, tiny_models["llama"], model={"quantization": "4bit"})

    result = run_train(config, tmp_path / "run", train_cache)

    assert result.returncode == 3
    assert "this machine cannot train this config" in result.stderr
    assert "4bit" in result.stderr or "4-bit" in result.stderr
    assert status(tmp_path / "run")["stage"] == "failed"
    assert not (tmp_path / "run" / "checkpoints").exists()
