// `wl-train status RUN [--json]`: where the training stands — stage, step, loss, ETA, cost — and
// whether the trainer is alive (its pid on this host, else its heartbeat's age).
import { hostname } from "node:os";
import { join } from "node:path";
import { WlError } from "@wl/core";
import { aliveFromStatus, heartbeatAgeS, type TrainerState, trainerState } from "../alive.ts";
import { formatDuration, formatStatus } from "../format.ts";
import { runRef } from "../resolve-run.ts";
import { trainFolder } from "../train-folder.ts";
import { STATUS_SCHEMA, type TrainStatus } from "../trainer-files.ts";
import type { CommandContext } from "./context.ts";

/** Whether the trainer is alive, and what says so. */
export interface Liveness {
  alive: boolean;
  by: string;
}

/** Alive per docs/training.md, with the launcher's records first (they are exact). */
export async function liveness(
  state: TrainerState,
  env: NodeJS.ProcessEnv,
  now = Date.now(),
): Promise<Liveness> {
  if (state.exitCode !== undefined) return { alive: false, by: `exited ${state.exitCode}` };
  if (state.trainerAlive) return { alive: true, by: `pid ${state.trainerPid} on this host` };
  if (state.launcherAlive) {
    return { alive: true, by: `launcher pid ${state.launch?.pid}, the trainer is starting` };
  }
  const status = state.status;
  if (status === undefined) return { alive: false, by: "no process" };
  if (status.exit_code !== undefined && status.exit_code !== null) {
    return { alive: false, by: `exited ${status.exit_code}` };
  }
  if (status.host && status.host !== hostname()) {
    const age = heartbeatAgeS(status, now);
    const alive = await aliveFromStatus(status, { now, env });
    const beat = age === undefined ? "no heartbeat" : `heartbeat ${formatDuration(age)} ago`;
    return { alive, by: `${beat} from ${status.host}` };
  }
  return {
    alive: false,
    by: status.pid ? `pid ${status.pid} is gone (killed?)` : "no process",
  };
}

/** Prints the status on stdout; exit 0 whenever there is a training to report on. */
export async function statusCommand(
  { io, location, cwd }: CommandContext,
  options: { json: boolean },
): Promise<number> {
  const folder = trainFolder(location.runDir);
  const ref = runRef(location.runDir, cwd);
  const state = await trainerState(folder, io.env);
  if (state.status === undefined && state.launch === undefined && !state.running) {
    throw new WlError(
      "train.not_started",
      `no training in ${ref}: no ${folder.status}`,
      `start it with wl-train --run ${join(ref, "run.json")}`,
    );
  }
  const { alive, by } = await liveness(state, io.env);
  const status: TrainStatus = state.status ?? { schema: STATUS_SCHEMA, stage: "started" };
  if (options.json) {
    const object = state.status ? { ...state.status, alive } : { stage: "started", alive };
    io.stdout.write(`${JSON.stringify(object)}\n`);
    return 0;
  }
  const age = state.status ? heartbeatAgeS(state.status) : undefined;
  const session = state.launch?.session;
  const text = formatStatus(status, {
    alive,
    aliveBy: by,
    ...(age !== undefined ? { heartbeatAgeS: age } : {}),
    runDir: ref,
    ...(session ? { attach: `tmux attach -t ${session} (or wl-train attach ${ref})` } : {}),
  });
  io.stdout.write(`${text}\n`);
  return 0;
}
