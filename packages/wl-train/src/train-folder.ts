// The trainer's run folder, <run_dir>/train: what wl-train writes to start the trainer there and
// what the trainer writes back (docs/training.md). Every file name lives here.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** The trainer's folder inside a run folder. */
export const TRAIN_SUBDIR = "train";

/** Paths inside one trainer run folder. */
export interface TrainFolder {
  dir: string;
  /** The resolved config the trainer reads (mode 0600: it may hold a webhook URL). */
  config: string;
  /** The launcher script: runs the trainer and records its exit code. */
  launchScript: string;
  /** The FIFO that hands the environment to the launcher (never argv, never disk). */
  envFifo: string;
  /** How the current launcher was started (launch.json). */
  launch: string;
  /** Held by the wl-train that is deciding whether to start the trainer (start-lock.ts). */
  lock: string;
  /** The trainer's pid, written by the launcher just before it execs Python. */
  trainerPid: string;
  /** The trainer's exit code, written by the launcher when it ends. */
  exitCode: string;
  /** The terminal output (tmux pane, or the detached process's stdout and stderr). */
  console: string;
  status: string;
  log: string;
  report: string;
  adapter: string;
  checkpoints: string;
}

/** The trainer folder of the run folder `runDir`. */
export function trainFolder(runDir: string): TrainFolder {
  const dir = join(runDir, TRAIN_SUBDIR);
  return {
    dir,
    config: join(dir, "config.json"),
    launchScript: join(dir, "launch.sh"),
    envFifo: join(dir, ".env.fifo"),
    launch: join(dir, "launch.json"),
    lock: join(dir, "launch.lock"),
    trainerPid: join(dir, "trainer.pid"),
    exitCode: join(dir, "exit_code"),
    console: join(dir, "console.log"),
    status: join(dir, "status.json"),
    log: join(dir, "train.log"),
    report: join(dir, "report.json"),
    adapter: join(dir, "adapter"),
    checkpoints: join(dir, "checkpoints"),
  };
}

/** A small text file's content, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/** An integer written by the launcher (exit_code, trainer.pid), or undefined when absent. */
export async function readIntFile(file: string): Promise<number | undefined> {
  const text = (await readIfExists(file))?.trim();
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}
