// How a training ended, as wl-train reports it: the trainer's exit code (docs/training.md) →
// wl-train's exit code and, for a failure, the error the run document carries (code, message,
// fix). Every fix names a command that works on this run.
import { ExitCode, type ExitCodeValue, WlError } from "@wl/core";
import type { TrainStatus } from "./trainer-files.ts";
import type { TrainerLine } from "./trainer-lines.ts";

/** What is known when the trainer has ended. */
export interface EndFacts {
  /** The trainer's exit code; undefined when it ended without one (its launcher was killed). */
  exitCode: number | undefined;
  status?: TrainStatus;
  /** The trainer's last ❌ ERROR line. */
  lastError?: TrainerLine;
  /** Whether the adapter folder exists. */
  adapter: boolean;
  /** The latest complete checkpoint's folder name (step-000040), when there is one. */
  checkpoint?: string;
  /** train.log (or console.log when the trainer never wrote train.log). */
  log: string;
  /** The command that runs wl-train again on this run, e.g. wl-train --run runs/<id>/run.json */
  rerun: string;
}

const SIGNALS: Record<number, string> = {
  1: "SIGHUP",
  2: "SIGINT",
  6: "SIGABRT",
  9: "SIGKILL",
  11: "SIGSEGV",
  15: "SIGTERM",
};

/** wl-train's exit code for the trainer's: the shared table passes through, anything else is 1. */
export function wlExitCode(trainerExitCode: number | undefined): ExitCodeValue {
  const known: readonly number[] = Object.values(ExitCode);
  return trainerExitCode !== undefined && known.includes(trainerExitCode)
    ? (trainerExitCode as ExitCodeValue)
    : ExitCode.error;
}

/** The failure to record, or undefined when training succeeded. */
export function trainFailure(facts: EndFacts): WlError | undefined {
  const { exitCode, status, lastError, log, rerun } = facts;
  const at = stepText(status);
  const said = lastError?.message ?? status?.message ?? undefined;
  const resumeFix = facts.checkpoint
    ? `run ${rerun} again: it resumes from ${facts.checkpoint}`
    : `run ${rerun} again`;
  const saved = facts.checkpoint
    ? `; checkpoint ${facts.checkpoint} is saved`
    : "; no checkpoint yet (it stopped before the first one)";
  switch (exitCode) {
    case undefined:
      return new WlError(
        "train.lost",
        `the trainer ended without an exit code${at} (its launcher was killed, or the machine restarted)`,
        `read ${log}, then ${resumeFix}`,
      );
    case ExitCode.ok:
      if (facts.adapter) return undefined;
      return new WlError(
        "train.no_adapter",
        `the trainer exited 0 but wrote no adapter${at}`,
        `read ${log}; then train again from the start: ${rerun} --resume never`,
      );
    case ExitCode.crashLoop:
      return new WlError(
        "train.crash_loop",
        said ?? `crash loop: training resumed 3+ times from the same step${at}`,
        `read ${log} to see why it fails at that step and fix it, then start again from the last checkpoint's weights: ${rerun} --warm-start (or --resume never to start from scratch)`,
        { exitCode: ExitCode.crashLoop },
      );
    case ExitCode.preflightFailed:
      return new WlError(
        "train.refused",
        `the trainer refused to start: ${said ?? "see its log"}`,
        lastError?.fix ?? `read ${log}`,
        { exitCode: ExitCode.preflightFailed },
      );
    case ExitCode.budgetReached:
      return new WlError(
        "train.budget",
        `budget or time cap reached${at}${said ? ` (${said})` : ""}${saved}`,
        `raise budget.max_usd or budget.max_hours, then continue: ${rerun} --set budget.max_usd=…`,
        { exitCode: ExitCode.budgetReached },
      );
    case ExitCode.interrupted:
      return new WlError(
        "train.interrupted",
        `the trainer was stopped (SIGTERM or SIGINT)${at}${saved}`,
        resumeFix,
        { exitCode: ExitCode.interrupted },
      );
    case ExitCode.error:
      return new WlError(
        "train.failed",
        `the trainer failed${at}: ${said ?? "no error line in its log"}`,
        lastError?.fix ? `${lastError.fix}; then ${resumeFix}` : `read ${log}; then ${resumeFix}`,
      );
    default: {
      const signal = exitCode > 128 ? SIGNALS[exitCode - 128] : undefined;
      const how = signal
        ? `was killed by ${signal}${signal === "SIGKILL" ? " (out of memory?)" : ""}`
        : `exited ${exitCode}`;
      return new WlError(
        "train.failed",
        `the trainer ${how}${at}`,
        `read ${log} (and dmesg for the OOM killer); then ${resumeFix}`,
      );
    }
  }
}

/** " at step 40/100"; nothing before the first step (the trainer had not started training). */
function stepText(status: TrainStatus | undefined): string {
  if (!status?.step) return "";
  return status.total_steps
    ? ` at step ${status.step}/${status.total_steps}`
    : ` at step ${status.step}`;
}
