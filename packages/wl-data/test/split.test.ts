// split: the same seed gives the same files, another seed other files; --stratify system keeps
// every system prompt's share in both; the quotas add up exactly.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitFile, valQuotas } from "../src/split/split-file.ts";
import { chat, readJsonl, removeTempDirs, tempDir, writeJsonl, writeText } from "./helpers.ts";

afterAll(removeTempDirs);

/** 1,000 records: personas A 600, B 300, C 70, none 30, interleaved. */
const PERSONAS: readonly [string | undefined, number][] = [
  ["You are A.", 600],
  ["You are B.", 300],
  ["You are C.", 70],
  [undefined, 30],
];

let input: string;

beforeAll(async () => {
  const records: unknown[] = [];
  for (const [system, count] of PERSONAS) {
    for (let index = 0; index < count; index += 1) {
      records.push(chat(`Question ${index} for ${system ?? "nobody"}`, `Answer ${index}`, system));
    }
  }
  // Interleave deterministically so file order says nothing about persona.
  records.sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length);
  input = await writeJsonl(join(await tempDir(), "all.jsonl"), records);
});

async function split(seed: number, stratify = false, ratio = 0.1) {
  const outDir = await tempDir();
  const result = await splitFile(input, {
    valRatio: ratio,
    seed,
    outDir,
    ...(stratify ? { stratify: "system" as const } : {}),
  });
  const train = await readFile(join(outDir, "train.jsonl"), "utf8");
  const val = await readFile(join(outDir, "val.jsonl"), "utf8");
  return { result, train, val, outDir };
}

function systemOf(record: Record<string, unknown>): string {
  const messages = record.messages as { role: string; content: string }[];
  return messages.find((message) => message.role === "system")?.content ?? "(none)";
}

describe("determinism", () => {
  it("gives byte-identical files for the same seed", async () => {
    const first = await split(42);
    const second = await split(42);
    expect(second.train).toBe(first.train);
    expect(second.val).toBe(first.val);
    expect(second.result.train.sha256).toBe(first.result.train.sha256);
  });

  it("gives other files for another seed", async () => {
    const first = await split(42);
    const other = await split(43);
    expect(other.val).not.toBe(first.val);
    expect(other.result.val.records).toBe(first.result.val.records);
  });

  it("places records by content, not position: a shuffled file splits the same records", async () => {
    const lines = (await readFile(input, "utf8")).trim().split("\n");
    const reversed = await writeText(
      join(await tempDir(), "reversed.jsonl"),
      `${[...lines].reverse().join("\n")}\n`,
    );
    const outDir = await tempDir();
    await splitFile(reversed, { valRatio: 0.1, seed: 42, outDir });
    const val = (await readFile(join(outDir, "val.jsonl"), "utf8")).trim().split("\n");
    const original = (await split(42)).val.trim().split("\n");
    expect(new Set(val)).toEqual(new Set(original));
  });

  it("keeps every record exactly once, in file order", async () => {
    const { result, train, val } = await split(7);
    const all = (await readFile(input, "utf8")).trim().split("\n");
    const trainLines = train.trim().split("\n");
    const valLines = val.trim().split("\n");
    expect(result.train.records + result.val.records).toBe(1000);
    expect(result.val.records).toBe(100);
    expect([...trainLines, ...valLines].sort()).toEqual([...all].sort());
    expect(trainLines).toEqual(all.filter((line) => trainLines.includes(line)));
  });
});

describe("stratified by system prompt", () => {
  it("gives each persona its share in val, exactly", async () => {
    const { result, outDir } = await split(42, true);
    expect(result.groups).toEqual({
      "You are A.": { train: 540, val: 60 },
      "You are B.": { train: 270, val: 30 },
      "You are C.": { train: 63, val: 7 },
      "(none)": { train: 27, val: 3 },
    });
    const val = await readJsonl(join(outDir, "val.jsonl"));
    const counts: Record<string, number> = {};
    for (const record of val) counts[systemOf(record)] = (counts[systemOf(record)] ?? 0) + 1;
    expect(counts).toEqual({ "You are A.": 60, "You are B.": 30, "You are C.": 7, "(none)": 3 });
  });

  it("is deterministic too", async () => {
    expect((await split(5, true)).val).toBe((await split(5, true)).val);
  });
});

describe("val quotas", () => {
  it.each([
    [[600, 300, 70, 30], 0.1, [60, 30, 7, 3]],
    [[5, 5, 5], 0.1, [1, 1, 0]],
    [[3], 0.5, [2]],
    [[1, 1, 1, 1], 0.25, [1, 0, 0, 0]],
  ])("%j × %f → %j", (sizes, ratio, quotas) => {
    expect(valQuotas(sizes, ratio)).toEqual(quotas);
    expect(quotas.reduce((sum, quota) => sum + quota, 0)).toBe(
      Math.round(sizes.reduce((sum, size) => sum + size, 0) * ratio),
    );
  });
});

describe("bad input", () => {
  it("refuses an invalid line, naming it", async () => {
    const file = await writeText(join(await tempDir(), "bad.jsonl"), '{"messages": []}\n{oops\n');
    await expect(
      splitFile(file, { valRatio: 0.1, seed: 1, outDir: await tempDir() }),
    ).rejects.toThrow(`${file}:2: invalid_json`);
  });
});
