// The app's alpaca cleanup: keep instruction / input / output, drop (and count, by reason) the
// records missing an instruction or an output, count the rest as samples_used, refuse "nothing".
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanCommand } from "../src/commands/clean.ts";
import {
  memoryReporter,
  readJsonl,
  removeTempDirs,
  tempDir,
  writeJsonl,
  writeText,
} from "./helpers.ts";

afterAll(removeTempDirs);

/** Runs clean's act on `records` (or raw text) as the command would. */
async function clean(records: readonly unknown[] | string, quarantine = false) {
  const dir = await tempDir();
  const file = join(dir, "app.jsonl");
  if (typeof records === "string") await writeText(file, records);
  else await writeJsonl(file, records);
  const out = join(dir, "clean.jsonl");
  const { report, lines } = memoryReporter();
  const outcome = await cleanCommand.act(
    {
      file,
      out,
      logFormat: "text",
      debug: false,
      ...(quarantine ? { quarantine: join(dir, "dropped.jsonl") } : {}),
    },
    { report, env: {} },
  );
  return { ...outcome, out, lines, dir };
}

describe("alpaca cleanup", () => {
  it("keeps the three fields, drops records missing instruction or output, counts by reason", async () => {
    const { result, failure, out } = await clean([
      { instruction: "Say hi.", input: "", output: "Hi.", id: 1, meta: { source: "app" } },
      { instruction: "Add.", input: "1 + 2", output: "3" },
      { instruction: "No input field.", output: "Fine." },
      { instruction: "", output: "Empty instruction." },
      { instruction: "   ", output: "Blank instruction." },
      { output: "No instruction." },
      { instruction: null, output: "Null instruction." },
      { instruction: "No output." },
      { instruction: "Empty output.", output: "" },
      { input: "Neither." },
    ]);
    expect(failure).toBeUndefined();
    expect(result).toMatchObject({
      ok: true,
      records: 10,
      samples_used: 3,
      dropped: { count: 7, reasons: { missing_instruction: 5, missing_output: 2 } },
      out: { file: out, records: 3 },
    });
    expect(await readJsonl(out)).toEqual([
      { instruction: "Say hi.", input: "", output: "Hi." },
      { instruction: "Add.", input: "1 + 2", output: "3" },
      { instruction: "No input field.", input: "", output: "Fine." },
    ]);
  });

  it("counts lines that are not records too, and keeps the dropped ones in --quarantine", async () => {
    const text = [
      JSON.stringify({ instruction: "Keep.", output: "Kept." }),
      "{not json",
      "[]",
      JSON.stringify({ instruction: "Drop me." }),
      "",
    ].join("\n");
    const { result, dir, lines } = await clean(text, true);
    expect(result).toMatchObject({
      samples_used: 1,
      dropped: {
        count: 3,
        reasons: { invalid_json: 1, not_object: 1, missing_output: 1 },
        quarantine_file: join(dir, "dropped.jsonl"),
      },
    });
    const dropped = await readJsonl(join(dir, "dropped.jsonl"));
    expect(dropped.map((entry) => [entry.line, entry.reason, entry.record])).toEqual([
      [2, "invalid_json", "{not json"],
      [3, "not_object", "[]"],
      [4, "missing_output", '{"instruction":"Drop me."}'],
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(/⚠️ WARNING: .*: 3 of 4 records set aside in .*dropped\.jsonl/),
    );
  });

  it("says how to keep dropped records when there is no quarantine", async () => {
    const { lines } = await clean([{ instruction: "a", output: "b" }, { instruction: "c" }]);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /⚠️ WARNING: .*: 1 of 2 records dropped \(missing_output 1\) → fix: pass --quarantine FILE/,
      ),
    );
  });

  it("aborts when nothing is left, writing nothing", async () => {
    const { result, failure, out } = await clean([
      { instruction: "x" },
      { output: "y" },
      { input: "z" },
    ]);
    expect(failure?.code).toBe("data.empty");
    expect(failure?.message).toMatch(
      /^nothing left: all 3 records of .* were set aside \(missing_instruction 2, missing_output 1\)$/,
    );
    expect(result).toMatchObject({ ok: false, samples_used: 0, dropped: { count: 3 } });
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  it("aborts on an empty file", async () => {
    const { failure } = await clean("\n\n");
    expect(failure?.message).toMatch(/^no records in /);
  });

  it("refuses chat records, pointing at validate and convert", async () => {
    await expect(clean([{ messages: [{ role: "user", content: "hi" }] }])).rejects.toThrow(
      /holds chat records; clean takes alpaca records/,
    );
  });
});
