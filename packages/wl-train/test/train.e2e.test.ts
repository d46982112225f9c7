// End to end, slow (about two minutes): the real bin, the REAL trainer (python -m wl_trainer
// train) on a tiny random-weight Llama on the CPU, in a real tmux (a server of the test's own) —
// or, in the last test, with no tmux on PATH at all. Nothing stands in for the product.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventSchema, findTrainerPython, type RunDoc, runDocSchema, runTrainer } from "@wl/core";
import { execa, type ResultPromise } from "execa";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { trainerState } from "../src/alive.ts";
import { readLaunch } from "../src/launch-info.ts";
import { pidAlive, sleep } from "../src/processes.ts";
import { readIntFile, trainFolder } from "../src/train-folder.ts";
import { readStatus, type TrainStatus } from "../src/trainer-files.ts";
import { hasTmux, killTmuxServer, removeTempDirs, tempDir, tmuxEnv } from "./fixtures.ts";

const BIN = fileURLToPath(new URL("../bin/wl-train.js", import.meta.url));
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const python = findTrainerPython();
const trainerHasTrain =
  python !== undefined && (await runTrainer(python, ["train", "--help"])).exitCode === 0;

let ws: string;
let tmuxDir: string;
let cacheDir: string;
let config: string;
/** A longer run, for stopping it while it trains. */
let longConfig: string;

beforeAll(async () => {
  if (!python || !trainerHasTrain) return;
  ws = await tempDir("wl-train-e2e-");
  tmuxDir = await tempDir("wl-train-tmux-");
  cacheDir = join(ws, "cache");
  const model = join(ws, "tiny-llama");
  const built = await runTrainer(python, ["tiny-model", "--arch", "llama", model]);
  expect(built.exitCode, built.stderr).toBe(0);
  // One sample of the weather set fits in 512 tokens: each step is quick on a CPU.
  config = join(ws, "wl.yaml");
  await writeConfig(config, model, 10);
  longConfig = join(ws, "long.yaml");
  await writeConfig(longConfig, model, 30);
});

afterEach(async () => {
  if (!ws) return;
  await killTmuxServer(tmuxEnv(tmuxDir));
  await killLeftoverTrainers(ws);
});
afterAll(removeTempDirs);

async function writeConfig(file: string, model: string, maxSteps: number): Promise<void> {
  const yaml = [
    "name: e2e",
    "model:",
    `  base: ${model}`,
    "  dtype: fp32",
    "data:",
    `  train: ${join(REPO, "data/weather/sample-train.jsonl")}`,
    "  max_seq_length: 512",
    "lora: {r: 8, alpha: 16, dropout: 0.0}",
    "training:",
    "  device: cpu",
    "  epochs: 100",
    `  max_steps: ${maxSteps}`,
    "  micro_batch_size: 1",
    "  gradient_accumulation_steps: 1",
    "  learning_rate: 1e-3",
    "  warmup_ratio: 0.0",
    "checkpoints: {save_every: 2, keep_last: 2}",
    "monitoring: {log_every: 1}",
    "compute: {backend: local, min_free_disk_gb: 0}",
  ];
  await writeFile(file, `${yaml.join("\n")}\n`);
}

/** What one run of the bin gave back. */
interface BinRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  lines: string[];
}

interface Options {
  env?: NodeJS.ProcessEnv;
  input?: string;
  runsDir: string;
}

function environment(options: Options): NodeJS.ProcessEnv {
  return tmuxEnv(tmuxDir, {
    WL_RUNS_DIR: options.runsDir,
    WL_CACHE_DIR: cacheDir,
    HF_HUB_OFFLINE: "1",
    ...options.env,
  });
}

/** Starts `node bin/wl-train.js ARGS` (cwd: the workspace); never rejects. */
function start(args: string[], options: Options): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    extendEnv: false,
    env: environment(options),
    input: options.input ?? "",
    cwd: ws,
  }) as ResultPromise<{ reject: false }>;
}

async function wlTrain(args: string[], options: Options): Promise<BinRun> {
  return collect(await start(args, options));
}

function collect(result: { exitCode?: number; stdout: unknown; stderr: unknown }): BinRun {
  const stderr = String(result.stderr);
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout),
    stderr,
    lines: stderr.split("\n").filter((line) => line !== ""),
  };
}

function documentOf(run: BinRun): RunDoc {
  const lines = run.stdout.split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  return runDocSchema.parse(JSON.parse(lines[0] ?? ""));
}

/** The one run folder a test's runs root holds, once it exists. */
async function onlyRun(runsDir: string): Promise<string> {
  const names = await waitFor(async () => {
    const found = await readdir(runsDir).catch(() => [] as string[]);
    return found.length === 1 ? found : undefined;
  }, 20_000);
  return join(runsDir, names[0] ?? "");
}

/** Polls `check` until it returns a value; fails after `timeoutMs`. */
async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** status.json once it reports training at `step` or later. */
function trainingAt(runDir: string, step: number): Promise<TrainStatus> {
  return waitFor(async () => {
    const status = await readStatus(trainFolder(runDir).status).catch(() => undefined);
    return status?.stage === "training" && (status.step ?? 0) >= step ? status : undefined;
  });
}

async function statusJson(run: string, options: Options): Promise<Record<string, unknown>> {
  const result = await wlTrain(["status", run, "--json"], options);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

/** Trainers a failed test left running without tmux: ended by their recorded pids. */
async function killLeftoverTrainers(root: string): Promise<void> {
  const roots = (await readdir(root).catch(() => [] as string[])).filter((name) =>
    name.startsWith("runs-"),
  );
  for (const runs of roots) {
    for (const id of await readdir(join(root, runs)).catch(() => [] as string[])) {
      const folder = trainFolder(join(root, runs, id));
      const pids = [(await readLaunch(folder.launch))?.pid, await readIntFile(folder.trainerPid)];
      for (const pid of pids) if (pid && pidAlive(pid)) process.kill(pid, "SIGKILL");
    }
  }
}

const enabled = python !== undefined && trainerHasTrain && hasTmux;

describe.skipIf(!enabled)("wl-train --local with the real trainer", () => {
  it("Ctrl+C stops following only; running again joins the same trainer and follows it to the end", async () => {
    const runsDir = join(ws, "runs-follow");
    const following = start(["--config", config], { runsDir });
    const runDir = await onlyRun(runsDir);
    await trainingAt(runDir, 1);
    following.kill("SIGINT");
    const interrupted = collect(await following);
    expect(interrupted.exitCode).toBe(130);
    const firstDoc = documentOf(interrupted);
    expect(firstDoc.error).toMatchObject({ step: "wl-train", code: "interrupted", exit_code: 130 });
    const session = `wl-${firstDoc.run_id}`;
    expect(interrupted.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^\\[WL-TRAIN\\] ⚠️ WARNING: stopped following \\(SIGINT\\): the trainer keeps running \\(pid \\d+, tmux session ${session}: .*\\) → fix: wl-train stop runs-follow/${firstDoc.run_id} stops it`,
        ),
      ),
    );
    const launched = await readLaunch(trainFolder(runDir).launch);
    expect(launched).toMatchObject({ launcher: "tmux", session });

    // The trainer did not notice (asked in-process: a second bin might start after it ended).
    expect((await trainerState(trainFolder(runDir))).running).toBe(true);

    const again = await wlTrain(["--run", join(runDir, "run.json"), "--log-format", "json"], {
      runsDir,
    });
    expect(again.exitCode, again.stderr).toBe(0);
    const doc = documentOf(again);
    const events = again.lines.map((line) => eventSchema.parse(JSON.parse(line)));
    expect(events.filter((event) => event.event === "train.joined")).toHaveLength(1);
    expect(
      events.some((e) => e.tool === "wl-trainer" && e.message.startsWith("adapter saved")),
    ).toBe(true);
    expect(events.some((event) => event.event === "train.progress")).toBe(true);
    expect(events.at(-1)).toMatchObject({
      tool: "wl-train",
      level: "success",
      event: "train.done",
    });

    expect(doc.status).toBe("ok");
    expect(doc.error).toBeUndefined();
    expect(doc.train).toMatchObject({
      backend: "local",
      host_run_dir: join(runDir, "train"),
      launcher: "tmux",
      session,
      pid: expect.any(Number),
      stage: "done",
      exit_code: 0,
      success: true,
      steps: 10,
      total_steps: 10,
      resumes: 0,
      adapter_dir: join(runDir, "train", "adapter"),
      report: expect.objectContaining({ schema: "wl.train-report/1", status: "done" }),
    });
    expect(doc.train?.final_loss).toEqual(expect.any(Number));
    expect(doc.paths.adapter_dir).toBe(join(runDir, "train", "adapter"));
    expect(existsSync(join(runDir, "train", "adapter", "adapter_config.json"))).toBe(true);
    // One trainer: the launcher of the first call, never a second one.
    expect(await readLaunch(trainFolder(runDir).launch)).toEqual(launched);
    expect(JSON.parse(await readFile(join(runDir, "run.json"), "utf8"))).toEqual(
      JSON.parse(again.stdout),
    );

    const logs = await wlTrain(["logs", runDir], { runsDir });
    expect(logs.exitCode).toBe(0);
    expect(logs.stdout).toMatch(/^\[WL-TRAINER\] ✅ SUCCESS: adapter saved: /m);
    expect(await statusJson(join(runDir, "run.json"), { runsDir })).toMatchObject({
      stage: "done",
      exit_code: 0,
      alive: false,
    });
  });

  it("--detach, status, stop (exit 130, a checkpoint), then running again resumes and finishes", async () => {
    const runsDir = join(ws, "runs-stop");
    const detached = await wlTrain(["--config", longConfig, "--detach"], { runsDir });
    expect(detached.exitCode, detached.stderr).toBe(0);
    const started = documentOf(detached);
    const runDir = started.paths.run_dir;
    const ref = `runs-stop/${started.run_id}`;
    expect(started.status).toBe("ok");
    expect(started.train).toMatchObject({
      backend: "local",
      launcher: "tmux",
      session: `wl-${started.run_id}`,
      stage: "started",
      pid: expect.any(Number),
    });
    expect(started.train?.exit_code).toBeUndefined();
    expect(detached.lines).toContainEqual(
      `[WL-TRAIN] detached: wl-train status ${ref} shows progress, wl-train logs ${ref} -f follows the log, wl-train stop ${ref} stops it`,
    );

    await trainingAt(runDir, 2);
    expect(await statusJson(started.run_id, { runsDir })).toMatchObject({
      stage: expect.stringMatching(/^(training|saving)$/),
      alive: true,
      pid: started.train?.pid,
    });
    const text = await wlTrain(["status", started.run_id], { runsDir });
    expect(text.stdout).toMatch(/^stage +(training|saving) \(alive: pid \d+ on this host\)$/m);
    expect(text.stdout).toMatch(/^step +\d+\/30 \(\d+%\)$/m);
    expect(text.stdout).toContain(`tmux attach -t wl-${started.run_id}`);

    const stop = await wlTrain(["stop", ref], { runsDir });
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(stop.lines.at(-1)).toMatch(
      new RegExp(
        `^\\[WL-TRAIN\\] ✅ SUCCESS: stopped at step \\d+/30 \\(\\d+%\\) \\(exit 130\\): checkpoint step-0000\\d\\d holds the work; resume with wl-train --run ${ref}/run.json$`,
      ),
    );
    const folder = trainFolder(runDir);
    expect(await readIntFile(folder.exitCode)).toBe(130);
    const stopped = await readStatus(folder.status);
    expect(stopped).toMatchObject({ stage: "interrupted", exit_code: 130 });
    const checkpoint = `step-${String(stopped?.step).padStart(6, "0")}`;
    expect(existsSync(join(folder.checkpoints, checkpoint))).toBe(true);
    expect(await statusJson(ref, { runsDir })).toMatchObject({ alive: false, exit_code: 130 });
    const twice = await wlTrain(["stop", ref], { runsDir });
    expect(twice.exitCode).toBe(1);
    expect(twice.lines.at(-1)).toContain(`the trainer of ${ref} is not running (it exited 130)`);

    const resumed = await wlTrain(["--run", join(runDir, "run.json")], { runsDir });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.lines, resumed.stderr).toContain(
      `[WL-TRAINER] ⚠️ RESUME: Found checkpoint at step ${stopped?.step}. Resuming training.`,
    );
    const doc = documentOf(resumed);
    expect(doc.train).toMatchObject({ success: true, steps: 30, resumes: 1, exit_code: 0 });
    expect(doc.steps.map((step) => [step.tool, step.status])).toEqual([
      ["wl-train", "ok"],
      ["wl-train", "ok"],
    ]);
  });

  it("without tmux on PATH: runs detached (setsid) with a warning; status, logs and attach say so", async () => {
    const runsDir = join(ws, "runs-notmux");
    const env = { PATH: await pathWithout("tmux") };
    const detached = await wlTrain(["--config", config, "--detach"], { runsDir, env });
    expect(detached.exitCode, detached.stderr).toBe(0);
    const doc = documentOf(detached);
    const runDir = doc.paths.run_dir;
    expect(doc.train).toMatchObject({ launcher: "setsid", stage: "started" });
    expect(doc.train?.session).toBeUndefined();
    expect(detached.lines).toContain(
      `[WL-TRAIN] ⚠️ WARNING: tmux not found: the trainer runs detached without it (setsid), its terminal output in ${runDir}/train/console.log → fix: install tmux (apt-get install tmux, brew install tmux) to attach to the trainer`,
    );
    expect(await statusJson(doc.run_id, { runsDir, env })).toMatchObject({ alive: true });
    const attach = await wlTrain(["attach", doc.run_id], { runsDir, env });
    expect(attach.exitCode).toBe(1);
    expect(attach.lines.at(-1)).toMatch(
      /no tmux session wl-.*: the trainer runs without tmux \(pid \d+\) → fix: follow its log instead: wl-train logs .* -f$/,
    );

    const follow = await wlTrain(["logs", doc.run_id, "-f"], { runsDir, env });
    expect(follow.exitCode).toBe(0);
    expect(follow.stdout).toMatch(/^\[WL-TRAINER\] ✅ SUCCESS: trained 10 steps$/m);
    expect(follow.lines.at(-1)).toBe("[WL-TRAIN] the trainer has ended (exit 0)");
    expect(await statusJson(doc.run_id, { runsDir, env })).toMatchObject({
      stage: "done",
      exit_code: 0,
      alive: false,
    });
    expect(await readFile(join(runDir, "train", "console.log"), "utf8")).toContain(
      "wl.train-report/1",
    );
  });
  it("a trainer that fails: exit 1, the document failed with the trainer's reason and fix", async () => {
    const runsDir = join(ws, "runs-fail");
    const missing = join(ws, "no-such-model");
    const run = await wlTrain(["--config", config, "--set", `model.base=${missing}`], { runsDir });
    expect(run.exitCode, run.stderr).toBe(1);
    const doc = documentOf(run);
    const rerun = `wl-train --run runs-fail/${doc.run_id}/run.json`;
    expect(doc.status).toBe("failed");
    expect(doc.error).toMatchObject({ step: "wl-train", code: "train.failed", exit_code: 1 });
    expect(doc.error?.message).toMatch(/^the trainer failed: cannot load the tokenizer of /);
    expect(doc.error?.fix).toMatch(
      new RegExp(`^pass a local model folder.*; then run ${rerun} again$`),
    );
    expect(doc.train).toMatchObject({ stage: "failed", exit_code: 1, success: false, steps: 0 });
    expect(doc.train?.adapter_dir).toBeUndefined();
    expect(doc.paths.adapter_dir).toBeUndefined();
    expect(run.lines.at(-1)).toBe(
      `[WL-TRAIN] ❌ ERROR: ${doc.error?.message} → fix: ${doc.error?.fix}`,
    );
  });
});

/** A PATH with every program of this one except `name` (linked into a folder of its own). */
async function pathWithout(name: string): Promise<string> {
  const dir = join(ws, `path-without-${name}`);
  await mkdir(dir, { recursive: true });
  const dirs = [dirname(process.execPath), ...(process.env.PATH ?? "").split(":")];
  for (const from of dirs) {
    for (const entry of await readdir(from).catch(() => [] as string[])) {
      if (entry === name) continue;
      await symlink(join(from, entry), join(dir, entry)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error; // an earlier PATH entry wins, as in a shell
      });
    }
  }
  return dir;
}
