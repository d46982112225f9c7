// preflight() on whole run documents: every check recorded once, the verdict, the error and the
// status lines a reporter writes.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import {
  createReporter,
  eventSchema,
  type LogFormat,
  loadConfig,
  RUN_SCHEMA,
  type RunDoc,
  runDocSchema,
  WlError,
} from "@wl/core";
import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_CHECKS, preflight } from "../src/preflight.ts";
import {
  CHECK_NAMES,
  chatRecord,
  removeTempDirs,
  tempDir,
  writeJsonl,
  writeModelDir,
} from "./fixtures.ts";

afterEach(removeTempDirs);

/** A writable stream that keeps what it is given. */
class Buffered extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString("utf8");
    done();
  }
  lines(): string[] {
    return this.text.split("\n").filter((line) => line !== "");
  }
}

/** A run folder with a fake complete model, two JSONL files and a config naming them. */
async function setup(
  yamlExtra = "",
): Promise<{ dir: string; doc: RunDoc; env: NodeJS.ProcessEnv }> {
  const dir = await tempDir();
  await writeModelDir(join(dir, "model"));
  await writeJsonl(join(dir, "train.jsonl"), [chatRecord("a", "b"), chatRecord("c", "d")]);
  await writeJsonl(join(dir, "val.jsonl"), [chatRecord("e", "f")]);
  const file = join(dir, "wl.yaml");
  await writeFile(
    file,
    [
      "model:",
      "  base: ./model",
      "data:",
      "  train: train.jsonl",
      "  val: val.jsonl",
      "compute:",
      "  min_free_disk_gb: 0",
      yamlExtra,
    ].join("\n"),
  );
  const doc: RunDoc = {
    schema: RUN_SCHEMA,
    run_id: "2026-01-01-000000-abcdef",
    created_at: new Date().toISOString(),
    status: "ok",
    config: await loadConfig(file),
    paths: { run_dir: join(dir, "runs", "2026-01-01-000000-abcdef") },
    steps: [],
  };
  const env = { WL_TRAINER_PYTHON: join(dir, "no-python"), HF_HUB_CACHE: join(dir, "hub") };
  return { dir, doc, env };
}

async function run(doc: RunDoc, env: NodeJS.ProcessEnv, dir: string, format: LogFormat = "text") {
  const stream = new Buffered();
  const report = createReporter({ tool: "wl-preflight", stream, format, env: { NO_COLOR: "1" } });
  const result = await preflight(doc, { report, env, home: join(dir, "home") });
  return { result, lines: stream.lines() };
}

describe("preflight", () => {
  it("passes a good run and records every check once", async () => {
    const { dir, doc, env } = await setup();
    const { result } = await run(doc, env, dir);
    expect(result.status).toBe("ok");
    expect(result.error).toBeUndefined();
    expect(result.preflight?.ok).toBe(true);
    expect(result.preflight?.checks.map((check) => check.name)).toEqual(CHECK_NAMES);
    expect(result.preflight?.checks.find((c) => c.name === "trainer")?.status).toBe("skip");
    expect(runDocSchema.safeParse(result).success).toBe(true);
    // The input document is left as it was.
    expect(doc.preflight).toBeUndefined();
  });

  it("runs each local check exactly once", () => {
    expect(new Set(LOCAL_CHECKS).size).toBe(LOCAL_CHECKS.length);
    expect(LOCAL_CHECKS).toHaveLength(CHECK_NAMES.length - 2);
  });

  it("marks the run failed with exit code 3 when one check fails", async () => {
    const { dir, doc, env } = await setup();
    const broken = structuredClone(doc);
    if (broken.config) broken.config.resolved.data.train = join(dir, "missing.jsonl");
    const { result } = await run(broken, env, dir);
    expect(result.status).toBe("failed");
    expect(result.preflight?.ok).toBe(false);
    const data = result.preflight?.checks.find((check) => check.name === "data");
    expect(data?.status).toBe("fail");
    expect(result.error).toEqual({
      step: "wl-preflight",
      code: "preflight.failed",
      message: "preflight failed: data (6 ok, 1 fail, 1 skip)",
      fix: data?.fix,
      exit_code: 3,
    });
    expect(result.preflight?.checks.map((check) => check.name)).toEqual(CHECK_NAMES);
    expect(runDocSchema.safeParse(result).success).toBe(true);
  });

  it("names every failing check and gives the first one's fix", async () => {
    const { dir, doc, env } = await setup();
    const broken = structuredClone(doc);
    if (broken.config) {
      broken.config.resolved.data.train = join(dir, "missing.jsonl");
      broken.config.resolved.model.base = join(dir, "no-model");
    }
    const { result } = await run(broken, env, dir);
    expect(result.error?.message).toBe("preflight failed: data, model (5 ok, 2 fail, 1 skip)");
    expect(result.error?.fix).toBe("fix data.train in the config");
  });

  it("passes with a warning: a hub model that is not cached yet", async () => {
    const { dir, doc, env } = await setup();
    const hub = structuredClone(doc);
    if (hub.config) hub.config.resolved.model.base = "acme/not-cached";
    const { result, lines } = await run(hub, env, dir);
    expect(result.status).toBe("ok");
    expect(result.preflight?.ok).toBe(true);
    expect(result.preflight?.checks.find((check) => check.name === "model")?.status).toBe("warn");
    expect(lines).toContainEqual(
      expect.stringMatching(/^\[WL-PREFLIGHT\] ⚠️ WARNING: hub model acme\/not-cached .* → fix: /),
    );
    expect(lines.at(-1)).toBe("[WL-PREFLIGHT] ✅ SUCCESS: preflight passed: 6 ok, 1 warn, 1 skip");
  });

  it("writes one status line per check and a closing verdict", async () => {
    const { dir, doc, env } = await setup();
    const { lines } = await run(doc, env, dir);
    expect(lines).toHaveLength(CHECK_NAMES.length + 1);
    expect(lines[0]).toBe(`[WL-PREFLIGHT] ✅ SUCCESS: config valid: ${join(dir, "wl.yaml")}`);
    expect(lines).toContain("[WL-PREFLIGHT] ✅ SUCCESS: data parses: 2 train, 1 val records");
    expect(lines).toContainEqual(expect.stringMatching(/^\[WL-PREFLIGHT\] skipped: trainer env/));
    expect(lines.at(-1)).toBe("[WL-PREFLIGHT] ✅ SUCCESS: preflight passed: 7 ok, 1 skip");
    expect(lines.join("\n")).not.toContain("\u001b[");
  });

  it("writes ❌ ERROR lines with the fix for a failing check and for the verdict", async () => {
    const { dir, doc, env } = await setup();
    const broken = structuredClone(doc);
    const missing = join(dir, "missing.jsonl");
    if (broken.config) broken.config.resolved.data.train = missing;
    const { lines } = await run(broken, env, dir);
    const errors = lines.filter((line) => line.includes("❌ ERROR"));
    expect(errors).toEqual([
      `[WL-PREFLIGHT] ❌ ERROR: train data not found: ${missing} → fix: fix data.train in the config`,
      "[WL-PREFLIGHT] ❌ ERROR: preflight failed: data (6 ok, 1 fail, 1 skip) → fix: fix data.train in the config",
    ]);
  });

  it("emits one check.result event per check and one preflight.done as JSON", async () => {
    const { dir, doc, env } = await setup();
    const { lines } = await run(doc, env, dir, "json");
    const events = lines.map((line) => eventSchema.parse(JSON.parse(line)));
    const results = events.filter((event) => event.event === "check.result");
    expect(results.map((event) => event.data?.name)).toEqual(CHECK_NAMES);
    expect(results.find((event) => event.data?.name === "trainer")?.level).toBe("info");
    const done = events.filter((event) => event.event === "preflight.done");
    expect(done).toHaveLength(1);
    expect(done[0]?.data).toEqual({ ok: true, counts: { ok: 7, warn: 0, fail: 0, skip: 1 } });
  });

  it("replaces the section of an earlier preflight", async () => {
    const { dir, doc, env } = await setup();
    const first = (await run(doc, env, dir)).result;
    const second = (await run(first, env, dir)).result;
    expect(second.preflight?.checks).toHaveLength(CHECK_NAMES.length);
    expect(second.run_id).toBe(doc.run_id);
  });

  it("checks the files wl-data wrote, not the config's, when the document has them", async () => {
    const { dir, doc, env } = await setup();
    const built = join(dir, "runs", "built-train.jsonl");
    await mkdir(dirname(built), { recursive: true });
    await writeFile(built, '{"messages": []}\nnot json\n');
    const data = {
      train: built,
      sources: { train: "builder" },
      format: { train: "chat" as const },
      samples_used: 2,
      records: { train: 2 },
      sha256: { train: "0".repeat(64) },
      dropped: { count: 0, reasons: {} },
    };
    const { result } = await run({ ...doc, data }, env, dir);
    const check = result.preflight?.checks.find((result) => result.name === "data");
    expect(check?.status).toBe("fail");
    expect(check?.message).toContain(`${built}:2: not valid JSON`);
  });

  it("refuses a document without a config, with the fix", async () => {
    const { dir, doc, env } = await setup();
    const { config: _config, ...bare } = doc;
    const error = await run(bare, env, dir).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(WlError);
    expect(error).toMatchObject({
      code: "preflight.no_config",
      fix: "start the pipe with wl-preflight --config FILE",
    });
  });
});
