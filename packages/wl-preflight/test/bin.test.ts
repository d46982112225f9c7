// End to end through the real bin: argv, stdin and env in; exit code, stdout (the run document)
// and stderr (status lines or events) checked separately.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventSchema, findTrainerPython, type RunDoc, runDocSchema, runTrainer } from "@wl/core";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHECK_NAMES,
  chatRecord,
  removeTempDirs,
  tempDir,
  writeJsonl,
  writeModelDir,
} from "./fixtures.ts";

const BIN = fileURLToPath(new URL("../bin/wl-preflight.js", import.meta.url));
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
/** Keeps the trainer (slow Python) out of every test but the one that is about it. */
const NO_TRAINER = "/nonexistent/wl-trainer-python";

/** What one run of the bin gave back. */
interface BinRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** stderr split into non-empty lines. */
  lines: string[];
  /** The ❌ ERROR lines on stderr. */
  errors: string[];
  /** The runs root it was given ($WL_RUNS_DIR). */
  runsDir: string;
}

interface BinOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  runsDir?: string;
}

/** The workspace shared by the tests: a fake complete model, JSONL data, a good config. */
let ws: string;
let home: string;
let goodConfig: string;

beforeAll(async () => {
  ws = await tempDir();
  home = join(ws, "home");
  await mkdir(home);
  await writeModelDir(join(ws, "model"));
  await writeJsonl(join(ws, "train.jsonl"), [
    chatRecord("What is the weather in Oslo?", "Rainy, 8 °C."),
    chatRecord("And in Rome?", "Sunny, 21 °C."),
    chatRecord("Paris?", "Cloudy, 15 °C."),
  ]);
  await writeJsonl(join(ws, "val.jsonl"), [chatRecord("Berlin?", "Windy, 11 °C.")]);
  goodConfig = await writeConfig(ws, "good.yaml", "");
});

afterAll(removeTempDirs);

/** Writes a config that uses the workspace's model and data, plus `extra` YAML. */
async function writeConfig(dir: string, name: string, extra: string): Promise<string> {
  const file = join(dir, name);
  const yaml = [
    "name: bin-test",
    "model:",
    `  base: ${join(ws, "model")}`,
    "data:",
    `  train: ${join(ws, "train.jsonl")}`,
    `  val: ${join(ws, "val.jsonl")}`,
    "training:",
    "  device: cpu",
    "  max_steps: 2",
    "compute:",
    "  min_free_disk_gb: 0",
    extra,
  ];
  await writeFile(file, `${yaml.join("\n")}\n`);
  return file;
}

/** Runs `node bin/wl-preflight.js ARGS` in a clean environment; never rejects. */
async function wlPreflight(args: string[], options: BinOptions = {}): Promise<BinRun> {
  const runsDir = options.runsDir ?? (await tempDir());
  const result = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    extendEnv: false,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      NO_COLOR: "1",
      WL_RUNS_DIR: runsDir,
      WL_TRAINER_PYTHON: NO_TRAINER,
      HF_HUB_CACHE: join(ws, "hub"),
      HF_HUB_OFFLINE: "1",
      ...options.env,
    },
    input: options.input ?? "",
    cwd: options.cwd ?? ws,
  });
  const stderr = String(result.stderr);
  const lines = stderr.split("\n").filter((line) => line !== "");
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout),
    stderr,
    lines,
    errors: lines.filter((line) => line.includes("❌ ERROR")),
    runsDir,
  };
}

/** stdout must be exactly one line holding a valid run document. */
function documentOf(run: BinRun): RunDoc {
  const lines = run.stdout.split("\n");
  expect(lines).toHaveLength(1);
  const parsed = runDocSchema.safeParse(JSON.parse(lines[0] ?? ""));
  if (!parsed.success) throw new Error(`stdout is not a run document: ${parsed.error.message}`);
  return parsed.data;
}

async function savedDocument(doc: RunDoc): Promise<unknown> {
  return JSON.parse(await readFile(join(doc.paths.run_dir, "run.json"), "utf8"));
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** No stack trace unless --debug: no "    at …" frames. */
function stackFrames(run: BinRun): string[] {
  return run.lines.filter((line) => /^\s+at /.test(line));
}

/** One ❌ ERROR line naming the fix, no stack trace. */
function expectOneError(run: BinRun, message: RegExp | string, fix: RegExp | string): void {
  expect(run.errors).toHaveLength(1);
  const [line = ""] = run.errors;
  const [said = "", fixed = ""] = line.split(" → fix: ");
  expect(said).toMatch(/^\[WL-PREFLIGHT\] ❌ ERROR: /);
  // toMatch takes a string as a substring, a RegExp as a pattern.
  expect(said).toMatch(message);
  expect(fixed).toMatch(fix);
  expect(stackFrames(run)).toEqual([]);
  expectOnlyStatusLines(run);
}

/** Every stderr line is one status line: no message spills onto a second line. */
function expectOnlyStatusLines(run: BinRun): void {
  for (const line of run.lines) expect(line).toMatch(/^\[WL-PREFLIGHT\] /);
}

describe("a good config", () => {
  it("exits 0 with the run document on stdout and run.json saved", async () => {
    const run = await wlPreflight(["--config", goodConfig]);
    expect(run.exitCode).toBe(0);
    const doc = documentOf(run);
    expect(doc.status).toBe("ok");
    expect(doc.config?.path).toBe(goodConfig);
    expect(doc.preflight?.ok).toBe(true);
    expect(doc.preflight?.checks.map((check) => check.name)).toEqual(CHECK_NAMES);
    expect(doc.steps).toEqual([expect.objectContaining({ tool: "wl-preflight", status: "ok" })]);
    expect(doc.paths.run_dir).toBe(join(run.runsDir, doc.run_id));
    expect(await savedDocument(doc)).toEqual(JSON.parse(run.stdout));

    expect(run.lines).toContain(`[WL-PREFLIGHT] ✅ SUCCESS: config valid: ${goodConfig}`);
    expect(run.lines.at(-1)).toMatch(
      /^\[WL-PREFLIGHT\] ✅ SUCCESS: preflight passed: 7 ok, 1 skip$/,
    );
    expect(run.errors).toEqual([]);
    expect(run.lines.filter(isJson)).toEqual([]);
    expectOnlyStatusLines(run);
    expect(run.stderr).not.toContain("\u001b[");
  });

  it("writes one valid event per stderr line with --log-format json", async () => {
    const run = await wlPreflight(["--config", goodConfig, "--log-format", "json"]);
    expect(run.exitCode).toBe(0);
    expectEventStream(run, documentOf(run));
  });

  it("passes the shipped configs/cpu-smoke.yaml with a fake model (the issue's acceptance test)", async () => {
    const config = join(REPO, "configs", "cpu-smoke.yaml");
    const model = join(ws, "model");
    const run = await wlPreflight(
      ["--config", config, "--set", `model.base=${model}`, "--log-format", "json"],
      { cwd: REPO },
    );
    expect(run.exitCode).toBe(0);
    const doc = documentOf(run);
    expect(doc.config?.path).toBe(config);
    expect(doc.config?.overrides).toEqual([`model.base=${model}`]);
    expect(doc.config?.resolved.model.base).toBe(model);
    expectEventStream(run, doc);
  });
});

function expectEventStream(run: BinRun, doc: RunDoc): void {
  expect(doc.status).toBe("ok");
  const events = run.lines.map((line) => {
    const parsed = eventSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`not a wl.event/1: ${line}`);
    return parsed.data;
  });
  expect(events.length).toBeGreaterThan(0);
  for (const event of events) {
    expect(event.tool).toBe("wl-preflight");
    expect(event.run_id).toBe(doc.run_id);
  }
  const results = events.filter((event) => event.event === "check.result");
  expect(results.map((event) => event.data?.name)).toEqual(CHECK_NAMES);
  expect(results.map((event) => event.data?.status)).toEqual(
    doc.preflight?.checks.map((check) => check.status),
  );
  const done = events.filter((event) => event.event === "preflight.done");
  expect(done).toHaveLength(1);
  expect(done[0]).toMatchObject({ level: "success", data: { ok: true } });
}

describe("bad inputs", () => {
  /** A config failure still yields a failed document (exit 3, nothing spent). */
  function expectConfigFailure(run: BinRun, code: string): RunDoc {
    expect(run.exitCode).toBe(3);
    const doc = documentOf(run);
    expect(doc.status).toBe("failed");
    expect(doc.config).toBeUndefined();
    expect(doc.error).toMatchObject({ step: "wl-preflight", code, exit_code: 3 });
    expect(doc.steps).toEqual([expect.objectContaining({ status: "failed", exit_code: 3 })]);
    return doc;
  }

  it("malformed YAML → 3, with the line number", async () => {
    const file = join(await tempDir(), "bad.yaml");
    await writeFile(file, "model:\n  base: ./model\n dtype: fp32\ndata:\n  train: t.jsonl\n");
    const run = await wlPreflight(["--config", file]);
    expectConfigFailure(run, "config.syntax");
    expectOneError(
      run,
      `malformed YAML in ${file} at line 3`,
      `fix the syntax on line 3 of ${file}`,
    );
  });

  it("unknown key → 3, with its YAML line and a did-you-mean", async () => {
    const dir = await tempDir();
    const file = await writeConfig(dir, "typo.yaml", "checkpoints:\n  save_every: 1");
    const text = (await readFile(file, "utf8")).replace("  max_steps: 2", "  lerning_rate: 1e-4");
    await writeFile(file, text);
    const line = text.split("\n").indexOf("  lerning_rate: 1e-4") + 1;
    const run = await wlPreflight(["--config", file]);
    expectConfigFailure(run, "config.invalid");
    expectOneError(
      run,
      `invalid config ${file}:${line}: unknown key "lerning_rate" in training`,
      'did you mean "learning_rate"?',
    );
  });

  it("wrong type → 3, naming the key and the expected type", async () => {
    const file = await writeConfig(await tempDir(), "type.yaml", 'lora:\n  r: "sixteen"');
    const run = await wlPreflight(["--config", file]);
    expectConfigFailure(run, "config.invalid");
    expectOneError(
      run,
      /invalid config .*type\.yaml:\d+: lora\.r is "sixteen", expected/,
      "lora.r",
    );
  });

  it("missing config file → 3", async () => {
    const file = join(await tempDir(), "absent.yaml");
    const run = await wlPreflight(["--config", file]);
    expectConfigFailure(run, "config.missing");
    expectOneError(run, `config file not found: ${file}`, "pass --config PATH");
  });

  it("a --set value of the wrong type → 3", async () => {
    const run = await wlPreflight(["--config", goodConfig, "--set", "training.max_steps=abc"]);
    expectConfigFailure(run, "config.invalid");
    expectOneError(run, 'training.max_steps is "abc", expected', "training.max_steps");
  });

  it("a missing data file → 3, a failed document with the failing data check", async () => {
    const missing = join(ws, "missing.jsonl");
    const run = await wlPreflight(["--config", goodConfig, "--set", `data.train=${missing}`]);
    expect(run.exitCode).toBe(3);
    const doc = documentOf(run);
    expect(doc.status).toBe("failed");
    expect(doc.error).toMatchObject({
      step: "wl-preflight",
      code: "preflight.failed",
      exit_code: 3,
      fix: "fix data.train in the config",
    });
    expect(doc.preflight?.checks).toContainEqual(
      expect.objectContaining({ name: "data", status: "fail" }),
    );
    expect(await savedDocument(doc)).toEqual(JSON.parse(run.stdout));
    // The failing check's line, then the verdict; both name the fix.
    expect(run.errors).toEqual([
      `[WL-PREFLIGHT] ❌ ERROR: train data not found: ${missing} → fix: fix data.train in the config`,
      "[WL-PREFLIGHT] ❌ ERROR: preflight failed: data (6 ok, 1 fail, 1 skip) → fix: fix data.train in the config",
    ]);
    expect(stackFrames(run)).toEqual([]);
  });

  it("a runs folder that cannot be made → 3, the document still on stdout", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "afile"), "");
    const runsDir = join(dir, "afile", "runs");
    const run = await wlPreflight(["--config", goodConfig], { runsDir });
    expect(run.exitCode).toBe(3);
    const doc = documentOf(run);
    expect(doc.status).toBe("failed");
    expect(doc.preflight?.checks).toContainEqual(
      expect.objectContaining({ name: "output_dir", status: "fail" }),
    );
    expect(run.errors).toHaveLength(2);
    for (const line of run.errors) expect(line).toContain("→ fix: pass --runs-dir to a writable");
    expect(run.errors[0]).toContain(`cannot write the run folder ${runsDir}/`);
    expect(run.lines).toContainEqual(
      expect.stringMatching(/⚠️ WARNING: cannot save run\.json in .* \(ENOTDIR\)/),
    );
    expect(stackFrames(run)).toEqual([]);
  });

  it("a document of another schema version → 1, naming both versions", async () => {
    const run = await wlPreflight([], { input: '{"schema":"wl.run/2"}\n' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expectOneError(
      run,
      "the run document on stdin is wl.run/2; this wl reads wl.run/1",
      "use the same wl version",
    );
  });

  it("prints the stack trace with --debug", async () => {
    const run = await wlPreflight(["--debug"], { input: '{"schema":"wl.run/2"}\n' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(stackFrames(run).length).toBeGreaterThan(0);
  });

  it("stdin that is not JSON → 1", async () => {
    const run = await wlPreflight([], { input: "hello, world\n" });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expectOneError(run, "the run document on stdin is not JSON", "--config FILE");
  });

  it("an unknown flag → 1, pointing at --help", async () => {
    const run = await wlPreflight(["--config", goodConfig, "--frobnicate"]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expectOneError(run, "Unknown argument: frobnicate", "run wl-preflight --help");
  });

  it("--run and --config together → 1", async () => {
    const run = await wlPreflight(["--config", goodConfig, "--run", join(ws, "run.json")]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expectOneError(run, "--run and --config both given", "pass --run to continue a run");
  });
});

describe("a document from an earlier step", () => {
  /** A run that failed in preflight: its stdout document. */
  let upstream: RunDoc;

  beforeAll(async () => {
    const missing = join(ws, "missing.jsonl");
    const run = await wlPreflight(["--config", goodConfig, "--set", `data.train=${missing}`]);
    expect(run.exitCode).toBe(3);
    upstream = documentOf(run);
  });

  function expectPassedThrough(run: BinRun): void {
    expect(run.exitCode).toBe(3);
    const doc = documentOf(run);
    const { steps, ...rest } = doc;
    const { steps: upstreamSteps, ...upstreamRest } = upstream;
    expect(rest).toEqual(upstreamRest);
    expect(steps.slice(0, -1)).toEqual(upstreamSteps);
    expect(steps.at(-1)).toMatchObject({ tool: "wl-preflight", status: "skipped", exit_code: 3 });
    expect(run.lines).toContainEqual(
      expect.stringMatching(/^\[WL-PREFLIGHT\] ⚠️ WARNING: skipped: wl-preflight failed \(/),
    );
    expect(run.errors).toEqual([]);
  }

  it("passes a failed document through on stdin with the upstream exit code", async () => {
    const run = await wlPreflight([], { input: `${JSON.stringify(upstream)}\n` });
    expectPassedThrough(run);
  });

  it("reads the document from --run FILE", async () => {
    const file = join(await tempDir(), "upstream.json");
    await writeFile(file, JSON.stringify(upstream, null, 2));
    const run = await wlPreflight(["--run", file]);
    expectPassedThrough(run);
  });

  it("runs preflight again on an ok document, keeping its run id", async () => {
    const first = await wlPreflight(["--config", goodConfig]);
    const okUpstream = documentOf(first);
    const run = await wlPreflight([], { input: first.stdout });
    expect(run.exitCode).toBe(0);
    const doc = documentOf(run);
    expect(doc.run_id).toBe(okUpstream.run_id);
    expect(doc.status).toBe("ok");
    expect(doc.steps.map((step) => [step.tool, step.status])).toEqual([
      ["wl-preflight", "ok"],
      ["wl-preflight", "ok"],
    ]);
    expect(doc.preflight?.checks.map((check) => check.name)).toEqual(CHECK_NAMES);
    expect(run.lines).toContain(`[WL-PREFLIGHT] ✅ SUCCESS: config valid: ${goodConfig}`);
    expect(run.lines.at(-1)).toBe("[WL-PREFLIGHT] ✅ SUCCESS: preflight passed: 7 ok, 1 skip");
    // Saved where the run already lives, not under this call's runs root.
    expect(doc.paths.run_dir).toBe(okUpstream.paths.run_dir);
    expect(await savedDocument(doc)).toEqual(JSON.parse(run.stdout));
  });
});

describe("config discovery", () => {
  it("uses $WL_CONFIG when there is no --config and stdin is empty", async () => {
    const run = await wlPreflight([], { env: { WL_CONFIG: goodConfig }, input: "" });
    expect(run.exitCode).toBe(0);
    expect(documentOf(run).config?.path).toBe(goodConfig);
  });

  it("uses ./wl.yaml in the working folder", async () => {
    const cwd = await tempDir();
    const file = await writeConfig(cwd, "wl.yaml", "");
    const run = await wlPreflight([], { cwd });
    expect(run.exitCode).toBe(0);
    expect(documentOf(run).config?.path).toBe(file);
  });

  it("without any → 3, the fix naming --config, $WL_CONFIG and ./wl.yaml", async () => {
    const cwd = await tempDir();
    const run = await wlPreflight([], { cwd });
    expect(run.exitCode).toBe(3);
    expect(documentOf(run).error?.code).toBe("config.not_found");
    expectOneError(run, "no config", /--config .*WL_CONFIG.*wl\.yaml/);
  });
});

describe("secrets", () => {
  it("never shows the RunPod API key on stdout, stderr or in run.json", async () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const key = `rpa_${[...randomBytes(40)].map((byte) => alphabet[byte % alphabet.length]).join("")}`;
    // A config that carries the key itself (pasted into a webhook URL) must be redacted too.
    const file = await writeConfig(
      await tempDir(),
      "runpod.yaml",
      [
        "  backend: runpod",
        "  runpod:",
        "    gpu_types: [NVIDIA H100 80GB HBM3]",
        "monitoring:",
        `  webhook_url: https://hooks.example.com/notify/${key}`,
      ].join("\n"),
    );
    const run = await wlPreflight(["--config", file], {
      env: { RUNPOD_API_KEY: key, SSH_AUTH_SOCK: join(ws, "agent.sock") },
    });
    expect(run.exitCode).toBe(0);
    const doc = documentOf(run);
    expect(doc.config?.resolved.compute.backend).toBe("runpod");
    expect(doc.config?.resolved.monitoring.webhook_url).toBe(
      "https://hooks.example.com/notify/***",
    );
    const saved = await readFile(join(doc.paths.run_dir, "run.json"), "utf8");
    for (const text of [run.stdout, run.stderr, saved]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(4));
    }
    expect(run.lines).toContain(
      "[WL-PREFLIGHT] ✅ SUCCESS: RunPod API key from $RUNPOD_API_KEY; SSH key from the agent ($SSH_AUTH_SOCK)",
    );
  });
});

describe("--help", () => {
  it("exits 0 and lists the exit codes", async () => {
    const run = await wlPreflight(["--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("--config");
    expect(run.stdout).toContain("--log-format");
    expect(run.stdout).toMatch(
      /Exit codes:\n {2}0 success\n {2}1 error .*\n {2}3 preflight failed: nothing was spent\n/s,
    );
    expect(run.errors).toEqual([]);
  });
});

describe("with the real trainer", () => {
  const python = findTrainerPython();
  let modelRoot = "";
  beforeAll(async () => {
    if (!python) return;
    modelRoot = await mkdtemp(join(tmpdir(), "wl-preflight-bin-model-"));
    await runTrainer(python, ["tiny-model", "--arch", "llama", join(modelRoot, "tiny-llama")]);
  });
  afterAll(() => rm(modelRoot, { recursive: true, force: true }));

  it.skipIf(!python)("adds the trainer's accelerator, memory and tokens checks", async () => {
    const model = join(modelRoot, "tiny-llama");
    const run = await wlPreflight(["--config", goodConfig, "--set", `model.base=${model}`], {
      env: { WL_TRAINER_PYTHON: python, WL_CACHE_DIR: join(modelRoot, "cache") },
    });
    const doc = documentOf(run);
    const names = doc.preflight?.checks.map((check) => check.name);
    expect(names).toEqual([
      ...CHECK_NAMES.slice(0, -1),
      "accelerator",
      "memory",
      "monitoring",
      "tokens",
    ]);
    expect(doc.preflight?.environment?.accelerator).toMatchObject({ kind: "cpu" });
    expect(doc.preflight?.estimate?.total_gb).toEqual(expect.any(Number));
    expect(existsSync(join(doc.paths.run_dir, "config.resolved.json"))).toBe(true);
    expect(run.exitCode).toBe(0);
  });
});
