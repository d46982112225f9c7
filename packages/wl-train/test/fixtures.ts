// Real files and processes for the tests: temp folders, run folders with a run.json, a tmux of
// the test's own (its own socket folder, so the user's tmux server is never touched), and
// processes whose command line looks like the trainer's.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUN_SCHEMA, type RunDoc, saveRunDoc } from "@wl/core";
import { execa } from "execa";

const made: string[] = [];

/** A fresh folder under the OS temp dir; `removeTempDirs` deletes it. */
export async function tempDir(prefix = "wl-train-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Deletes every folder `tempDir` made. */
export async function removeTempDirs(): Promise<void> {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** A minimal valid run document for `runDir`. */
export function runDoc(runDir: string, runId: string, extra: Partial<RunDoc> = {}): RunDoc {
  return {
    schema: RUN_SCHEMA,
    run_id: runId,
    created_at: "2026-11-23T12:00:00.000Z",
    status: "ok",
    paths: { run_dir: runDir },
    steps: [],
    ...extra,
  };
}

/** A run folder with its run.json under `root`. */
export async function makeRun(root: string, runId: string): Promise<RunDoc> {
  const doc = runDoc(join(root, runId), runId);
  await mkdir(doc.paths.run_dir, { recursive: true });
  await saveRunDoc(doc, []);
  return doc;
}

/** An environment whose tmux server lives in `dir` (TMUX_TMPDIR), apart from any other. */
export function tmuxEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { TMUX: _tmux, TMUX_PANE: _pane, ...env } = process.env;
  return { ...env, TMUX_TMPDIR: dir, NO_COLOR: "1", ...extra };
}

/** Ends the tmux server of `env` (and with it every session a test left behind). */
export async function killTmuxServer(env: NodeJS.ProcessEnv): Promise<void> {
  await execa("tmux", ["kill-server"], { env, extendEnv: false, reject: false });
}

/** True when tmux is installed (scripts/setup --dev installs it). */
export const hasTmux = (await execa("tmux", ["-V"], { reject: false })).exitCode === 0;

/** A live process whose command line contains `wl_trainer`, as a trainer's does. */
export function trainerLikeProcess(): { pid: number; stop: () => void } {
  const child = spawn("/bin/sh", ["-c", "sleep 60; :", "wl_trainer"], { stdio: "ignore" });
  return { pid: child.pid as number, stop: () => child.kill("SIGKILL") };
}

/** The pid of a process that has ended (and been reaped). */
export async function deadPid(): Promise<number> {
  const result = await execa("/bin/sh", ["-c", "echo $$"]);
  return Number(result.stdout.trim());
}

/** Writes JSON to `file`, creating its folder. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
