"""The metric trackers (wl_trainer/train/trackers.py), each with its real package, offline.

W&B runs with no account and every W&B address pointing at a closed local port, so nothing can
reach a network; a SIGALRM deadline fails a test that hangs instead of stalling the suite.
"""

from __future__ import annotations

import io
import os
import signal
import struct
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from wl_trainer.errors import WlError
from wl_trainer.exit_codes import ExitCode
from wl_trainer.status import Reporter
from wl_trainer.train import trackers
from wl_trainer.train.trackers import (
    PACKAGES,
    GuardedTracker,
    NoTracker,
    open_tracker,
    tracker_package_problem,
    wandb_credentials_available,
)

TRAINER = Path(__file__).resolve().parents[1]
CLOSED_PORT = "http://127.0.0.1:9"
# Shaped like a real W&B key (40 hex characters) so W&B would accept and use it.
FAKE_WANDB_KEY = "0123456789abcdef0123456789abcdef01234567"


def config_for(report_to: str, **monitoring: Any) -> dict[str, Any]:
    """A resolved-looking config with the sections trackers read."""
    return {
        "name": "tracker-test",
        "model": {"base": "tiny/llama", "max_seq_length": 256},
        "lora": {"r": 8, "alpha": 16, "target_modules": ["q_proj", "v_proj"]},
        "training": {"learning_rate": 2e-4, "epochs": 1},
        "data": {"train": "/private/data.jsonl"},
        "monitoring": {"report_to": report_to, "log_every": 10, **monitoring},
    }


class Captured:
    """A Reporter writing to memory, and what it wrote."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.stream = io.StringIO()
        self.reporter = Reporter(stream=self.stream, env=env or {})

    @property
    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    def warnings(self) -> list[str]:
        return [line for line in self.lines if "WARNING" in line]


@pytest.fixture(autouse=True)
def restored_environ() -> Iterator[None]:
    """The environment as it was: W&B's setup and the MLflow tracker set variables of their
    own, which must not leak into other tests."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail a test still running after 60 s (W&B starts a service process; never wait on it
    forever)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("test ran past its 60 s deadline")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def wandb_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deadline: None) -> Iterator[Path]:
    """A machine where nobody ever logged in to W&B and W&B's server cannot be reached."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("WANDB_API_KEY", "WANDB_IDENTITY_TOKEN_FILE", "WANDB_MODE", "NETRC", "WANDB_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WANDB_BASE_URL", CLOSED_PORT)
    monkeypatch.setenv("WANDB_CONFIG_DIR", str(home / ".config" / "wandb"))
    monkeypatch.setenv("WANDB_CACHE_DIR", str(home / ".cache" / "wandb"))
    monkeypatch.setenv("WANDB_DATA_DIR", str(home / ".local" / "wandb"))
    monkeypatch.setenv("WANDB_ERROR_REPORTING", "false")
    yield home
    import wandb

    wandb.teardown()  # the next test starts from a fresh W&B session with its own environment


# none


def test_none_records_nothing_and_writes_nothing(tmp_path: Path) -> None:
    out = Captured()
    tracker = open_tracker(config_for("none"), tmp_path / "run", "run-1", out.reporter)
    assert isinstance(tracker, NoTracker)
    assert tracker.url is None
    tracker.log({"train/loss": 1.0}, step=1)
    tracker.finish({"steps": 1})
    tracker.finish({"steps": 1})
    assert not (tmp_path / "run").exists()
    assert out.lines == []
    assert tracker_package_problem(config_for("none")) is None


# tensorboard


def read_scalars(log_dir: Path) -> dict[str, list[tuple[int, float]]]:
    """Every scalar TensorBoard itself would show for ``log_dir``."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(log_dir))
    events.Reload()
    return {
        tag: [(event.step, event.value) for event in events.Scalars(tag)]
        for tag in events.Tags()["scalars"]
    }


def test_tensorboard_writes_scalars_tensorboard_reads_back(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    out = Captured()
    tracker = open_tracker(config_for("tensorboard"), run_dir, "run-1", out.reporter)
    for step in (10, 20, 30):
        tracker.log({"train/loss": 3.0 - step / 10, "train/lr": 2e-4}, step=step)
    tracker.log({"eval/loss": 1.5}, step=30)
    tracker.finish({"steps": 30, "status": "completed"})
    tracker.finish({"steps": 30})

    scalars = read_scalars(run_dir / "tensorboard")
    assert scalars["train/loss"] == [(10, 2.0), (20, 1.0), (30, 0.0)]
    assert scalars["eval/loss"] == [(30, 1.5)]
    assert [step for step, _ in scalars["train/lr"]] == [10, 20, 30]
    assert out.warnings() == []
    assert "TensorBoard logs to" in out.stream.getvalue()


def test_tensorboard_resumed_training_replaces_the_repeated_steps(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    first = open_tracker(config_for("tensorboard"), run_dir, "run-1", Captured().reporter)
    for step in (10, 20, 30):
        first.log({"train/loss": float(step)}, step=step)
    first.finish({})  # the process died after step 30; the last checkpoint was at step 10

    again = open_tracker(config_for("tensorboard"), run_dir, "run-1", Captured().reporter)
    for step in (20, 30, 40):
        again.log({"train/loss": step + 0.5}, step=step)
    again.finish({})

    assert read_scalars(run_dir / "tensorboard")["train/loss"] == [
        (10, 10.0),
        (20, 20.5),
        (30, 30.5),
        (40, 40.5),
    ]


# wandb


def wandb_history(run_dir: Path) -> list[dict[str, Any]]:
    """The history rows of every offline W&B run under ``run_dir``, oldest run first, read from
    the .wandb files (LevelDB log format: 32 KiB blocks of checksum, length, type, data)."""
    import json

    from wandb.proto import wandb_internal_pb2

    block, header = 32768, 7
    rows = []
    for path in sorted(run_dir.glob("wandb/offline-run-*/run-*.wandb")):
        data = path.read_bytes()
        assert data[:4] == b":W&B"
        position, pending = header, b""
        while position + header <= len(data):
            left = block - position % block
            if left < header:  # a block's tail too short for a record header is padding
                position += left
                continue
            _checksum, length, kind = struct.unpack_from("<IHB", data, position)
            if kind == 0:  # zero-filled rest of the block
                position += left
                continue
            pending += data[position + header : position + header + length]
            position += header + length
            if kind in (1, 4):  # FULL or LAST
                record = wandb_internal_pb2.Record()
                record.ParseFromString(pending)
                pending = b""
                if record.WhichOneof("record_type") == "history":
                    rows.append(
                        {
                            item.key or "/".join(item.nested_key): json.loads(item.value_json)
                            for item in record.history.item
                        }
                    )
    return rows


def test_wandb_without_an_account_logs_offline_and_resumes_the_same_run(
    tmp_path: Path, wandb_home: Path
) -> None:
    run_dir = tmp_path / "run"
    out = Captured()
    tracker = open_tracker(config_for("wandb"), run_dir, "run-1", out.reporter)
    assert tracker.url is None
    tracker.log({"train/loss": 2.5}, step=10)
    tracker.log({"train/loss": 2.0, "eval/loss": 2.2}, step=20)
    tracker.finish({"steps": 20})
    tracker.finish({"steps": 20})

    [warning] = out.warnings()
    assert "W&B is logging offline: no WANDB_API_KEY" in warning
    assert f"fix: upload it later with: wandb sync {run_dir / 'wandb'}/offline-run-*" in warning
    run_id = (run_dir / "wandb_run_id").read_text().strip()
    [first] = run_dir.glob(f"wandb/offline-run-*-{run_id}")
    assert (first / f"run-{run_id}.wandb").is_file()

    # A resumed training (same run folder) continues the same W&B run; wandb_mode: offline
    # chosen in the config is said once, not warned about.
    out = Captured()
    again = open_tracker(config_for("wandb", wandb_mode="offline"), run_dir, "run-1", out.reporter)
    again.log({"train/loss": 1.5}, step=30)
    again.finish({"steps": 30})
    assert out.warnings() == []
    assert any("W&B logs offline to" in line for line in out.lines)
    assert (run_dir / "wandb_run_id").read_text().strip() == run_id
    assert len(list(run_dir.glob(f"wandb/offline-run-*-{run_id}"))) == 2

    rows = [row for row in wandb_history(run_dir) if "train/loss" in row]
    assert [(row["train/global_step"], row["train/loss"]) for row in rows] == [
        (10, 2.5),
        (20, 2.0),
        (30, 1.5),
    ]
    assert rows[1]["eval/loss"] == 2.2
    assert not (wandb_home / ".netrc").exists()  # nothing logged in on our behalf


def test_wandb_that_cannot_reach_its_server_logs_offline_and_never_shows_the_key(
    tmp_path: Path,
    wandb_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WANDB_API_KEY", FAKE_WANDB_KEY)  # logged in, but the server is down
    monkeypatch.setattr(trackers, "WANDB_INIT_TIMEOUT_S", 2.0)
    run_dir = tmp_path / "run"
    out = Captured(env={"WANDB_API_KEY": FAKE_WANDB_KEY})
    tracker = open_tracker(config_for("wandb"), run_dir, "run-1", out.reporter)
    assert tracker.url is None
    tracker.log({"train/loss": 1.0}, step=1)
    tracker.finish({"steps": 1})

    [warning] = out.warnings()
    assert "W&B could not start online (" in warning
    assert "): logging offline → fix: upload it later with: wandb sync" in warning
    run_id = (run_dir / "wandb_run_id").read_text().strip()
    assert len(list(run_dir.glob(f"wandb/offline-run-*-{run_id}"))) == 1
    assert [row["train/loss"] for row in wandb_history(run_dir)] == [1.0]

    printed = capfd.readouterr()
    assert printed.out == ""
    assert "wandb" not in printed.err.lower()  # W&B's own messages are silenced
    assert FAKE_WANDB_KEY not in out.stream.getvalue()
    for path in [*run_dir.rglob("*"), *wandb_home.rglob("*")]:
        if path.is_file():
            assert FAKE_WANDB_KEY.encode() not in path.read_bytes(), path


def test_wandb_credentials_come_from_the_environment_or_netrc(tmp_path: Path) -> None:
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text(f"machine api.wandb.ai\n  login user\n  password {FAKE_WANDB_KEY}\n")
    netrc_file.chmod(0o600)
    other = tmp_path / "other-netrc"
    other.write_text(f"machine example.com login user password {FAKE_WANDB_KEY}\n")
    other.chmod(0o600)
    home = str(tmp_path / "empty-home")

    assert wandb_credentials_available({"WANDB_API_KEY": FAKE_WANDB_KEY, "HOME": home})
    assert wandb_credentials_available({"WANDB_IDENTITY_TOKEN_FILE": "/tok", "HOME": home})
    assert wandb_credentials_available({"NETRC": str(netrc_file)})
    assert not wandb_credentials_available({"NETRC": str(other)})
    assert not wandb_credentials_available(
        {"NETRC": str(netrc_file), "WANDB_BASE_URL": "https://wandb.example.com"}
    )
    assert not wandb_credentials_available({"NETRC": str(tmp_path / "missing")})


# mlflow


@pytest.fixture
def mlflow_local(monkeypatch: pytest.MonkeyPatch) -> None:
    """No tracking server configured; the file-store switch is left as the tracker sets it."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("MLFLOW_ALLOW_FILE_STORE", raising=False)


def mlflow_client(run_dir: Path) -> Any:
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=(run_dir / "mlruns").resolve().as_uri())


def test_mlflow_file_store_has_the_metrics_and_the_run_resumes(
    tmp_path: Path, mlflow_local: None
) -> None:
    run_dir = tmp_path / "run"
    out = Captured()
    tracker = open_tracker(config_for("mlflow"), run_dir, "run-1", out.reporter)
    tracker.log({"train/loss": 2.5, "train/lr": 2e-4}, step=10)
    tracker.log({"train/loss": 2.0, "eval/loss": 2.2}, step=20)
    tracker.finish({"eval/best_loss": 2.2, "status": "stopped"})
    tracker.finish({})
    run_id = (run_dir / "mlflow_run_id").read_text().strip()
    assert out.warnings() == []
    assert f"(run {run_id})" in out.stream.getvalue()

    again = open_tracker(config_for("mlflow"), run_dir, "run-1", Captured().reporter)
    assert (run_dir / "mlflow_run_id").read_text().strip() == run_id
    again.log({"train/loss": 1.5}, step=30)
    again.finish({"steps": 30})

    client = mlflow_client(run_dir)
    run = client.get_run(run_id)
    assert run.info.status == "FINISHED"
    assert run.info.run_name == "run-1"
    assert client.get_experiment(run.info.experiment_id).name == "tracker-test"
    history = client.get_metric_history(run_id, "train/loss")
    assert sorted((m.step, m.value) for m in history) == [(10, 2.5), (20, 2.0), (30, 1.5)]
    assert run.data.metrics["eval/best_loss"] == 2.2
    assert run.data.metrics["steps"] == 30
    assert run.data.tags["wl.status"] == "stopped"
    assert run.data.params["lora.r"] == "8"
    assert run.data.params["lora.target_modules"] == '["q_proj", "v_proj"]'
    assert "data.train" not in run.data.params
    assert len(client.search_runs([run.info.experiment_id])) == 1


def test_mlflow_server_down_falls_back_to_the_local_store(
    tmp_path: Path, mlflow_local: None, monkeypatch: pytest.MonkeyPatch, deadline: None
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", CLOSED_PORT)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    run_dir = tmp_path / "run"
    out = Captured()
    tracker = open_tracker(config_for("mlflow"), run_dir, "run-1", out.reporter)
    tracker.log({"train/loss": 2.5}, step=10)
    tracker.finish({})

    [warning] = out.warnings()
    assert f"MLflow at {CLOSED_PORT} could not start a run" in warning
    run_id = (run_dir / "mlflow_run_id").read_text().strip()
    history = mlflow_client(run_dir).get_metric_history(run_id, "train/loss")
    assert [(m.step, m.value) for m in history] == [(10, 2.5)]


# failures


def test_a_tracker_failing_mid_run_warns_once_and_training_goes_on(
    tmp_path: Path, mlflow_local: None
) -> None:
    import shutil

    run_dir = tmp_path / "run"
    out = Captured()
    tracker = open_tracker(config_for("mlflow"), run_dir, "run-1", out.reporter)
    tracker.log({"train/loss": 2.5}, step=10)
    shutil.rmtree(run_dir / "mlruns")  # the store is gone: every call now fails
    tracker.log({"train/loss": 2.0}, step=20)
    tracker.log({"train/loss": 1.5}, step=30)
    tracker.finish({"steps": 30})

    [warning] = out.warnings()
    assert "mlflow could not log metrics" in warning
    assert "training goes on" in warning


class Flaky:
    """A tracker (ours, not a package's) that fails while ``broken`` is set."""

    url: str | None = None

    def __init__(self) -> None:
        self.broken = True
        self.logged: list[int] = []
        self.finished = 0

    def log(self, metrics: Mapping[str, float], step: int) -> None:
        if self.broken:
            raise ConnectionError("server went away")
        self.logged.append(step)

    def finish(self, summary: Mapping[str, Any]) -> None:
        self.finished += 1
        if self.broken:
            raise OSError("disk full")


def test_a_failed_tracker_rests_then_is_tried_again() -> None:
    now = [0.0]
    inner = Flaky()
    out = Captured()
    guarded = GuardedTracker(inner, "wandb", out.reporter, clock=lambda: now[0])
    guarded.log({"train/loss": 1.0}, step=1)  # fails: reported, rests
    inner.broken = False
    now[0] = trackers.REST_SECONDS - 1
    guarded.log({"train/loss": 1.0}, step=2)  # still resting: skipped
    now[0] = trackers.REST_SECONDS + 1
    guarded.log({"train/loss": 1.0}, step=3)
    inner.broken = True
    now[0] += trackers.REST_SECONDS + 1
    guarded.log({"train/loss": 1.0}, step=4)  # fails again: not reported again
    guarded.finish({})
    guarded.finish({})
    guarded.log({"train/loss": 1.0}, step=5)

    assert inner.logged == [3]
    assert inner.finished == 1
    [warning] = out.warnings()
    assert warning == (
        "[WL-TRAINER] ⚠️ WARNING: wandb could not log metrics (ConnectionError: server went away):"
        " training goes on; it is tried again in 60 s → fix: every metric is also in metrics.jsonl"
    )


# missing packages


@pytest.mark.parametrize("choice", ["tensorboard", "wandb", "mlflow"])
def test_a_missing_package_is_a_preflight_failure_naming_the_pip_command(
    choice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = PACKAGES[choice]
    monkeypatch.setitem(sys.modules, package.module, None)  # how Python marks "not importable"
    config = config_for(choice)

    with pytest.raises(WlError) as caught:
        open_tracker(config, tmp_path / "run", "run-1", Captured().reporter)
    assert caught.value.exit_code == ExitCode.PREFLIGHT_FAILED
    assert caught.value.code == "train.tracker_missing"
    assert caught.value.message.startswith(f"monitoring.report_to is {choice} but the ")
    assert caught.value.fix == (
        f"pip install {package.requirement} (or set monitoring.report_to: none)"
    )
    assert not (tmp_path / "run").exists()

    problem = tracker_package_problem(config)
    assert problem is not None
    assert f"pip install {package.requirement}" in problem


def test_installed_packages_have_no_problem() -> None:
    for choice in PACKAGES:
        assert tracker_package_problem(config_for(choice)) is None


def test_the_pins_match_requirements_trackers_txt() -> None:
    lines = (TRAINER / "requirements-trackers.txt").read_text().splitlines()
    pinned = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    assert pinned == {package.requirement for package in PACKAGES.values()}
    assert "-r requirements-trackers.txt" in (TRAINER / "requirements-dev.txt").read_text()


def test_the_monitoring_check_fails_where_the_tracker_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.machines import CPU_BOX
    from wl_trainer.checks.monitoring import check_monitoring

    config: dict[str, Any] = {
        "monitoring": {"report_to": "wandb"},
        "compute": {"backend": "local"},
        "training": {"device": "cpu"},
    }
    assert check_monitoring(config, CPU_BOX).status == "ok"
    monkeypatch.setitem(sys.modules, "wandb", None)
    missing = check_monitoring(config, CPU_BOX)
    assert missing.status == "fail" and "pip install wandb==" in (missing.fix or "")
    remote = {**config, "compute": {"backend": "ssh"}, "training": {"device": "auto"}}
    assert check_monitoring(remote, CPU_BOX).status == "ok"
