// wl-train as a pipe tool in the core frame: a run document in (stdin, --run FILE, or a new run
// from --config), the `train` section out. It always acts, for one reason: a document that
// wl-train itself failed (interrupted, budget, crash) is retried — running it again resumes.
import {
  type CommonOptions,
  type Reporter,
  type RunDoc,
  secretsFromEnv,
  type ToolIO,
  type ToolSpec,
} from "@wl/core";
import type { Argv } from "yargs";
import { TOOL, train } from "./train.ts";

/** wl-train's own options. */
export interface TrainToolOptions {
  local: boolean;
  detach: boolean;
  resume?: "auto" | "never";
  warmStart: boolean;
}

/** The tool; `io` gives it stderr for the trainer's lines and the signals that stop following. */
export function trainTool(
  io: Pick<ToolIO, "stderr" | "signals"> & { cwd?: string },
): ToolSpec<TrainToolOptions> {
  return {
    tool: TOOL,
    summary: "runs the trainer detached (tmux) on this machine and follows it to the end",
    startsPipe: true,
    alwaysActs: true,
    options: (argv) =>
      argv
        .example("wl-train --config configs/cpu-smoke.yaml", "start a run and follow it to the end")
        .example("wl-preflight --config FILE | wl-train --detach", "start it and return")
        .example("wl-train --run runs/<id>/run.json", "run again: follow or resume the run")
        .example("wl-train status RUN [--json]", "progress, ETA, cost, alive or not")
        .example("wl-train logs RUN [-f]", "the trainer's log (-f: until it ends)")
        .example("wl-train attach RUN", "the trainer's terminal (its tmux session)")
        .example("wl-train stop RUN [--timeout S]", "stop it: a checkpoint is saved, exit 130")
        .option("local", {
          type: "boolean",
          default: false,
          describe: "Train on this machine even when compute.backend is ssh or runpod",
        })
        .option("detach", {
          type: "boolean",
          default: false,
          describe: "Return right after the start (train.stage started) instead of following",
        })
        .option("resume", {
          choices: ["auto", "never"] as const,
          describe: "never: start fresh (earlier checkpoints are moved aside, not deleted)",
        })
        .option("warm-start", {
          type: "boolean",
          default: false,
          describe: "Start fresh from the latest checkpoint's adapter weights (after a crash loop)",
        }) as unknown as Argv<CommonOptions & TrainToolOptions>,
    act: async (doc, { options, report, env }) => {
      const own = doc.status === "failed" && doc.error?.step === TOOL;
      if (doc.status === "failed" && !own) return passOn(doc, report);
      if (own && doc.error) {
        report.info(`running again after ${doc.error.code}: ${doc.error.message}`, {
          event: "train.retry",
        });
      }
      if (own) clearOwnFailure(doc);
      return train(doc, {
        local: options.local,
        detach: options.detach,
        ...(options.resume ? { resume: options.resume } : {}),
        warmStart: options.warmStart,
        report,
        env,
        stderr: io.stderr,
        format: options.logFormat,
        secrets: secretsFromEnv(env),
        ...(io.signals ? { signals: io.signals } : {}),
        cwd: io.cwd ?? process.cwd(),
      });
    },
  };
}

/** A document failed upstream goes on untouched, as the frame passes failures on. */
function passOn(doc: RunDoc, report: Reporter): RunDoc {
  const upstream = doc.error;
  report.warning(
    `skipped: ${upstream?.step ?? "an earlier step"} failed (${upstream?.message ?? "no reason recorded"})`,
    { event: "step.skipped", ...(upstream ? { fix: upstream.fix } : {}) },
  );
  return doc;
}

/**
 * Clears wl-train's own failure to try again. In place, on purpose: the frame marks the document
 * it passed in when the step throws or is interrupted, and that must be the retried run's state —
 * not the old failure with its old exit code.
 */
function clearOwnFailure(doc: RunDoc): void {
  delete doc.error;
  doc.status = "ok";
}
