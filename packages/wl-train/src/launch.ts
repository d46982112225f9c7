// Starting the trainer detached from wl-train: launch.sh runs it in a tmux session (or, without
// tmux, in a process of its own session, like setsid) and records its pid and exit code. The
// environment reaches launch.sh through a FIFO, so secrets are never in argv or on disk, and a
// tmux server started long ago by another shell does not hand the trainer its stale environment.
import { spawn } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { mkdir, open, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { WlError, writeFileAtomic } from "@wl/core";
import { execa } from "execa";
import { type LaunchInfo, writeLaunch } from "./launch-info.ts";
import { pidAlive, sleep } from "./processes.ts";
import { exportLines, shellQuote } from "./shell.ts";
import type { Tmux } from "./tmux.ts";
import { readIntFile, type TrainFolder } from "./train-folder.ts";

/** How long the launcher may take to read its environment before the start is called failed. */
const ENV_HANDOVER_MS = 15_000;
/** How long to wait for trainer.pid after the environment was handed over. */
const TRAINER_PID_MS = 10_000;

/** What to start and where. */
export interface LaunchPlan {
  folder: TrainFolder;
  /** The trainer's command line: python -m wl_trainer train … */
  command: string[];
  /** The trainer's environment. */
  trainerEnv: NodeJS.ProcessEnv;
  /** wl-train's own environment, for mkfifo and tmux. */
  toolEnv: NodeJS.ProcessEnv;
  /** The tmux session to start it in; undefined: run detached without tmux. */
  tmux?: { tmux: Tmux; session: string };
}

/** A started launcher, and the trainer's pid once the launcher wrote it. */
export interface Launched {
  info: LaunchInfo;
  trainerPid?: number;
}

/** The launcher script: trap, read the environment, run the trainer, record pid and exit code. */
export function launchScript(folder: TrainFolder, command: readonly string[]): string {
  const words = command.map(shellQuote).join(" ");
  return [
    "#!/bin/sh",
    "# Written by wl-train: runs the trainer, records its pid (trainer.pid) and exit code",
    "# (exit_code). The environment arrives from wl-train through .env.fifo: never argv or disk.",
    "# Signals are trapped, not ignored, so the trainer gets them as usual (Ctrl+C when attached",
    "# reaches it) while this shell lives on to write the exit code.",
    "trap ':' INT TERM HUP",
    `cd ${shellQuote(folder.dir)} || exit 1`,
    ". ./.env.fifo",
    "rm -f ./.env.fifo",
    `/bin/sh -c 'echo $$ > trainer.pid.tmp && mv -f trainer.pid.tmp trainer.pid && exec "$@"' wl-trainer ${words}`,
    "code=$?",
    'echo "$code" > exit_code.tmp && mv -f exit_code.tmp exit_code',
    'exit "$code"',
    "",
  ].join("\n");
}

/** Starts launch.sh detached and hands it the environment; returns once the trainer runs. */
export async function launchTrainer(plan: LaunchPlan): Promise<Launched> {
  const { folder } = plan;
  await mkdir(folder.dir, { recursive: true });
  for (const stale of ["exit_code", "exit_code.tmp", "trainer.pid", "trainer.pid.tmp"]) {
    await rm(`${folder.dir}/${stale}`, { force: true });
  }
  await rm(folder.envFifo, { force: true });
  await writeFileAtomic(folder.launchScript, launchScript(folder, plan.command), 0o755);
  await makeFifo(folder.envFifo, plan.toolEnv);

  const started_at = new Date().toISOString();
  const pid = plan.tmux
    ? await plan.tmux.tmux.newSession(plan.tmux.session, folder.dir, [
        "/usr/bin/env",
        "-i",
        "/bin/sh",
        folder.launchScript,
      ])
    : await spawnDetached(folder);
  const info: LaunchInfo = {
    schema: "wl.train-launch/1",
    launcher: plan.tmux ? "tmux" : "setsid",
    ...(plan.tmux ? { session: plan.tmux.session } : {}),
    pid,
    host: hostname(),
    started_at,
    command: plan.command,
  };
  try {
    if (plan.tmux) await plan.tmux.tmux.pipePane(plan.tmux.session, folder.console);
    await writeLaunch(folder.launch, info);
    await handOverEnv(folder.envFifo, exportLines(plan.trainerEnv), pid);
  } catch (error) {
    await abandon(plan, pid);
    throw error instanceof WlError
      ? error
      : new WlError(
          "train.launch_failed",
          `the trainer's launcher did not start: ${(error as Error).message}`,
          `read ${folder.console}, then run wl-train again`,
          { cause: error },
        );
  } finally {
    await rm(folder.envFifo, { force: true });
  }
  const trainerPid = await waitForPid(folder, pid);
  return { info, ...(trainerPid !== undefined ? { trainerPid } : {}) };
}

async function makeFifo(file: string, env: NodeJS.ProcessEnv): Promise<void> {
  const result = await execa("mkfifo", ["-m", "600", file], {
    env,
    extendEnv: false,
    reject: false,
  });
  if (result.exitCode !== 0) {
    throw new WlError(
      "train.launch_failed",
      `cannot make the FIFO ${file}: ${String(result.stderr).trim() || `exit ${result.exitCode}`}`,
      "check that the run folder is writable and mkfifo (coreutils) is on PATH",
    );
  }
}

/** Without tmux: /bin/sh launch.sh in a new session (setsid), output appended to console.log. */
async function spawnDetached(folder: TrainFolder): Promise<number> {
  const output = await open(folder.console, "a", 0o600);
  try {
    const child = spawn("/bin/sh", [folder.launchScript], {
      cwd: folder.dir,
      detached: true,
      env: {},
      stdio: ["ignore", output.fd, output.fd],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once("spawn", () => resolve(child.pid as number));
      child.once("error", reject);
    });
    child.unref();
    return pid;
  } finally {
    await output.close();
  }
}

/** Writes the environment into the FIFO; fails when the launcher dies or does not read it. */
async function handOverEnv(fifo: string, text: string, launcherPid: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const writing = writeFile(fifo, text); // opening blocks until the launcher opens its end
  const failed = new Promise<never>((_, reject) => {
    const deadline = Date.now() + ENV_HANDOVER_MS;
    const check = () => {
      if (!pidAlive(launcherPid)) {
        reject(new Error("it exited before it read its environment"));
      } else if (Date.now() > deadline) {
        reject(new Error(`it did not read its environment within ${ENV_HANDOVER_MS / 1000} s`));
      } else {
        timer = setTimeout(check, 100);
      }
    };
    timer = setTimeout(check, 100);
  });
  try {
    await Promise.race([writing, failed]);
  } catch (error) {
    // Release the writer still waiting for a reader, then let it fail.
    try {
      closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
    } catch {
      // already gone
    }
    await writing.catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** A launcher that could not be given its environment is ended (it traps TERM and HUP, and has
 * started nothing yet: SIGKILL loses nothing). */
async function abandon(plan: LaunchPlan, pid: number): Promise<void> {
  if (pidAlive(pid)) process.kill(pid, "SIGKILL");
  if (plan.tmux) await plan.tmux.tmux.killSession(plan.tmux.session);
}

/** trainer.pid, written by the launcher right before it execs Python. */
async function waitForPid(folder: TrainFolder, launcherPid: number): Promise<number | undefined> {
  const deadline = Date.now() + TRAINER_PID_MS;
  while (Date.now() < deadline) {
    const pid = await readIntFile(folder.trainerPid);
    if (pid !== undefined) return pid;
    if (!pidAlive(launcherPid)) return undefined;
    await sleep(50);
  }
  return undefined;
}
