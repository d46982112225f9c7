"""Metric trackers the training loop reports to: ``monitoring.report_to`` none | tensorboard |
wandb | mlflow.

    tracker = open_tracker(config, run_dir, run_name, reporter)
    tracker.log({"train/loss": 1.23, "train/lr": 2e-4}, step=10)
    tracker.finish({"steps": 500, "eval/loss": 0.98})

- **tensorboard** writes event files to ``RUN_DIR/tensorboard``.
- **wandb** logs to ``monitoring.wandb_project`` (default ``wl``). Without an API key
  (``WANDB_API_KEY`` or a ``wandb login`` in ~/.netrc) or with ``wandb_mode: offline`` it logs
  offline under ``RUN_DIR/wandb`` and says how to upload later; it never prompts, and an online
  start that cannot reach W&B goes offline too. A resumed training continues the same W&B run
  (its id is kept in ``RUN_DIR/wandb_run_id``); the run URL is printed when online.
- **mlflow** logs to ``MLFLOW_TRACKING_URI`` (or, when that server cannot be reached, and
  without it) to a file store in ``RUN_DIR/mlruns``; the experiment is the config's ``name``
  (default ``wl``); the run id is kept in ``RUN_DIR/mlflow_run_id`` so a resumed training
  continues the same run.

The packages are optional (``pip install -r requirements-trackers.txt``): a missing one is a
preflight failure (exit 3) that names the pip command. Once training runs, a tracker never stops
it: a failure is reported once, and the tracker rests a minute before it is tried again.
"""

from __future__ import annotations

import importlib
import json
import math
import netrc
import os
import secrets
import shlex
import string
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

from wl_trainer.errors import WlError
from wl_trainer.exit_codes import ExitCode
from wl_trainer.status import Reporter


class Tracker(Protocol):
    """Where the training loop sends its metrics."""

    url: str | None
    """The W&B run's page when logging online, else None."""

    def log(self, metrics: Mapping[str, float], step: int) -> None:
        """Record metrics (names like ``train/loss``, ``eval/loss``) at a training step."""

    def finish(self, summary: Mapping[str, Any]) -> None:
        """Record the run's summary and close; calling it again does nothing."""


@dataclass(frozen=True)
class TrackerPackage:
    """The Python package a ``report_to`` choice imports, and its pin in
    requirements-trackers.txt (a test keeps the two in step)."""

    module: str
    requirement: str


PACKAGES: dict[str, TrackerPackage] = {
    "tensorboard": TrackerPackage("tensorboard", "tensorboard==2.21.0"),
    "wandb": TrackerPackage("wandb", "wandb==0.31.0"),
    "mlflow": TrackerPackage("mlflow", "mlflow-skinny==3.17.2"),
}

REST_SECONDS = 60.0
"""After a failure a tracker is left alone this long, so a server that hangs cannot stall
training at every logged step."""

WANDB_INIT_TIMEOUT_S = 45.0
"""The longest W&B may take to start a run online (it retries while the server is unreachable)
before the tracker falls back to offline: GPU time lost at each start when W&B is down."""

WANDB_FINISH_TIMEOUT_S = 300.0
"""The longest W&B may keep a finished training (and its paid GPU) waiting for uploads; what is
left stays on disk for ``wandb sync``."""

STEP = "train/global_step"
"""The metric W&B plots the others against."""

HYPERPARAMETER_SECTIONS = ("model", "lora", "training")
"""The config sections sent to W&B and MLflow: no paths to data, hosts or webhooks."""


def report_to(config: Mapping[str, Any]) -> str:
    """The config's ``monitoring.report_to`` (``none`` when unset)."""
    return str(monitoring(config).get("report_to") or "none")


def monitoring(config: Mapping[str, Any]) -> Mapping[str, Any]:
    """The config's ``monitoring`` section (empty when unset)."""
    section = config.get("monitoring")
    return section if isinstance(section, Mapping) else {}


def tracker_package_problem(config: Mapping[str, Any]) -> str | None:
    """Why the tracker the config reports to cannot be used on this machine, or None."""
    error = package_error(report_to(config))
    return None if error is None else f"{error.message}; fix: {error.fix}"


def package_error(choice: str) -> WlError | None:
    """The preflight error for a ``report_to`` choice whose package does not import, or None."""
    package = PACKAGES.get(choice)
    if package is None:
        return None
    try:
        importlib.import_module(package.module)
    except ImportError as error:
        # "No module named X" says no more than the message; anything else (a broken
        # dependency) is worth showing.
        detail = "" if getattr(error, "name", None) == package.module else f" ({error})"
        return WlError(
            "train.tracker_missing",
            f"monitoring.report_to is {choice} but the {package.module} package cannot be "
            f"imported{detail}",
            f"pip install {package.requirement} (or set monitoring.report_to: none)",
            ExitCode.PREFLIGHT_FAILED,
        )
    return None


def open_tracker(
    config: Mapping[str, Any], run_dir: Path, run_name: str, reporter: Reporter
) -> Tracker:
    """The tracker ``monitoring.report_to`` asks for; raises WlError (exit 3) when its package
    is missing. A tracker that cannot start is reported and replaced by none: training goes on."""
    choice = report_to(config)
    opener = OPENERS.get(choice)
    if opener is None:
        return NoTracker()
    error = package_error(choice)
    if error is not None:
        raise error
    run_dir.mkdir(parents=True, exist_ok=True)
    try:
        tracker = opener(config, run_dir, run_name, reporter)
    except Exception as failure:
        reporter.warning(
            f"{choice} could not start ({describe(failure)}): training goes on without it",
            event="train.tracker_failed",
            fix="see the metrics in metrics.jsonl; fix the cause for the next run",
        )
        return NoTracker()
    return GuardedTracker(tracker, choice, reporter)


class NoTracker:
    """``report_to: none``: metrics go only to metrics.jsonl."""

    url: str | None = None

    def log(self, metrics: Mapping[str, float], step: int) -> None:
        """Nothing to record."""

    def finish(self, summary: Mapping[str, Any]) -> None:
        """Nothing to close."""


class GuardedTracker:
    """A tracker whose failures never reach the training loop: the first is reported, and after
    each one the tracker rests ``REST_SECONDS`` before it is tried again."""

    def __init__(
        self,
        inner: Tracker,
        name: str,
        reporter: Reporter,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.name = name
        self.reporter = reporter
        self.url = inner.url
        self._clock = clock
        self._resting_until: float | None = None
        self._warned = False
        self._finished = False

    def log(self, metrics: Mapping[str, float], step: int) -> None:
        """Pass the metrics on, unless finished or resting after a failure."""
        if self._finished or self._resting():
            return
        try:
            self.inner.log(metrics, step)
        except Exception as failure:
            self._failed("log metrics", failure)

    def finish(self, summary: Mapping[str, Any]) -> None:
        """Pass the summary on and close, once."""
        if self._finished:
            return
        self._finished = True
        try:
            self.inner.finish(summary)
        except Exception as failure:
            self._failed("finish", failure)

    def _resting(self) -> bool:
        if self._resting_until is None:
            return False
        if self._clock() < self._resting_until:
            return True
        self._resting_until = None
        return False

    def _failed(self, action: str, failure: Exception) -> None:
        self._resting_until = self._clock() + REST_SECONDS
        if self._warned:
            return
        self._warned = True
        self.reporter.warning(
            f"{self.name} could not {action} ({describe(failure)}): training goes on; "
            f"it is tried again in {REST_SECONDS:.0f} s",
            event="train.tracker_failed",
            fix="every metric is also in metrics.jsonl",
        )


class TensorBoardTracker:
    """Scalars in ``RUN_DIR/tensorboard`` (``tensorboard --logdir RUN_DIR/tensorboard``)."""

    url: str | None = None

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        # A resumed training repeats the steps after its checkpoint: TensorBoard hides the
        # earlier attempt's events from the first step this one logs (purge_step).
        self._resumed = log_dir.is_dir() and any(log_dir.glob("events.out.tfevents.*"))
        self._writer: Any = None

    def log(self, metrics: Mapping[str, float], step: int) -> None:
        """One scalar per metric at ``step``."""
        writer = self._open(purge_step=step if self._resumed else None)
        for name, value in metrics.items():
            writer.add_scalar(name, float(value), step)
        writer.flush()

    def finish(self, summary: Mapping[str, Any]) -> None:
        """The summary as a text entry, then close the event file."""
        writer = self._open(purge_step=None)
        text = json.dumps(dict(summary), indent=2, default=str)
        writer.add_text("summary", f"```\n{text}\n```")
        writer.close()

    def _open(self, purge_step: int | None) -> Any:
        if self._writer is None:
            from torch.utils.tensorboard import SummaryWriter

            self._writer = SummaryWriter(log_dir=str(self.log_dir), purge_step=purge_step)
        return self._writer


def open_tensorboard(
    config: Mapping[str, Any], run_dir: Path, run_name: str, reporter: Reporter
) -> Tracker:
    """TensorBoard event files in ``RUN_DIR/tensorboard``."""
    log_dir = run_dir / "tensorboard"
    reporter.info(
        f"TensorBoard logs to {log_dir} (view: tensorboard --logdir {shlex.quote(str(log_dir))})",
        event="train.tracker",
        data={"report_to": "tensorboard", "dir": str(log_dir)},
    )
    return TensorBoardTracker(log_dir)


class WandbTracker:
    """One W&B run; metrics are plotted against ``train/global_step``."""

    def __init__(self, run: Any, online: bool) -> None:
        self.run = run
        self.url: str | None = run.url if online else None

    def log(self, metrics: Mapping[str, float], step: int) -> None:
        """Log against the training step as a metric, not W&B's own step: W&B refuses a step
        below its last one, and a resumed training repeats the steps after its checkpoint."""
        self.run.log({**{name: float(value) for name, value in metrics.items()}, STEP: step})

    def finish(self, summary: Mapping[str, Any]) -> None:
        """Set the run summary, finish the run (uploading what is left when online) and stop
        W&B's service."""
        self.run.summary.update(dict(summary))
        self.run.finish()
        # run.finish() can return before the service has written an offline run to disk; its
        # shutdown waits for that, as it does at the end of a process.
        stop_wandb()


def open_wandb(
    config: Mapping[str, Any], run_dir: Path, run_name: str, reporter: Reporter
) -> Tracker:
    """A W&B run, online when this machine has credentials and the config does not say
    offline; a failed online start falls back to offline."""
    section = monitoring(config)
    offline_by_choice = section.get("wandb_mode") == "offline"
    online = not offline_by_choice and wandb_credentials_available(os.environ)
    id_file = run_dir / "wandb_run_id"
    run_id = read_id(id_file)
    if run_id is None:
        # Chosen and kept before the first start, so an offline fallback (and every resume)
        # continues the run an online start began.
        run_id = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(8))
        write_id(id_file, run_id)
    run = None
    if online:
        try:
            run = start_wandb(config, run_dir, run_name, run_id, "online")
        except Exception as failure:
            online = False
            stop_wandb()  # its service still holds the run id the offline start reuses
            reporter.warning(
                f"W&B could not start online ({describe(failure)}): logging offline",
                event="train.tracker_offline",
                fix=f"upload it later with: {wandb_sync_command(run_dir)}",
            )
    elif not offline_by_choice:
        reporter.warning(
            "W&B is logging offline: no WANDB_API_KEY and no `wandb login` on this machine",
            event="train.tracker_offline",
            fix=f"upload it later with: {wandb_sync_command(run_dir)} "
            "(or set WANDB_API_KEY to log online)",
        )
    if run is None:
        run = start_wandb(config, run_dir, run_name, run_id, "offline")
    tracker = WandbTracker(run, online)
    if tracker.url:
        reporter.info(f"W&B run: {tracker.url}", event="train.tracker", data={"url": tracker.url})
    elif offline_by_choice:
        reporter.info(
            f"W&B logs offline to {run_dir / 'wandb'} (upload: {wandb_sync_command(run_dir)})",
            event="train.tracker",
            data={"report_to": "wandb", "dir": str(run_dir / "wandb")},
        )
    return tracker


WandbMode = Literal["online", "offline"]


def start_wandb(
    config: Mapping[str, Any], run_dir: Path, run_name: str, run_id: str, mode: WandbMode
) -> Any:
    """``wandb.init`` with the settings a non-interactive training needs."""
    import wandb

    # Our status lines are the only ones on stderr (so JSON events stay parseable): W&B's own
    # messages are off, globally too (its login messages read the global settings).
    wandb.setup(settings=wandb.Settings(silent=True))
    settings = wandb.Settings(
        mode=mode,
        silent=True,
        console="off",  # stdout carries data: it is not wrapped
        init_timeout=WANDB_INIT_TIMEOUT_S,
        finish_timeout=WANDB_FINISH_TIMEOUT_S,
    )
    run = wandb.init(
        project=str(monitoring(config).get("wandb_project") or "wl"),
        name=run_name,
        dir=str(run_dir),
        id=run_id,
        resume="allow",
        config={name: config[name] for name in HYPERPARAMETER_SECTIONS if name in config},
        settings=settings,
        reinit="create_new",
    )
    run.define_metric(STEP)
    run.define_metric("*", step_metric=STEP, step_sync=True)
    return run


def stop_wandb() -> None:
    """Shut W&B's service down, as at the end of a process."""
    import wandb

    wandb.teardown()


def wandb_credentials_available(env: Mapping[str, str]) -> bool:
    """Whether W&B would find credentials without prompting: ``WANDB_API_KEY``,
    ``WANDB_IDENTITY_TOKEN_FILE``, or a netrc entry for its host (what ``wandb login`` writes)."""
    if env.get("WANDB_API_KEY") or env.get("WANDB_IDENTITY_TOKEN_FILE"):
        return True
    host = urlsplit(env.get("WANDB_BASE_URL") or "https://api.wandb.ai").hostname
    path = Path(env["NETRC"]).expanduser() if env.get("NETRC") else Path.home() / ".netrc"
    if not host or not path.is_file():
        return False
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (OSError, netrc.NetrcParseError):
        return False
    return bool(entry and entry[2])


def wandb_sync_command(run_dir: Path) -> str:
    """The command that uploads this run's offline W&B data (every resumed part, in order)."""
    return f"wandb sync {shlex.quote(str(run_dir / 'wandb'))}/offline-run-*"


class MlflowTracker:
    """One MLflow run, through a client (no global active run)."""

    url: str | None = None

    def __init__(self, client: Any, run_id: str) -> None:
        self.client = client
        self.run_id = run_id
        self._last_step = 0

    def log(self, metrics: Mapping[str, float], step: int) -> None:
        """All metrics of a step in one request."""
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        batch = [Metric(name, float(value), now, step) for name, value in metrics.items()]
        self.client.log_batch(self.run_id, metrics=batch)
        self._last_step = step

    def finish(self, summary: Mapping[str, Any]) -> None:
        """Numbers in the summary become metrics at the last step, the rest tags; then the run
        is marked finished."""
        from mlflow.entities import Metric, RunTag

        now = int(time.time() * 1000)
        numbers = {k: v for k, v in summary.items() if is_number(v)}
        metrics = [Metric(k, float(v), now, self._last_step) for k, v in numbers.items()]
        tags = [RunTag(f"wl.{k}", str(v)[:5000]) for k, v in summary.items() if k not in numbers]
        self.client.log_batch(self.run_id, metrics=metrics, tags=tags)
        self.client.set_terminated(self.run_id, "FINISHED")


def open_mlflow(
    config: Mapping[str, Any], run_dir: Path, run_name: str, reporter: Reporter
) -> Tracker:
    """An MLflow run at ``MLFLOW_TRACKING_URI``; when that server cannot be reached, at the
    local file store instead."""
    local = (run_dir / "mlruns").resolve().as_uri()
    remote = os.environ.get("MLFLOW_TRACKING_URI")
    if remote:
        # MLflow retries a failed request 7 times with growing pauses (minutes in all): a
        # server that is down would stall training at every logged step. The user's own
        # settings win.
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2")
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "30")
        try:
            return start_mlflow(config, run_dir, run_name, remote, reporter)
        except Exception as failure:
            reporter.warning(
                f"MLflow at {remote} could not start a run ({describe(failure)}): logging to "
                f"{local} instead",
                event="train.tracker_offline",
                fix="check MLFLOW_TRACKING_URI and that the server is up",
            )
    # MLflow 3 keeps its file store only behind this switch; it still reads and writes it
    # (`mlflow ui --backend-store-uri RUN_DIR/mlruns` shows it).
    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    return start_mlflow(config, run_dir, run_name, local, reporter)


def start_mlflow(
    config: Mapping[str, Any], run_dir: Path, run_name: str, uri: str, reporter: Reporter
) -> MlflowTracker:
    """Continue the run whose id ``RUN_DIR/mlflow_run_id`` keeps, or start one."""
    from mlflow.entities import Param
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=uri)
    id_file = run_dir / "mlflow_run_id"
    run_id = read_id(id_file)
    if run_id is not None:
        try:
            client.update_run(run_id, status="RUNNING")
        except MlflowException:
            run_id = None  # kept by another tracking server, or deleted: start a new run
    if run_id is None:
        name = str(config.get("name") or "wl")
        experiment = client.get_experiment_by_name(name)
        if experiment is None:
            experiment_id = client.create_experiment(name)
        else:
            experiment_id = experiment.experiment_id
            if experiment.lifecycle_stage == "deleted":
                client.restore_experiment(experiment_id)
        run_id = client.create_run(experiment_id, run_name=run_name).info.run_id
        params = [Param(k, v) for k, v in hyperparameters(config).items()]
        client.log_batch(run_id, params=params)
        write_id(id_file, run_id)
    reporter.info(
        f"MLflow logs to {uri} (run {run_id})",
        event="train.tracker",
        data={"report_to": "mlflow", "run_id": run_id},
    )
    return MlflowTracker(client, run_id)


OPENERS: dict[str, Callable[[Mapping[str, Any], Path, str, Reporter], Tracker]] = {
    "tensorboard": open_tensorboard,
    "wandb": open_wandb,
    "mlflow": open_mlflow,
}


def hyperparameters(config: Mapping[str, Any]) -> dict[str, str]:
    """The model, LoRA and training settings, flattened (``lora.r``: ``"16"``), as MLflow
    parameters."""
    flat: dict[str, str] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                walk(f"{prefix}.{key}", inner)
        elif value is not None:
            text = value if isinstance(value, str) else json.dumps(value, default=str)
            flat[prefix] = text[:250]  # within every tracker's limit for a parameter

    for section in HYPERPARAMETER_SECTIONS:
        if section in config:
            walk(section, config[section])
    return flat


def is_number(value: Any) -> bool:
    """A finite int or float (not a bool), as a tracker can plot it."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def read_id(path: Path) -> str | None:
    """A run id kept in ``path``, or None."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def write_id(path: Path, run_id: str) -> None:
    """Keep a run id in ``path``, replaced atomically (a crash leaves the old one or the new)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(run_id + "\n")
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def describe(failure: BaseException) -> str:
    """An exception on one short line: its type, and its message when it has one."""
    text = " ".join(str(failure).split())
    name = type(failure).__name__
    return f"{name}: {text[:300]}" if text else name
