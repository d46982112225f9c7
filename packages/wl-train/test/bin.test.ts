// Through the real bin, without the trainer's Python (fast): argv, stdin and env in; exit code,
// stdout (the run document or a command's result) and stderr checked separately. The trainer
// itself runs in train.e2e.test.ts.
import { writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunDoc, runDocSchema } from "@wl/core";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRun, removeTempDirs, runDoc, tempDir, tmuxEnv, writeJson } from "./fixtures.ts";

const BIN = fileURLToPath(new URL("../bin/wl-train.js", import.meta.url));
const NO_TRAINER = "/nonexistent/wl-trainer-python";

let ws: string;
let runsDir: string;
let tmuxDir: string;
let config: string;

beforeAll(async () => {
  ws = await tempDir();
  runsDir = join(ws, "runs");
  tmuxDir = await tempDir();
  config = join(ws, "wl.yaml");
  await writeFile(config, "model: {base: org/model}\ndata: {train: t.jsonl}\n");
});
afterAll(removeTempDirs);

interface BinRun {
  exitCode: number | undefined;
  stdout: string;
  lines: string[];
  errors: string[];
}

async function wlTrain(args: string[], options: { input?: string; env?: object } = {}) {
  const result = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    extendEnv: false,
    env: tmuxEnv(tmuxDir, { WL_RUNS_DIR: runsDir, WL_TRAINER_PYTHON: NO_TRAINER, ...options.env }),
    input: options.input ?? "",
    cwd: ws,
  });
  const lines = String(result.stderr)
    .split("\n")
    .filter((line) => line !== "");
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout),
    lines,
    errors: lines.filter((line) => line.includes("❌ ERROR")),
  } satisfies BinRun;
}

function documentOf(run: BinRun): RunDoc {
  const lines = run.stdout.split("\n");
  expect(lines).toHaveLength(1);
  return runDocSchema.parse(JSON.parse(lines[0] ?? ""));
}

/** Exactly one error line, `[WL-TRAIN] ❌ ERROR: message → fix: fix`, and no stack trace. */
function expectOneError(run: BinRun, message: string | RegExp, fix: string | RegExp): void {
  expect(run.errors).toHaveLength(1);
  const [said = "", fixed = ""] = (run.errors[0] ?? "").split(" → fix: ");
  expect(said).toMatch(/^\[WL-TRAIN\] ❌ ERROR: /);
  expect(said).toMatch(message);
  expect(fixed).toMatch(fix);
  expect(run.lines.filter((line) => /^\s+at /.test(line))).toEqual([]);
}

describe("the pipe tool", () => {
  it("refuses a remote backend without --local, in one line naming both ways out", async () => {
    const remote = join(ws, "remote.yaml");
    await writeFile(
      remote,
      "model: {base: org/model}\ndata: {train: t.jsonl}\ncompute: {backend: ssh, ssh: {host: gpu1}}\n",
    );
    const run = await wlTrain(["--config", remote]);
    expect(run.exitCode).toBe(1);
    const doc = documentOf(run);
    expect(doc.status).toBe("failed");
    expect(doc.error).toMatchObject({ step: "wl-train", code: "train.remote_unsupported" });
    expect(doc.train).toBeUndefined();
    expectOneError(
      run,
      "compute.backend is ssh: remote training arrives with wl-push and SSH in a later release",
      "train on this machine with wl-train --local, or set compute.backend: local",
    );
  });

  it("without the trainer's Python names ./scripts/setup", async () => {
    const run = await wlTrain(["--config", config]);
    expect(run.exitCode).toBe(1);
    expect(documentOf(run).error).toMatchObject({ step: "wl-train", code: "trainer.missing" });
    expectOneError(run, "the trainer's Python env is not set up here", "run ./scripts/setup");
  });

  it("with --local tries a remote config here (and gets as far as the Python check)", async () => {
    const remote = join(ws, "remote.yaml");
    const run = await wlTrain(["--config", remote, "--local"]);
    expect(documentOf(run).error?.code).toBe("trainer.missing");
  });

  it("passes a document failed upstream on, with its exit code, untouched", async () => {
    const doc = runDoc(join(runsDir, "up"), "up", {
      status: "failed",
      error: {
        step: "wl-preflight",
        code: "preflight.failed",
        message: "no data",
        fix: "add data",
        exit_code: 3,
      },
    });
    const run = await wlTrain([], { input: JSON.stringify(doc) });
    expect(run.exitCode).toBe(3);
    const out = documentOf(run);
    expect(out.error).toEqual(doc.error);
    expect(out.train).toBeUndefined();
    expect(run.lines).toContain(
      "[WL-TRAIN] ⚠️ WARNING: skipped: wl-preflight failed (no data) → fix: add data",
    );
    expect(run.errors).toEqual([]);
  });

  it("runs again on a document it failed itself (running it again resumes)", async () => {
    const doc = runDoc(join(runsDir, "again"), "again", {
      status: "failed",
      error: {
        step: "wl-train",
        code: "train.interrupted",
        message: "the trainer was stopped",
        fix: "run it again",
        exit_code: 130,
      },
    });
    const run = await wlTrain([], { input: JSON.stringify(doc) });
    expect(run.lines).toContain(
      "[WL-TRAIN] running again after train.interrupted: the trainer was stopped",
    );
    // This document has no config, so the retry stops there, with wl-train's new reason.
    expect(run.exitCode).toBe(1);
    expect(documentOf(run).error).toMatchObject({ step: "wl-train", code: "train.no_config" });
  });

  it("--help lists the subcommands and the exit codes", async () => {
    const run = await wlTrain(["--help"]);
    expect(run.exitCode).toBe(0);
    for (const text of ["--detach", "--local", "--resume", "--warm-start", "wl-train status RUN"]) {
      expect(run.stdout).toContain(text);
    }
    expect(run.stdout).toMatch(/Exit codes:\n {2}0 success\n/);
  });
});

describe("subcommands on a run without training", () => {
  let id: string;
  beforeAll(async () => {
    id = (await makeRun(runsDir, "2026-11-23-120000-notrain")).run_id;
  });

  it.each([
    [["status"], "no training in runs/ID: no", "start it with wl-train --run runs/ID/run.json"],
    [["logs"], "no training log in runs/ID", "start the training with wl-train --run"],
    [["stop"], "the trainer of runs/ID is not running", "start or resume it with wl-train --run"],
    [
      ["attach"],
      "no tmux session wl-ID: the trainer is not running",
      "start it with wl-train --run",
    ],
  ])("%s → exit 1 with a fix", async ([command = ""], message, fix) => {
    const run = await wlTrain([command, id]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expectOneError(run, message.replaceAll("ID", id), fix.replaceAll("ID", id));
  });

  it("an unknown run → exit 1 naming the runs root", async () => {
    const run = await wlTrain(["status", "2026-01-01-000000-000000"]);
    expect(run.exitCode).toBe(1);
    expectOneError(run, `not a run under ${runsDir}`, "--runs-dir");
  });

  it("a bad option → exit 1 pointing at --help", async () => {
    const run = await wlTrain(["logs", id, "--frobnicate"]);
    expect(run.exitCode).toBe(1);
    expectOneError(run, "Unknown argument: frobnicate", "wl-train --help");
  });
});

describe("status of a trainer on another host (status.json copied back)", () => {
  async function remoteRun(name: string, heartbeatAgoS: number): Promise<string> {
    const doc = await makeRun(runsDir, name);
    await writeJson(join(doc.paths.run_dir, "train", "status.json"), {
      schema: "wl.train-status/1",
      stage: "training",
      step: 120,
      total_steps: 500,
      loss: 1.2345,
      eta_s: 2290,
      elapsed_s: 723,
      cost_usd: 0.41,
      cost_per_hour: 1.99,
      pid: 4242,
      host: `not-${hostname()}`,
      heartbeat: new Date(Date.now() - heartbeatAgoS * 1000).toISOString(),
      message: "step 120/500",
    });
    return name;
  }

  it("is alive by a fresh heartbeat; --json prints status.json plus alive", async () => {
    const name = await remoteRun("remote-fresh", 5);
    const run = await wlTrain(["status", name, "--json"]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ stage: "training", step: 120, alive: true });
    const text = await wlTrain(["status", name]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^stage {4}training \(alive: heartbeat \d+s ago from not-/m);
    expect(text.stdout).toContain("ETA      38m 10s");
    expect(text.stdout).toContain("cost     $0.41 at $1.99/h, ≈$1.68 at the end");
    expect(text.lines).toEqual([]);
  });

  it("is not alive with a stale heartbeat", async () => {
    const name = await remoteRun("remote-stale", 600);
    const run = await wlTrain(["status", join(runsDir, name), "--json"]);
    expect(JSON.parse(run.stdout)).toMatchObject({ stage: "training", alive: false });
    const text = await wlTrain(["status", name]);
    expect(text.stdout).toMatch(/not running: heartbeat 10m \d\ds ago from not-/);
    expect(text.stdout).toContain("ETA      —");
  });
});
