import { EventEmitter } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ExitCode,
  parseRunDoc,
  type RunDoc,
  runTool,
  type ToolSpec,
  textStream,
  WlError,
} from "../src/index.ts";

let dir: string;
let config: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wl-tool-"));
  config = join(dir, "wl.yaml");
  await writeFile(config, "model: {base: org/model}\ndata: {train: t.jsonl}\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A real tool for the frame: it records that it acted, or fails when told to. */
function tool(overrides: Partial<ToolSpec<{ fail?: boolean }>> = {}): ToolSpec<{ fail?: boolean }> {
  return {
    tool: "wl-test",
    summary: "a test step",
    startsPipe: true,
    options: (argv) => argv.option("fail", { type: "boolean" }),
    act: async (doc, { options }) => {
      if (options.fail)
        throw new WlError("test.failed", "it broke", "mend it", {
          exitCode: ExitCode.budgetReached,
        });
      return {
        ...doc,
        export: { acted: true, max_steps: doc.config?.resolved.training.max_steps ?? null },
      };
    },
    ...overrides,
  };
}

async function run(
  spec: ToolSpec<{ fail?: boolean }>,
  argv: string[],
  stdin = "",
  env: NodeJS.ProcessEnv = {},
) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const input = Object.assign(textStream(stdin), { isTTY: false });
  const code = await runTool(spec, {
    argv,
    stdin: input,
    stdout,
    stderr,
    env: { WL_RUNS_DIR: join(dir, "runs"), NO_COLOR: "1", ...env },
  });
  const doc = out.trim() === "" ? undefined : parseRunDoc(out, "stdout");
  return { code, doc, err };
}

describe("the tool frame", () => {
  it("starts a run from --config, acts, saves run.json and writes the document", async () => {
    const { code, doc, err } = await run(tool(), ["--config", config]);
    expect(code).toBe(0);
    expect(doc?.status).toBe("ok");
    expect(doc?.export).toEqual({ acted: true, max_steps: null });
    expect(doc?.steps.map((step) => [step.tool, step.status, step.exit_code])).toEqual([
      ["wl-test", "ok", 0],
    ]);
    const saved = JSON.parse(
      await readFile(join(doc?.paths.run_dir ?? "", "run.json"), "utf8"),
    ) as RunDoc;
    expect(saved).toEqual(doc);
    expect(err).toContain("[WL-TEST] a test step");
  });

  it("continues a document from stdin, applying --set", async () => {
    const first = await run(tool(), ["--config", config]);
    const { code, doc } = await run(
      tool(),
      ["--set", "training.max_steps=7"],
      JSON.stringify(first.doc),
    );
    expect(code).toBe(0);
    expect(doc?.run_id).toBe(first.doc?.run_id);
    expect(doc?.config?.overrides).toEqual(["training.max_steps=7"]);
    expect(doc?.export).toEqual({ acted: true, max_steps: 7 });
    expect(doc?.steps).toHaveLength(2);
  });

  it("marks the document failed with the tool's exit code when the step throws", async () => {
    const { code, doc, err } = await run(tool(), ["--config", config, "--fail"]);
    expect(code).toBe(4);
    expect(doc?.status).toBe("failed");
    expect(doc?.error).toEqual({
      step: "wl-test",
      code: "test.failed",
      message: "it broke",
      fix: "mend it",
      exit_code: 4,
    });
    expect(err).toContain("[WL-TEST] ❌ ERROR: it broke → fix: mend it");
    expect(err).not.toMatch(/\n\s+at /);
  });

  it("passes a failed document on untouched and repeats its exit code", async () => {
    const failed = await run(tool(), ["--config", config, "--fail"]);
    const { code, doc, err } = await run(tool({ tool: "wl-next" }), [], JSON.stringify(failed.doc));
    expect(code).toBe(4);
    expect(doc?.export).toBeUndefined();
    expect(doc?.error).toEqual(failed.doc?.error);
    expect(doc?.steps.at(-1)).toMatchObject({ tool: "wl-next", status: "skipped", exit_code: 4 });
    expect(err).toContain("[WL-NEXT] ⚠️ WARNING: skipped: wl-test failed (it broke)");
  });

  it("lets always-act tools work on a failed document, keeping the failure", async () => {
    const failed = await run(tool(), ["--config", config, "--fail"]);
    const { code, doc } = await run(
      tool({ tool: "wl-summary", alwaysActs: true }),
      [],
      JSON.stringify(failed.doc),
    );
    expect(code).toBe(4);
    expect(doc?.export).toEqual({ acted: true, max_steps: null });
    expect(doc?.error?.step).toBe("wl-test");
  });

  it("still writes a failed document when the config cannot be loaded", async () => {
    const { code, doc, err } = await run(
      tool({ configFailureExitCode: ExitCode.preflightFailed }),
      ["--config", join(dir, "missing.yaml")],
    );
    expect(code).toBe(3);
    expect(doc?.config).toBeUndefined();
    expect(doc?.error).toMatchObject({ step: "wl-test", code: "config.missing", exit_code: 3 });
    expect(doc?.steps).toEqual([
      expect.objectContaining({ tool: "wl-test", status: "failed", exit_code: 3 }),
    ]);
    expect(err.match(/❌ ERROR/g)).toHaveLength(1);
  });

  it("finds the config through $WL_CONFIG when stdin is empty", async () => {
    const { code, doc } = await run(tool(), [], "", { WL_CONFIG: config });
    expect(code).toBe(0);
    expect(doc?.config?.path).toBe(config);
  });

  it("refuses to start a run in a tool that only continues pipes", async () => {
    const { code, doc, err } = await run(tool({ startsPipe: false }), ["--config", config]);
    expect(code).toBe(1);
    expect(doc).toBeUndefined();
    expect(err).toContain("continues a pipe but got no run document");
  });

  it("turns bad argv into one error line with the --help fix", async () => {
    const { code, err } = await run(tool(), ["--nope"]);
    expect(code).toBe(1);
    expect(err.trim().split("\n")).toEqual([
      "[WL-TEST] ❌ ERROR: Unknown argument: nope → fix: run wl-test --help for the options",
    ]);
  });

  it("keeps a multi-line yargs message on one status line", async () => {
    const { code, err } = await run(tool(), ["--log-format", "xml"]);
    expect(code).toBe(1);
    expect(err.trim().split("\n")).toEqual([
      '[WL-TEST] ❌ ERROR: Invalid values: Argument: log-format, Given: "xml", Choices: "text", "json" → fix: run wl-test --help for the options',
    ]);
  });

  it("prints help with the exit codes and exits 0", async () => {
    const stdout = new PassThrough();
    let text = "";
    stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    const code = await runTool(tool(), {
      argv: ["--help"],
      stdin: textStream(""),
      stdout,
      stderr: new PassThrough(),
      env: {},
    });
    expect(code).toBe(0);
    expect(text).toContain("--config");
    expect(text).toContain("3 preflight failed");
  });

  it("prints a stack trace only with --debug", async () => {
    const crash = tool({
      act: async () => {
        throw new TypeError("unexpected");
      },
    });
    const plain = await run(crash, ["--config", config]);
    expect(plain.code).toBe(1);
    expect(plain.err).not.toMatch(/\n\s+at /);
    const debug = await run(crash, ["--config", config, "--debug"]);
    expect(debug.err).toMatch(/\s+at /);
  });

  it("saves the document and exits 130 on SIGINT during a step", async () => {
    const signals = new EventEmitter();
    let started: () => void = () => {};
    const actStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const endless = tool({
      act: () => {
        started();
        return new Promise(() => {});
      },
    });
    const stdout = new PassThrough();
    let out = "";
    stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    const running = runTool(endless, {
      argv: ["--config", config],
      stdin: Object.assign(textStream(""), { isTTY: false }),
      stdout,
      stderr: new PassThrough(),
      env: { WL_RUNS_DIR: join(dir, "runs") },
      signals,
    });
    await actStarted;
    signals.emit("SIGINT");
    expect(await running).toBe(130);
    const doc = parseRunDoc(out, "stdout");
    expect(doc.error).toMatchObject({
      code: "interrupted",
      exit_code: 130,
      message: "interrupted by SIGINT",
    });
    const saved = parseRunDoc(
      await readFile(join(doc.paths.run_dir, "run.json"), "utf8"),
      "run.json",
    );
    expect(saved.status).toBe("failed");
    expect(signals.listenerCount("SIGINT")).toBe(0);
  });
});
