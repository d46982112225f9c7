// Whether the trainer of a run is still running. docs/training.md: decide from the pid on the
// same host, else from the heartbeat's age — never from `stage` alone (SIGKILL leaves it behind).
import { stat } from "node:fs/promises";
import { hostname } from "node:os";
import { type LaunchInfo, readLaunch } from "./launch-info.ts";
import { processMatches } from "./processes.ts";
import { readIntFile, type TrainFolder } from "./train-folder.ts";
import { readStatus, type TrainStatus } from "./trainer-files.ts";

/** The trainer writes status.json at least every 30 s; three missed beats mean it is gone. */
export const HEARTBEAT_STALE_S = 90;

/** What the trainer process looks like from its folder. */
export interface TrainerState {
  running: boolean;
  status?: TrainStatus;
  launch?: LaunchInfo;
  /** The launcher (tmux pane's shell, or the detached shell) is alive. */
  launcherAlive: boolean;
  /** The trainer's pid (trainer.pid, else status.json's on this host) and whether it lives. */
  trainerPid?: number;
  trainerAlive: boolean;
  /** The launcher's record of how the trainer exited (the exit_code file). */
  exitCode?: number;
  /** The launcher waits for its environment: wl-train died while starting it. */
  waitingForEnv: boolean;
}

/** Seconds since the status's heartbeat; undefined without one. */
export function heartbeatAgeS(status: TrainStatus, now = Date.now()): number | undefined {
  if (!status.heartbeat) return undefined;
  const beat = Date.parse(status.heartbeat);
  return Number.isNaN(beat) ? undefined : Math.max(0, (now - beat) / 1000);
}

/** Alive per the contract: ended (exit_code) → no; same host → its pid; else a fresh heartbeat. */
export async function aliveFromStatus(
  status: TrainStatus,
  options: { host?: string; now?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<boolean> {
  if (status.exit_code !== undefined && status.exit_code !== null) return false;
  if (status.pid && status.host === (options.host ?? hostname())) {
    return processMatches(status.pid, "wl_trainer", options.env);
  }
  const age = heartbeatAgeS(status, options.now);
  return age !== undefined && age <= HEARTBEAT_STALE_S;
}

/** Reads the folder and checks the processes: is a trainer running for this run? */
export async function trainerState(
  folder: TrainFolder,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TrainerState> {
  const [status, launch, exitCode, pidFile] = await Promise.all([
    readStatus(folder.status),
    readLaunch(folder.launch),
    readIntFile(folder.exitCode),
    readIntFile(folder.trainerPid),
  ]);
  const launcherAlive =
    launch !== undefined && (await processMatches(launch.pid, folder.launchScript, env));
  const trainerPid =
    pidFile ?? (status?.host === hostname() ? (status.pid ?? undefined) : undefined);
  const trainerAlive =
    trainerPid !== undefined &&
    (status?.exit_code === undefined || status.exit_code === null || status.pid !== trainerPid) &&
    (await processMatches(trainerPid, "wl_trainer", env));
  const waitingForEnv = launcherAlive && (await exists(folder.envFifo));
  return {
    running: exitCode === undefined && (launcherAlive || trainerAlive),
    ...(status ? { status } : {}),
    ...(launch ? { launch } : {}),
    launcherAlive,
    ...(trainerPid !== undefined ? { trainerPid } : {}),
    trainerAlive,
    ...(exitCode !== undefined ? { exitCode } : {}),
    waitingForEnv,
  };
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
