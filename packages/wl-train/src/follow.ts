// Following a trainer until it ends: new log lines as they are written, status.json as it
// changes, and the end from the launcher's exit_code file (or, when the launcher was killed, from
// the processes being gone). Following never touches the trainer: stopping it stops nothing.
import { hostname } from "node:os";
import type { LogTail } from "./log-tail.ts";
import { pidAlive, sleep } from "./processes.ts";
import { readIntFile, type TrainFolder } from "./train-folder.ts";
import { readStatus, type TrainStatus } from "./trainer-files.ts";

/** How often the folder is read while following. */
export const POLL_MS = 500;

export interface FollowOptions {
  folder: TrainFolder;
  tail: LogTail;
  /** The launcher's pid (tmux pane or detached shell), when wl-train started it. */
  launcherPid?: number;
  /** The trainer's pid, when known (else read from trainer.pid as it appears). */
  trainerPid?: number;
  onLine: (line: string) => void;
  onStatus?: (status: TrainStatus) => void;
  signal?: AbortSignal;
  intervalMs?: number;
}

/** How following ended: the trainer ended (with its exit code when known), or we stopped. */
export type FollowEnd = { ended: true; exitCode: number | undefined } | { ended: false };

/** Follows the trainer of `folder` until it ends or `signal` aborts. */
export async function followTrainer(options: FollowOptions): Promise<FollowEnd> {
  const { folder, tail, signal } = options;
  let trainerPid = options.trainerPid;
  const finish = async (exitCode: number | undefined): Promise<FollowEnd> => {
    for (const line of await tail.read(true)) options.onLine(line);
    return { ended: true, exitCode };
  };
  for (;;) {
    for (const line of await tail.read()) options.onLine(line);
    const status = await readStatus(folder.status).catch(() => undefined);
    if (status) options.onStatus?.(status);
    const exitCode = await readIntFile(folder.exitCode);
    if (exitCode !== undefined) return finish(exitCode);
    trainerPid ??= await readIntFile(folder.trainerPid);
    const running = status?.exit_code === undefined || status.exit_code === null;
    const statusPid = running && status?.host === hostname() ? status.pid : undefined;
    const pids = [options.launcherPid, trainerPid, statusPid ?? undefined];
    if (!pids.some((pid) => pid !== undefined && pidAlive(pid))) {
      // The launcher writes exit_code as it exits: look once more before calling it lost.
      const late = await readIntFile(folder.exitCode);
      const finalStatus = await readStatus(folder.status).catch(() => undefined);
      return finish(late ?? finalStatus?.exit_code ?? undefined);
    }
    if (signal?.aborted) return { ended: false };
    await sleep(options.intervalMs ?? POLL_MS, signal);
    if (signal?.aborted) return { ended: false };
  }
}
