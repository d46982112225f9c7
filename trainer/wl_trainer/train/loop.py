"""The training recipe, top to bottom: set up → resume or start → train → finish.

    outcome = Training(options, reporter, board).run()   # ``python -m wl_trainer train``

1. Check the machine can train this config (exit 3 before anything is spent).
2. Load the tokenizer and prepare the data (tokenized rows come from the cache when unchanged).
3. Choose the start (start.py): resume from the latest complete checkpoint — counted by the
   crash-loop guard, exit 2 at the third resume from one step — warm-start, or fresh.
4. Load the model with its LoRA adapter, the optimizer and the schedule; restore the checkpoint.
5. Train step by step (steps.py): stop requests (exit 130) and the budget (exit 4) are
   honoured between steps with a checkpoint; evaluation, early stopping, checkpoints,
   retention and the disk guard on their schedule; progress on stderr, in status.json and in
   metrics.jsonl.
6. Save the final adapter (PEFT format, with the tokenizer and chat template) and report.json.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from wl_trainer.accelerator import probe_facts, resolve_device, supports_bf16
from wl_trainer.atomic_dir import building_dir
from wl_trainer.checks.accelerator import check_accelerator
from wl_trainer.data.dataset import PreparedDataset
from wl_trainer.data.prepare import prepare_dataset
from wl_trainer.data.settings import data_settings, split_files
from wl_trainer.data.tokenizer import load_tokenizer
from wl_trainer.dtypes import DeviceKind, Dtype, training_dtype
from wl_trainer.environment import installed_packages
from wl_trainer.errors import WlError
from wl_trainer.exit_codes import ExitCode
from wl_trainer.status import Reporter, utc_timestamp
from wl_trainer.train import checkpoint as checkpoints
from wl_trainer.train.budget import budget_from_config
from wl_trainer.train.disk_guard import disk_verdict, folder_bytes
from wl_trainer.train.files import RunFolder, read_json, write_json_atomic
from wl_trainer.train.fingerprint import fingerprints
from wl_trainer.train.metrics_log import MetricsLog
from wl_trainer.train.model import LoadedModel, load_model
from wl_trainer.train.oom import MemorySettings
from wl_trainer.train.options import TrainOptions
from wl_trainer.train.progress import (
    Pace,
    Stopwatch,
    device_memory_gb,
    duration,
    progress_line,
    should_log,
)
from wl_trainer.train.resume_guard import record_progress, record_resume
from wl_trainer.train.retention import Kept, to_delete
from wl_trainer.train.run_config import run_config
from wl_trainer.train.schedule import RowSchedule
from wl_trainer.train.signals import StopRequest
from wl_trainer.train.start import Start, choose_start
from wl_trainer.train.status_board import StatusBoard
from wl_trainer.train.steps import StepResult, StepRunner, evaluate
from wl_trainer.train.throttle import StepTimeWatch
from wl_trainer.train.trackers import open_tracker
from wl_trainer.train.webhook import Webhook

REPORT_SCHEMA = "wl.train-report/1"
ETA_AFTER_STEPS = 100
TRACKED = ("loss", "lr", "grad_norm", "tokens_per_s", "epoch", "cost_usd", "memory_gb")
"""Step values sent to TensorBoard / W&B / MLflow (as train/<name>)."""


@dataclass
class Outcome:
    """How the run ended: the final stage, the exit code and the line that says why."""

    stage: str
    exit_code: int
    message: str


@dataclass
class Progress:
    """What the training has done so far, resumes included; saved in every checkpoint."""

    step: int = 0
    tokens: int = 0
    trained_tokens: int = 0
    elapsed_s: float = 0.0
    loss: float | None = None
    eval_loss: float | None = None
    best_eval_loss: float | None = None
    best_step: int | None = None
    evals_without_improvement: int = 0
    resumes: int = 0
    adaptations: list[str] = field(default_factory=list)


class Training:
    """One run of the recipe in one run folder."""

    def __init__(self, options: TrainOptions, reporter: Reporter, board: StatusBoard) -> None:
        self.options = options
        self.reporter = reporter
        self.board = board
        self.folder = RunFolder(options.out)
        self.stop = StopRequest()
        self.progress = Progress()
        self.report: dict[str, Any] = {}
        self.clock = Stopwatch()
        self.loop_seconds = 0.0
        self.loop_tokens = 0
        self.budget_warned = False

    def run(self) -> Outcome:
        """Train to the end (or to a stop) and say how it ended."""
        self.stop.install()
        try:
            return self._run()
        finally:
            self.stop.restore()

    def _run(self) -> Outcome:
        # 1. The config and the machine.
        self.stage("starting", "checking the machine")
        loaded_config, config = run_config(self.options)
        self.config = config
        self.webhook = Webhook(
            config["monitoring"].get("webhook_url"), self.folder.root.name, self.reporter
        )
        self.budget = budget_from_config(config, self.options.cost_per_hour)
        self.device, self.dtype = self.check_machine(config)

        # 2. Tokenizer and data. {date} in the system prompt is the run's first day, always.
        self.stage("preparing", "preparing the data")
        model_section = config["model"]
        self.tokenizer = load_tokenizer(
            model_section["base"], model_section.get("revision"), model_section["trust_remote_code"]
        )
        info = self.run_info(loaded_config.path)
        today = date.fromisoformat(info["start_date"])
        train_rows = prepare_dataset(
            config, self.tokenizer, "train", today=today, reporter=self.reporter
        )
        val_rows = self.validation_rows(config, today)
        settings = data_settings(config)
        files = split_files(settings, "train") + (
            split_files(settings, "val") if settings.val else []
        )
        self.fingerprints = fingerprints(config, files, self.tokenizer)

        # 3. Resume, warm start or fresh.
        start = choose_start(
            self.folder,
            self.fingerprints,
            config["checkpoints"]["resume"],
            self.options.warm_start,
            self.reporter,
        )
        if start.finished:
            return self.finished_before()
        if start.resume is not None:
            outcome = self.count_resume(start.resume)
            if outcome is not None:
                return outcome
        if self.stop.requested:
            return Outcome(
                "interrupted",
                ExitCode.INTERRUPTED,
                f"stopped by {self.stop.signal_name} before training started",
            )

        # 4. Model, optimizer, schedule — and the checkpoint's state on top.
        memory = self.memory_settings(config, start)
        config["training"]["gradient_checkpointing"] = memory.gradient_checkpointing
        self.stage("loading", f"loading {model_section['base']} on {self.device} ({self.dtype})")
        import torch

        torch.manual_seed(config["training"]["seed"])  # the LoRA initialisation
        self.loaded = load_model(config, self.device, self.dtype)
        self.schedule = RowSchedule(
            rows=len(train_rows),
            rows_per_step=memory.micro_batch_size * memory.gradient_accumulation_steps,
            epochs=config["training"]["epochs"],
            seed=config["training"]["seed"],
            max_steps=config["training"].get("max_steps"),
        )
        runner = StepRunner(self.loaded, config, self.schedule, memory, self.reporter)
        if start.resume is not None:
            checkpoints.load_training_state(
                start.resume, self.loaded.model, runner.optimizer, runner.scheduler
            )
        elif start.warm is not None:
            checkpoints.load_adapter_weights(start.warm.path, self.loaded.model)
            self.reporter.info(
                f"warm start: adapter weights of step {start.warm.step}, fresh optimizer",
                event="train.warm_start",
                data={"from": str(start.warm.path)},
            )
        self.announce_model()

        # 5. The loop; 6. the adapter and the report.
        outcome = self.train_loop(runner, train_rows, val_rows)
        if outcome.stage == "done":
            self.save_adapter()
        return outcome

    # 1-3: set-up ------------------------------------------------------------------------------

    def check_machine(self, config: dict[str, Any]) -> tuple[DeviceKind, Dtype]:
        """The device and dtype to train with; exit 3 when this machine cannot train."""
        facts = probe_facts()
        result = check_accelerator(config, facts, installed_packages())
        if result.status == "fail":
            raise WlError(
                "train.preflight",
                f"this machine cannot train this config: {result.message}",
                result.fix or "run `python -m wl_trainer check --config CONFIG` for details",
                ExitCode.PREFLIGHT_FAILED,
            )
        device = resolve_device(config["training"]["device"], facts)
        dtype = training_dtype(config["model"]["dtype"], device, supports_bf16(device, facts))
        if result.status == "warn":
            self.reporter.warning(result.message, fix=result.fix, event="train.machine")
        return device, dtype

    def run_info(self, config_path: str) -> dict[str, Any]:
        """run_info.json: written on the first start and read on every later one, so a resume
        tomorrow rebuilds the rows of the day the run started."""
        stored = read_json(self.folder.run_info)
        if isinstance(stored, dict) and "start_date" in stored:
            return stored
        info = {
            "start_date": date.today().isoformat(),
            "created_at": utc_timestamp(),
            "config": config_path,
        }
        write_json_atomic(self.folder.run_info, info)
        return info

    def validation_rows(self, config: dict[str, Any], today: date) -> PreparedDataset | None:
        """The validation rows when data.val is set (a warning when eval_every has none)."""
        if config["data"].get("val"):
            return prepare_dataset(
                config, self.tokenizer, "val", today=today, reporter=self.reporter
            )
        if config["training"].get("eval_every"):
            self.reporter.warning(
                "training.eval_every is set but data.val is not: no evaluation",
                fix="set data.val (make one with `wl-data split`)",
                event="train.no_val",
            )
        return None

    def count_resume(self, checkpoint: checkpoints.Checkpoint) -> Outcome | None:
        """Announce the resume and count it; the crash-loop outcome when it is one too many."""
        verdict = record_resume(self.folder.resume_metadata, checkpoint.path, checkpoint.step)
        data = {"step": verdict.step, "resume_count": verdict.count}
        self.reporter.emit(
            "warning", verdict.resume_message, event="train.resume", data=data, label="⚠️ RESUME: "
        )
        self.webhook.notify("resume", data)
        if verdict.crash_loop:
            self.reporter.error(
                verdict.crash_loop_message,
                event="train.crash_loop",
                fix="read train.log for what stops the run at this step; `--resume never` "
                "starts over",
                data=data,
            )
            self.webhook.notify("crash_loop", data)
            return Outcome("crash_loop", ExitCode.CRASH_LOOP, verdict.crash_loop_message)
        self.progress = Progress(**checkpoint.state["progress"])
        self.progress.resumes += 1
        self.clock.base = self.progress.elapsed_s  # time keeps counting across resumes
        return None

    def memory_settings(self, config: dict[str, Any], start: Start) -> MemorySettings:
        """The batch layout: settings adapted after an out-of-memory (kept in the checkpoint)
        win over the config's."""
        stored = start.resume.state.get("memory") if start.resume else None
        if stored:
            return MemorySettings(**stored)
        training = config["training"]
        return MemorySettings(
            training["micro_batch_size"],
            training["gradient_accumulation_steps"],
            training["gradient_checkpointing"],
        )

    def announce_model(self) -> None:
        """One line: parameters, attention, steps."""
        loaded = self.loaded
        total = loaded.trainable_parameters + loaded.frozen_parameters
        self.reporter.info(
            f"model ready: {loaded.trainable_parameters:,} of {total:,} parameters trained "
            f"(LoRA), {loaded.attention} attention, {self.schedule.total_steps} steps of "
            f"{self.schedule.rows_per_step} rows",
            event="train.model_ready",
            data={
                "trainable_parameters": loaded.trainable_parameters,
                "frozen_parameters": loaded.frozen_parameters,
                "attention": loaded.attention,
                "total_steps": self.schedule.total_steps,
            },
        )

    def finished_before(self) -> Outcome:
        """A start on a finished run: nothing to train, the report stands."""
        report = read_json(self.folder.report)
        self.report = report if isinstance(report, dict) else {}
        return Outcome(
            "done", ExitCode.OK, f"already trained: the adapter is in {self.folder.adapter}"
        )

    # 5: the loop ------------------------------------------------------------------------------

    def train_loop(
        self, runner: StepRunner, train_rows: PreparedDataset, val_rows: PreparedDataset | None
    ) -> Outcome:
        """Steps until the end, a stop, the budget, early stopping or a full disk."""
        total = self.schedule.total_steps
        first_step = self.first_step = self.progress.step
        self.metrics = MetricsLog(self.folder.metrics)
        self.tracker = open_tracker(
            self.config, self.folder.root, self.folder.root.name, self.reporter
        )
        self.pace = Pace()
        # On a Mac, steps that slow down mid-run usually mean the chip is throttling.
        self.throttle = StepTimeWatch() if self.device == "mps" else None
        self.board.update(
            stage="training",
            step=first_step,
            total_steps=total,
            cost_per_hour=self.budget.cost_per_hour,
            message=f"training from step {first_step} of {total}",
        )
        try:
            while self.progress.step < total:
                # Between steps: a stop request or the budget ends the run with a checkpoint.
                outcome = self.stop_between_steps(runner)
                if outcome is not None:
                    return outcome
                # One optimizer step (out-of-memory early on adapts the batch and retries).
                started = time.monotonic()
                result = runner.step(self.progress.step, train_rows, first_step)
                if result.adaptation is not None:
                    self.progress.adaptations.append(result.adaptation)
                    continue
                self.record_step(result, time.monotonic() - started)
                # After it: log, evaluate, checkpoint, maybe stop early.
                outcome = self.after_step(runner, result, val_rows)
                if outcome is not None:
                    return outcome
        finally:
            self.metrics.close()
            self.tracker.finish({"steps": self.progress.step, "final_loss": self.progress.loss})
        return Outcome("done", ExitCode.OK, f"trained {self.progress.step} steps")

    def stop_between_steps(self, runner: StepRunner) -> Outcome | None:
        """A stop request (exit 130) or the budget (exit 4) ends the run with a checkpoint."""
        if self.stop.requested:
            self.save_checkpoint(runner)
            return Outcome(
                "interrupted",
                ExitCode.INTERRUPTED,
                f"stopped by {self.stop.signal_name} at step {self.progress.step}; "
                "checkpoint saved — run the same command again to resume",
            )
        return self.check_budget(runner)

    def record_step(self, result: StepResult, seconds: float) -> None:
        """Count a finished step; a loss that is not a number ends the run at once."""
        if not math.isfinite(result.loss):
            raise WlError(
                "train.nonfinite_loss",
                f"the loss became {result.loss} at step {self.progress.step + 1}",
                "lower training.learning_rate (or use bf16/fp32 instead of fp16); then run "
                "again with --resume never",
            )
        progress = self.progress
        progress.step += 1
        progress.loss = result.loss
        progress.tokens += result.tokens
        progress.trained_tokens += result.trained_tokens
        progress.elapsed_s = self.clock.elapsed
        self.loop_seconds += seconds
        self.loop_tokens += result.tokens
        self.pace.add(seconds, result.tokens)
        slowdown = self.throttle.add(seconds) if self.throttle else None
        if slowdown:
            self.reporter.warning(slowdown, event="train.throttle")

    def after_step(
        self, runner: StepRunner, result: StepResult, val_rows: PreparedDataset | None
    ) -> Outcome | None:
        """Logging, evaluation, checkpoints and early stopping on their schedules."""
        step, total = self.progress.step, self.schedule.total_steps
        if should_log(step, self.config["monitoring"]["log_every"], total):
            self.log_step(result)
        if step - self.first_step == ETA_AFTER_STEPS and step < total:
            self.announce_eta()
        eval_every = self.config["training"].get("eval_every")
        evaluated = bool(
            val_rows is not None and eval_every and (step % eval_every == 0 or step == total)
        )
        if evaluated and val_rows is not None:
            self.run_evaluation(runner, val_rows)
        stopping_early = evaluated and self.patience_exhausted()
        if step % self.config["checkpoints"]["save_every"] == 0 or step == total or stopping_early:
            outcome = self.save_checkpoint(runner, evaluated)
            if outcome is not None:
                return outcome
        if not stopping_early:
            return None
        message = (
            f"stopped early at step {step}: eval loss did not improve for "
            f"{self.progress.evals_without_improvement} evaluations (best "
            f"{self.progress.best_eval_loss:.4f} at step {self.progress.best_step})"
        )
        self.reporter.info(message, event="train.early_stop")
        return Outcome("done", ExitCode.OK, message)

    def announce_eta(self) -> None:
        """After the first 100 steps (what users watch before walking away): how long the rest
        takes and, with a rate, what it costs."""
        step, total = self.progress.step, self.schedule.total_steps
        eta = self.pace.eta_s(total - step)
        cost = self.budget.cost(self.progress.elapsed_s + (eta or 0))
        self.reporter.info(
            f"{ETA_AFTER_STEPS} steps done without errors: {total - step} to go, ETA "
            f"{duration(eta)}" + (f", about ${cost:.2f} in all" if cost is not None else ""),
            event="train.eta",
            data={"step": step, "eta_s": eta, "projected_cost_usd": cost},
        )

    def log_step(self, result: StepResult) -> None:
        """A progress line, a metrics line and status.json for this step."""
        step, total = self.progress.step, self.schedule.total_steps
        values = {
            "step": step,
            "total_steps": total,
            "epoch": round(self.schedule.epoch_at(step), 4),
            "loss": result.loss,
            "lr": result.lr,
            "grad_norm": result.grad_norm,
            "tokens": self.progress.tokens,
            "tokens_per_s": self.pace.tokens_per_s,
            "eta_s": self.pace.eta_s(total - step),
            "elapsed_s": round(self.progress.elapsed_s, 3),
            "cost_usd": self.budget.cost(self.progress.elapsed_s),
            "memory_gb": device_memory_gb(self.device),
        }
        self.reporter.info(progress_line(values), event="train.step", data=values)
        self.metrics.write(
            "train", {k: v for k, v in values.items() if k not in ("total_steps", "eta_s")}
        )
        self.tracker.log(
            {f"train/{k}": v for k, v in values.items() if k in TRACKED and v is not None}, step
        )
        self.board.update(
            stage="training",
            **{k: v for k, v in values.items() if k not in ("grad_norm", "tokens")},
        )

    def run_evaluation(self, runner: StepRunner, rows: PreparedDataset) -> None:
        """Eval loss on the validation rows; tracks the best and the patience count."""
        self.board.update(stage="evaluating")
        loss = evaluate(self.loaded, rows, runner.memory.micro_batch_size)
        progress = self.progress
        progress.eval_loss = loss
        if progress.best_eval_loss is None or loss < progress.best_eval_loss:
            progress.best_eval_loss, progress.best_step = loss, progress.step
            progress.evals_without_improvement = 0
        else:
            progress.evals_without_improvement += 1
        self.metrics.write("eval", {"step": progress.step, "eval_loss": loss})
        self.tracker.log({"eval/loss": loss}, progress.step)
        self.reporter.info(
            f"eval loss {loss:.4f} at step {progress.step} (best {progress.best_eval_loss:.4f} "
            f"at step {progress.best_step})",
            event="train.eval",
            data={"step": progress.step, "eval_loss": loss},
        )
        self.board.update(stage="training", eval_loss=loss)

    def patience_exhausted(self) -> bool:
        """Early stopping: ``training.early_stopping_patience`` evaluations without a better
        eval loss."""
        patience = self.config["training"].get("early_stopping_patience")
        return bool(patience) and self.progress.evals_without_improvement >= patience

    def check_budget(self, runner: StepRunner) -> Outcome | None:
        """Warn once at 90 % of a cap; at 100 % save a checkpoint and stop (exit 4)."""
        elapsed = self.clock.elapsed
        verdict = self.budget.verdict(elapsed)
        if verdict == "warn" and not self.budget_warned:
            self.budget_warned = True
            self.reporter.warning(
                f"90 % of the budget used: {self.budget.describe(elapsed)}",
                event="train.budget_warning",
                fix="raise budget.max_usd / budget.max_hours to let the run finish",
            )
        if verdict != "stop":
            return None
        self.progress.elapsed_s = elapsed
        self.save_checkpoint(runner)
        return self.stopped(
            Outcome(
                "budget",
                ExitCode.BUDGET_REACHED,
                f"budget reached at step {self.progress.step}: "
                f"{self.budget.describe(elapsed)}; checkpoint saved",
            ),
            "raise budget.max_usd or budget.max_hours, then run again to resume",
        )

    # Checkpoints, adapter, report -------------------------------------------------------------

    def save_checkpoint(self, runner: StepRunner, evaluated: bool = False) -> Outcome | None:
        """Write a checkpoint for the current step, apply retention, then ask the disk guard;
        the outcome when the disk is too full to go on."""
        step = self.progress.step
        existing, _ = checkpoints.list_checkpoints(self.folder.checkpoints)
        if any(checkpoint.step == step for checkpoint in existing):
            return None  # saved already (a stop right after a scheduled save)
        self.board.update(stage="saving")
        state = {
            "progress": asdict(self.progress),
            "memory": asdict(runner.memory),
            "fingerprints": self.fingerprints.to_json(),
            "eval_loss": self.progress.eval_loss if evaluated else None,
            "total_steps": self.schedule.total_steps,
            "saved_at": utc_timestamp(),
        }
        saved = checkpoints.save_checkpoint(
            self.folder.checkpoints,
            step,
            model=self.loaded.model,
            optimizer=runner.optimizer,
            scheduler=runner.scheduler,
            state=state,
        )
        record_progress(self.folder.resume_metadata, saved.path, step)
        self.apply_retention()
        self.reporter.info(f"checkpoint saved: {saved.path.name}", event="train.checkpoint")
        self.board.update(stage="training")
        verdict, free = disk_verdict(self.folder.root, folder_bytes(saved.path))
        if verdict == "ok":
            return None
        if verdict == "warn":
            self.reporter.warning(
                f"disk nearly full: {free / 1e9:.1f} GB free, room for few more checkpoints",
                event="train.disk_warning",
                fix="free disk space, or lower checkpoints.keep_last",
            )
            return None
        return self.stopped(
            Outcome(
                "failed",
                ExitCode.ERROR,
                f"stopped at step {step} before the disk fills: {free / 1e9:.1f} GB free; "
                "checkpoint saved",
            ),
            "free disk space (or lower checkpoints.keep_last), then run again to resume",
            event="train.disk_full",
        )

    def stopped(self, outcome: Outcome, fix: str, event: str | None = None) -> Outcome:
        """Say on stderr why the run stops (an error line with its fix) and return the outcome."""
        self.reporter.error(outcome.message, event=event or f"train.{outcome.stage}", fix=fix)
        return outcome

    def apply_retention(self) -> None:
        """Delete checkpoints beyond the best ``keep_best`` and the last ``keep_last``."""
        found, _ = checkpoints.list_checkpoints(self.folder.checkpoints)
        settings = self.config["checkpoints"]
        doomed = set(
            to_delete(
                [Kept(checkpoint.step, checkpoint.eval_loss) for checkpoint in found],
                settings["keep_last"],
                settings["keep_best"],
            )
        )
        for checkpoint in found:
            if checkpoint.step in doomed:
                checkpoints.delete_checkpoint(checkpoint)

    def save_adapter(self) -> None:
        """The final adapter: PEFT files plus the tokenizer and chat template it was trained
        with, written atomically."""
        self.board.update(stage="saving", message="saving the adapter")
        with building_dir(self.folder.adapter) as folder:
            self.loaded.model.save_pretrained(folder)
            self.tokenizer.save_pretrained(folder)
        self.reporter.success(f"adapter saved: {self.folder.adapter}", event="train.adapter")

    def final_report(self, outcome: Outcome) -> dict[str, Any]:
        """report.json: what happened, for people and for wl-pull / wl-summary."""
        if outcome.stage == "done" and self.report:
            return self.report  # a finished run started again: the original report stands
        progress = self.progress
        found, _ = checkpoints.list_checkpoints(self.folder.checkpoints)
        schedule = getattr(self, "schedule", None)
        loaded: LoadedModel | None = getattr(self, "loaded", None)
        return {
            "schema": REPORT_SCHEMA,
            "status": outcome.stage,
            "exit_code": outcome.exit_code,
            "message": outcome.message,
            "steps": progress.step,
            "total_steps": schedule.total_steps if schedule else None,
            "epochs": round(schedule.epoch_at(progress.step), 4) if schedule else None,
            "final_loss": progress.loss,
            "eval_loss": progress.eval_loss,
            "best_eval_loss": progress.best_eval_loss,
            "best_step": progress.best_step,
            "resumes": progress.resumes,
            "seconds": round(progress.elapsed_s, 3),
            "loop_seconds": round(self.loop_seconds, 3),
            "tokens": progress.tokens,
            "trainable_tokens": progress.trained_tokens,
            "tokens_per_s": self.loop_tokens / self.loop_seconds if self.loop_seconds else None,
            "cost_usd": self.budget.cost(progress.elapsed_s) if hasattr(self, "budget") else None,
            "adapter_dir": str(self.folder.adapter) if self.folder.adapter.is_dir() else None,
            "checkpoints": [str(checkpoint.path) for checkpoint in found],
            "adaptations": progress.adaptations,
            "device": getattr(self, "device", None),
            "dtype": getattr(self, "dtype", None),
            "attention": loaded.attention if loaded else None,
            "trainable_parameters": loaded.trainable_parameters if loaded else None,
            "finished_at": utc_timestamp(),
        }

    def stage(self, stage: str, message: str) -> None:
        """Announce a stage on stderr and in status.json."""
        self.reporter.info(message, event=f"train.{stage}")
        self.board.update(stage=stage, message=message)
