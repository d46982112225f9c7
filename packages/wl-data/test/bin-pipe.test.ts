// End to end through the real bin, in a pipe: validate and build with a config or a document on
// stdin; exit codes, the run document on stdout (checked by runDocSchema), run.json, stderr lines.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunDoc } from "@wl/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256File } from "../src/jsonl/sha256.ts";
import {
  type BinRun,
  chat,
  documentOf,
  expectOneError,
  expectStatusLinesOnly,
  FIXTURES,
  readJsonl,
  removeTempDirs,
  tempDir,
  wlData,
  writeJsonl,
  writeText,
} from "./helpers.ts";

const BAD = join(FIXTURES, "bad-chat.jsonl");

let ws: string;
let runsDir: string;
let goodVal: string;

beforeAll(async () => {
  ws = await tempDir();
  runsDir = join(ws, "runs");
  goodVal = await writeJsonl(join(ws, "val.jsonl"), [
    chat("Berlin?", "Windy."),
    chat("Rome?", "Sunny."),
  ]);
});

afterAll(removeTempDirs);

/** A config training on `train` (and the good val file). */
async function config(name: string, train: string, extra = ""): Promise<string> {
  const yaml = `name: ${name}\nmodel:\n  base: org/model\ndata:\n  train: ${train}\n  val: ${goodVal}\n${extra}`;
  return writeText(join(ws, `${name}.yaml`), yaml);
}

function run(args: string[], input?: string): Promise<BinRun> {
  return wlData(args, { cwd: ws, env: { WL_RUNS_DIR: runsDir }, ...(input ? { input } : {}) });
}

async function saved(doc: RunDoc): Promise<unknown> {
  return JSON.parse(await readFile(join(doc.paths.run_dir, "run.json"), "utf8"));
}

describe.concurrent("validate in a pipe", () => {
  let failed: BinRun;
  let quarantined: BinRun;

  beforeAll(async () => {
    const file = await config("bad", BAD);
    [failed, quarantined] = await Promise.all([
      run(["validate", "--config", file]),
      run(["validate", "--config", file, "--quarantine"]),
    ]);
  });

  it("fails on invalid records: exit 1, a failed document naming the count and the fix", async () => {
    expect(failed.exitCode).toBe(1);
    const doc = documentOf(failed);
    expect(doc.status).toBe("failed");
    expect(doc.data).toBeUndefined();
    expect(doc.error).toMatchObject({ step: "wl-data", code: "data.invalid", exit_code: 1 });
    expect(doc.error?.message).toMatch(/^17 of 20 records invalid in .*bad-chat\.jsonl \(/);
    expect(await saved(doc)).toEqual(JSON.parse(failed.stdout));
    expectOneError(failed, "17 of 20 records invalid", "wl-data validate --quarantine [FILE]");
    expect(failed.lines).toContain(
      `[WL-DATA] ${BAD}:2: invalid_json: Expected ',' or '}' after property value in JSON at position 91`,
    );
  });

  it("sets records aside with --quarantine and points data at the records that go on", async () => {
    expect(quarantined.exitCode).toBe(0);
    const doc = documentOf(quarantined);
    const dataDir = join(doc.paths.run_dir, "data");
    expect(doc.data).toEqual({
      train: join(dataDir, "train.jsonl"),
      val: goodVal,
      sources: { train: BAD, val: goodVal },
      format: { train: "chat", val: "chat" },
      samples_used: 3,
      records: { train: 3, val: 2 },
      sha256: {
        train: await sha256File(join(dataDir, "train.jsonl")),
        val: await sha256File(goodVal),
      },
      dropped: {
        count: 17,
        reasons: expect.objectContaining({
          missing_field: 3,
          invalid_json: 1,
          unmatched_tool_result: 2,
        }),
        quarantine_file: join(dataDir, "quarantine.jsonl"),
      },
    });
    expect(await readJsonl(join(dataDir, "quarantine.jsonl"))).toHaveLength(17);
    expect(await readJsonl(join(dataDir, "train.jsonl"))).toHaveLength(3);
    expect(quarantined.lines).toContainEqual(
      expect.stringMatching(
        /⚠️ WARNING: .*bad-chat\.jsonl \(chat\): 17 of 20 records set aside in .*quarantine\.jsonl/,
      ),
    );
    expect(quarantined.lines.at(-1)).toBe(
      "[WL-DATA] ✅ SUCCESS: data ready: 3 train, 2 val records, 17 set aside",
    );
    expect(quarantined.errors).toEqual([]);
    expectStatusLinesOnly(quarantined);
  });

  it("reads the document on stdin, keeps what the user gave, and adds a step", async () => {
    const upstream = documentOf(quarantined);
    const again = await run(["validate"], quarantined.stdout);
    expect(again.exitCode).toBe(0);
    const doc = documentOf(again);
    expect(doc.run_id).toBe(upstream.run_id);
    expect(doc.data).toEqual({ ...upstream.data, train: upstream.data?.train });
    expect(doc.steps.map((step) => [step.tool, step.status])).toEqual([
      ["wl-data", "ok"],
      ["wl-data", "ok"],
    ]);
    expect(await saved(doc)).toEqual(JSON.parse(again.stdout));
  });

  it("passes a failed document through with its exit code, doing nothing", async () => {
    const upstream = documentOf(failed);
    const passed = await run(["validate", "--quarantine"], failed.stdout);
    expect(passed.exitCode).toBe(1);
    const doc = documentOf(passed);
    expect({ ...doc, steps: [] }).toEqual({ ...upstream, steps: [] });
    expect(doc.steps.at(-1)).toMatchObject({ tool: "wl-data", status: "skipped", exit_code: 1 });
    expect(passed.lines).toContainEqual(
      expect.stringMatching(/^\[WL-DATA\] ⚠️ WARNING: skipped: wl-data failed \(/),
    );
    expect(passed.errors).toEqual([]);
  });

  it("converts an alpaca train file to chat in the run folder", async () => {
    const alpaca = await writeJsonl(join(ws, "alpaca.jsonl"), [
      { instruction: "Say hi.", output: "Hi." },
    ]);
    const result = await run(["validate", "--config", await config("alpaca", alpaca)]);
    expect(result.exitCode).toBe(0);
    const doc = documentOf(result);
    expect(doc.data?.format).toEqual({ train: "alpaca", val: "chat" });
    expect(await readJsonl(doc.data?.train ?? "")).toEqual([chat("Say hi.", "Hi.")]);
  });
});

describe.concurrent("build", () => {
  /** A builder that prints 40 alpaca records (two personas) and two bad ones, and talks on stderr. */
  const BUILDER = [
    "for (let i = 0; i < 40; i++)",
    "  console.log(JSON.stringify({ instruction: 'Q' + i, input: i % 2 ? 'x' + i : '', output: 'A' + i, system: i % 4 ? 'S1' : 'S2', id: i }));",
    "console.log(JSON.stringify({ instruction: 'no output' }));",
    "console.log('not json');",
    "console.error('built 42 rows');",
  ].join("\n");

  let built: BinRun;

  beforeAll(async () => {
    const script = await writeText(join(ws, "build.mjs"), BUILDER);
    built = await run([
      "build",
      "--config",
      await config("build", BAD),
      "--from",
      `node ${script}`,
      "--val-ratio",
      "0.25",
      "--stratify",
      "system",
    ]);
  });

  it("runs the builder, sets bad records aside, splits, and starts the run's data", async () => {
    expect(built.exitCode).toBe(0);
    const doc = documentOf(built);
    const dataDir = join(doc.paths.run_dir, "data");
    expect(doc.data).toMatchObject({
      train: join(dataDir, "train.jsonl"),
      val: join(dataDir, "val.jsonl"),
      sources: {
        train: expect.stringMatching(/^node .*build\.mjs$/),
        val: expect.stringMatching(/build\.mjs$/),
      },
      format: { train: "alpaca", val: "alpaca" },
      samples_used: 30,
      records: { train: 30, val: 10 },
      dropped: {
        count: 2,
        reasons: { missing_output: 1, invalid_json: 1 },
        quarantine_file: join(dataDir, "build-quarantine.jsonl"),
      },
    });
    expect(doc.data?.sha256.train).toBe(await sha256File(join(dataDir, "train.jsonl")));
    const val = await readJsonl(join(dataDir, "val.jsonl"));
    // 30 S1 and 10 S2 records: a quarter of each goes to val.
    const systems = val.map((record) => (record.messages as { content: string }[])[0]?.content);
    expect(systems.filter((system) => system === "S2")).toHaveLength(3);
    expect(systems.filter((system) => system === "S1")).toHaveLength(7);
    expect(built.lines).toContain("[WL-DATA] builder: built 42 rows");
    expect(built.lines.at(-1)).toMatch(
      /✅ SUCCESS: data built: 30 train, 10 val records from node .*, 2 set aside$/,
    );
    expect(await saved(doc)).toEqual(JSON.parse(built.stdout));
  });

  it("feeds validate in the next step of the pipe", async () => {
    const next = await run(["validate"], built.stdout);
    expect(next.exitCode).toBe(0);
    expect(documentOf(next).data).toEqual(documentOf(built).data);
  });

  it("takes a data file instead of a command", async () => {
    const file = await writeJsonl(join(ws, "ready.jsonl"), [chat("a", "b"), chat("c", "d")]);
    const result = await run(["build", "--config", await config("file", BAD), "--from", file]);
    expect(result.exitCode).toBe(0);
    expect(documentOf(result).data).toMatchObject({
      sources: { train: file },
      records: { train: 2 },
      dropped: { count: 0 },
    });
  });

  it("fails with the builder's exit code and last line, writing a failed document", async () => {
    const result = await run([
      "build",
      "--config",
      await config("broken", BAD),
      "--from",
      "node -e \"console.error('no database'); process.exit(3)\"",
    ]);
    expect(result.exitCode).toBe(1);
    const doc = documentOf(result);
    expect(doc.error).toMatchObject({ code: "data.builder_failed", step: "wl-data" });
    expectOneError(
      result,
      "the dataset builder failed (exit code 3): no database",
      "run it yourself to see why",
    );
  });

  it("aborts when the builder prints nothing", async () => {
    const result = await run([
      "build",
      "--config",
      await config("empty", BAD),
      "--from",
      "node -e 0",
    ]);
    expect(result.exitCode).toBe(1);
    expect(documentOf(result).error?.code).toBe("data.empty");
    expectOneError(result, "built no records", "pass --output FILE");
  });
});
