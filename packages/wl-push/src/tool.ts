// wl-push as a pipe tool in the core frame: a run document in (stdin, --run FILE, or a new run
// from --config), the `push` section out.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type CommonOptions, type ToolSpec, WlError } from "@wl/core";
import type { Argv } from "yargs";
import { push, TOOL } from "./push.ts";

/** The repository's trainer/ folder, beside packages/. */
const REPO_TRAINER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../trainer");

/** wl-push's own options. */
export interface PushToolOptions {
  remoteDir?: string;
  attempts: number;
}

/** The trainer folder to pack: $WL_TRAINER_DIR, else the repository's trainer/. */
export function trainerDirOf(env: NodeJS.ProcessEnv): string {
  return env.WL_TRAINER_DIR ? resolve(env.WL_TRAINER_DIR) : REPO_TRAINER_DIR;
}

/** The tool. */
export function pushTool(): ToolSpec<PushToolOptions> {
  return {
    tool: TOOL,
    summary: "uploads data, config and trainer to the SSH host, verified by sha256",
    startsPipe: true,
    options: (argv) =>
      argv
        .example("wl-preflight --config FILE | wl-push | wl-train", "push, then train there")
        .example("wl-push --config FILE", "start a run and push it to compute.ssh")
        .example("wl-push --run runs/<id>/run.json", "push again: only what changed is sent")
        .option("remote-dir", {
          type: "string",
          describe: "The run folder on the host (default ~/wl-runs/<run-id>)",
        })
        .option("attempts", {
          type: "number",
          default: 5,
          describe: "Connection attempts (with backoff) before giving up",
        }) as unknown as Argv<CommonOptions & PushToolOptions>,
    act: async (doc, { options, report, env }) => {
      if (!Number.isInteger(options.attempts) || options.attempts < 1) {
        throw new WlError(
          "usage",
          `Expected --attempts to be a whole number ≥ 1, got ${options.attempts}`,
          "pass --attempts 5 (the default) or another count",
        );
      }
      return push(doc, {
        ...(options.remoteDir !== undefined ? { remoteDir: options.remoteDir } : {}),
        trainerDir: trainerDirOf(env),
        report,
        env,
        retry: { attempts: options.attempts },
      });
    },
  };
}
