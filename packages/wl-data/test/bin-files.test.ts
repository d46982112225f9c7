// The file commands end to end: validate, clean, convert, split, stats and example — exit codes,
// the JSON result on stdout, status lines on stderr. `bin` runs the real launcher (execa); `run`
// runs the same `main` in-process, for the cases where start-up time is all the launcher adds.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { eventSchema } from "@wl/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BAD_CHAT_PROBLEMS,
  type BinRun,
  chat,
  expectOneError,
  expectStatusLinesOnly,
  FIXTURES,
  jsonOf,
  readJsonl,
  removeTempDirs,
  runMain,
  tempDir,
  wlData,
  writeJsonl,
} from "./helpers.ts";

const BAD = join(FIXTURES, "bad-chat.jsonl");

let ws: string;

beforeAll(async () => {
  ws = await tempDir();
});

afterAll(removeTempDirs);

function bin(args: string[]): Promise<BinRun> {
  return wlData(args, { cwd: ws });
}

function run(args: string[]): Promise<BinRun> {
  return runMain(args);
}

describe("wl-data", () => {
  it("--help lists the commands and the exit codes", async () => {
    const result = await bin(["--help"]);
    expect(result.exitCode).toBe(0);
    for (const command of ["build", "validate", "clean", "convert", "split", "stats", "example"]) {
      expect(result.stdout).toContain(`wl-data ${command}`);
    }
    expect(result.stdout).toMatch(/Exit codes:\n {2}0 success\n {2}1 error/);
    expect(result.stderr).toBe("");
  });

  it("an unknown command → 1, with a did-you-mean", async () => {
    const result = await bin(["valdate", "x.jsonl"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expectOneError(result, 'unknown command "valdate"', 'did you mean "validate"?');
  });

  it("an unknown flag → 1, pointing at the command's --help", async () => {
    const result = await run(["stats", BAD, "--frobnicate"]);
    expect(result.exitCode).toBe(1);
    expectOneError(result, "Unknown argument: frobnicate", "run wl-data stats --help");
  });
});

describe("validate FILE", () => {
  it("exits 1 with every problem counted, the first 10 listed by line, and one error", async () => {
    const result = await bin(["validate", BAD]);
    expect(result.exitCode).toBe(1);
    const report = jsonOf(result);
    expect(report).toMatchObject({ ok: false, records: 20, kept: 3, invalid: 17 });
    const [file] = report.files as { problems: { line: number }[] }[];
    expect(file?.problems.map((found) => found.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(result.lines.filter((line) => line.startsWith(`[WL-DATA] ${BAD}:`))).toHaveLength(10);
    expect(result.lines).toContain(`[WL-DATA] … and 7 more in ${BAD}`);
    expectOneError(
      result,
      /17 of 20 records invalid in .*bad-chat\.jsonl \(missing_field 3, /,
      "--quarantine FILE",
    );
  });

  it("exits 0 with --quarantine, writing the good and the bad records", async () => {
    const out = join(ws, "good.jsonl");
    const quarantine = join(ws, "bad.jsonl");
    const result = await run(["validate", BAD, "--quarantine", quarantine, "--out", out]);
    expect(result.exitCode).toBe(0);
    expect(jsonOf(result)).toMatchObject({
      ok: true,
      kept: 3,
      invalid: 17,
      quarantine_file: quarantine,
      out: { file: out, records: 3 },
    });
    expect(await readJsonl(out)).toHaveLength(3);
    expect(await readJsonl(quarantine)).toHaveLength(17);
    expect(result.errors).toEqual([]);
    expectStatusLinesOnly(result);
  });

  it("validates the shipped weather sample", async () => {
    const sample = join(FIXTURES, "../../../../data/weather/sample-train.jsonl");
    const result = await run(["validate", sample]);
    expect(result.exitCode).toBe(0);
    expect(jsonOf(result)).toMatchObject({ ok: true, invalid: 0 });
    expect(result.lines).toEqual([
      expect.stringMatching(/✅ SUCCESS: .*sample-train\.jsonl \(chat\): \d+ records, all valid$/),
    ]);
  });
});

describe("validate FILE: more", () => {
  it("a missing file → 1, naming it", async () => {
    const missing = join(ws, "missing.jsonl");
    const result = await run(["validate", missing]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expectOneError(result, `cannot read data file ${missing}: not found`, "check the path");
  });

  it("--log-format json: one wl.event/1 per stderr line, problems with file, line and reason", async () => {
    const result = await run(["validate", BAD, "--log-format", "json"]);
    expect(result.exitCode).toBe(1);
    const events = result.lines.map((line) => eventSchema.parse(JSON.parse(line)));
    const problems = events.filter((event) => event.event === "data.problem" && event.data?.line);
    expect(problems.map((event) => [event.data?.line, event.data?.reason])).toEqual(
      BAD_CHAT_PROBLEMS.slice(0, 10),
    );
    expect(events.at(-1)).toMatchObject({ level: "error", data: { code: "data.invalid" } });
  });
});

describe("clean", () => {
  it("prints samples_used and the dropped counts", async () => {
    const file = await writeJsonl(join(ws, "app.jsonl"), [
      { instruction: "a", input: "", output: "b", extra: 1 },
      { instruction: "c" },
      { output: "d" },
    ]);
    const out = join(ws, "app-clean.jsonl");
    const result = await run(["clean", file, "--out", out]);
    expect(result.exitCode).toBe(0);
    expect(jsonOf(result)).toMatchObject({
      samples_used: 1,
      dropped: { count: 2, reasons: { missing_instruction: 1, missing_output: 1 } },
    });
    expect(await readJsonl(out)).toEqual([{ instruction: "a", input: "", output: "b" }]);
  });

  it("exits 1 when nothing is left, with the counts still on stdout", async () => {
    const file = await writeJsonl(join(ws, "app-bad.jsonl"), [{ instruction: "c" }]);
    const result = await run(["clean", file, "--out", join(ws, "never.jsonl")]);
    expect(result.exitCode).toBe(1);
    expect(jsonOf(result)).toMatchObject({ ok: false, samples_used: 0, dropped: { count: 1 } });
    expectOneError(result, "nothing left: all 1 records", "nothing was written");
    await expect(readFile(join(ws, "never.jsonl"))).rejects.toThrow(/ENOENT/);
  });
});

describe("convert", () => {
  it("writes ShareGPT records as chat", async () => {
    const file = await writeJsonl(join(ws, "sharegpt.jsonl"), [
      {
        conversations: [
          { from: "human", value: "Hi" },
          { from: "gpt", value: "Hello" },
        ],
      },
    ]);
    const out = join(ws, "sharegpt-chat.jsonl");
    const result = await run(["convert", file, "--out", out]);
    expect(result.exitCode).toBe(0);
    expect(jsonOf(result)).toMatchObject({ ok: true, files: [{ format: "sharegpt", kept: 1 }] });
    expect(await readJsonl(out)).toEqual([chat("Hi", "Hello")]);
  });

  it("needs --out", async () => {
    const result = await run(["convert", BAD]);
    expect(result.exitCode).toBe(1);
    expectOneError(result, "Missing required argument: out", "run wl-data convert --help");
  });
});

describe("split", () => {
  let input: string;

  beforeAll(async () => {
    const records = Array.from({ length: 200 }, (_, index) =>
      chat(`Q${index}`, `A${index}`, index % 4 ? "S1" : "S2"),
    );
    input = await writeJsonl(join(ws, "split-me.jsonl"), records);
  });

  it("writes the same files for the same seed, and says what it did", async () => {
    const [first, second] = await Promise.all([
      run(["split", input, "--out", join(ws, "s1"), "--seed", "3", "--stratify", "system"]),
      run(["split", input, "--out", join(ws, "s2"), "--seed", "3", "--stratify", "system"]),
    ]);
    expect(first.exitCode).toBe(0);
    const result = jsonOf(first);
    expect(result).toMatchObject({
      train: { records: 180 },
      val: { records: 20 },
      seed: 3,
      stratify: "system",
      groups: { S1: { train: 135, val: 15 }, S2: { train: 45, val: 5 } },
    });
    expect(jsonOf(second)).toEqual({
      ...result,
      train: { ...(result.train as object), file: join(ws, "s2", "train.jsonl") },
      val: { ...(result.val as object), file: join(ws, "s2", "val.jsonl") },
    });
    expect(first.lines).toEqual([
      `[WL-DATA] ✅ SUCCESS: split ${input}: 180 train, 20 val (seed 3, stratified by system prompt (2 groups))`,
    ]);
  });

  it("refuses a ratio outside (0, 1)", async () => {
    const result = await run(["split", input, "--out", join(ws, "s3"), "--val-ratio", "1.5"]);
    expect(result.exitCode).toBe(1);
    expectOneError(
      result,
      "expected --val-ratio above 0 and below 1, got 1.5",
      "e.g. --val-ratio 0.1",
    );
  });
});

describe("stats", () => {
  it("prints text, or JSON with --json", async () => {
    const file = await writeJsonl(join(ws, "stats.jsonl"), [chat("a", "b", "S"), chat("c", "d")]);
    const [text, json] = await Promise.all([bin(["stats", file]), bin(["stats", file, "--json"])]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout.split("\n")[0]).toBe("records         2 in 1 file");
    expect(jsonOf(json)).toMatchObject({ records: 2, turns: 5, system_prompts: { distinct: 2 } });
  });
});

describe("example weather", () => {
  it("writes train.jsonl and val.jsonl split 90/10 by persona, all valid", async () => {
    const out = join(ws, "weather");
    const result = await run(["example", "weather", "--n", "300", "--seed", "42", "--out", out]);
    expect(result.exitCode).toBe(0);
    const summary = jsonOf(result) as {
      train: { records: number };
      val: { records: number };
      groups: Record<string, { train: number; val: number }>;
    };
    expect(summary).toMatchObject({ example: "weather", n: 300, seed: 42, stratify: "system" });
    expect(summary.train.records + summary.val.records).toBe(300);
    expect(summary.val.records).toBe(30);
    const check = await run(["validate", join(out, "train.jsonl"), join(out, "val.jsonl")]);
    expect(check.exitCode).toBe(0);
    expect(jsonOf(check)).toMatchObject({ records: 300, invalid: 0 });
  });

  it("refuses an unknown example", async () => {
    const result = await run(["example", "stocks", "--out", join(ws, "x")]);
    expect(result.exitCode).toBe(1);
    expectOneError(
      result,
      'Invalid values: Argument: name, Given: "stocks", Choices: "weather"',
      "run wl-data example --help",
    );
  });
});
