// validate on files, through the functions: every problem kind at its exact line, the line ends
// and blank lines that are tolerated, invalid UTF-8, --out and --quarantine.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkChat } from "../src/screen/chat-checks.ts";
import { toChat } from "../src/screen/rules.ts";
import { type ScreenFilesResult, screenFiles } from "../src/screen/screen-files.ts";
import {
  BAD_CHAT_PROBLEMS,
  chat,
  FIXTURES,
  memoryReporter,
  readJsonl,
  removeTempDirs,
  tempDir,
  writeJsonl,
  writeText,
} from "./helpers.ts";

afterAll(removeTempDirs);

const BAD = join(FIXTURES, "bad-chat.jsonl");

/** Validates files with a quarantine (so every problem is kept); returns the result and entries. */
async function quarantined(files: string[], out?: string) {
  const dir = await tempDir();
  const quarantine = join(dir, "quarantine.jsonl");
  const { report, lines } = memoryReporter();
  const { result, failure } = await screenFiles(files, {
    format: "auto",
    rule: toChat,
    invalid: "fail",
    quarantine,
    report,
    ...(out ? { out } : {}),
  });
  return { result, failure, entries: await readJsonl(quarantine), lines, quarantine };
}

describe("each problem kind at its line", () => {
  let entries: Record<string, unknown>[];
  let result: ScreenFilesResult;

  beforeAll(async () => {
    ({ entries, result } = await quarantined([BAD]));
  });

  it("finds exactly the expected [line, reason] list", () => {
    expect(entries.map((entry) => [entry.line, entry.reason])).toEqual(BAD_CHAT_PROBLEMS);
    expect(result).toMatchObject({ records: 20, kept: 3, invalid: BAD_CHAT_PROBLEMS.length });
  });

  it.each(BAD_CHAT_PROBLEMS)("line %i: %s", (line, reason) => {
    const entry = entries.find((each) => each.line === line);
    expect(entry?.reason).toBe(reason);
    expect(entry?.detail).toEqual(expect.any(String));
  });

  it("counts by reason and lists the first 10 problems by line", () => {
    const counts: Record<string, number> = {};
    for (const [, reason] of BAD_CHAT_PROBLEMS) counts[reason] = (counts[reason] ?? 0) + 1;
    expect(result.reasons).toEqual(counts);
    expect(result.files[0]?.problems.map((found) => found.line)).toEqual(
      BAD_CHAT_PROBLEMS.slice(0, 10).map(([line]) => line),
    );
  });

  it("keeps each set-aside record's original text and its file", async () => {
    const lines = (await readFile(BAD, "utf8")).split("\n");
    for (const entry of entries) {
      expect(entry.record).toBe(lines[(entry.line as number) - 1]);
      expect(entry.file).toBe(BAD);
    }
  });

  it("names the field in each detail", () => {
    const details = Object.fromEntries(entries.map((entry) => [entry.line, entry.detail]));
    expect(details[5]).toBe('messages[0].role "bot" is not one of system, user, assistant, tool');
    expect(details[7]).toBe('messages[2].tool_call_id "call_9" matches no earlier tool call');
    expect(details[9]).toBe(
      "messages[1].tool_calls[0].function.arguments is text that does not parse as JSON",
    );
    expect(details[15]).toBe('messages[1].tool_call_id "c1" matches no earlier tool call');
    expect(details[19]).toBe("messages[2].tool_call_id is missing");
  });
});

describe("checkChat", () => {
  const call = (args: unknown) => ({
    messages: [
      { role: "user", content: "Oslo?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: args } }],
      },
      { role: "tool", tool_call_id: "a", content: "{}" },
      { role: "assistant", content: "Rain." },
    ],
  });

  it.each([
    ["a JSON string", '{"city": "Oslo"}', undefined],
    ["an object", { city: "Oslo" }, undefined],
    ["JSON of an array", "[1]", "bad_arguments"],
    ["a number", 7, "bad_arguments"],
    ["missing", undefined, "missing_field"],
  ])("tool-call arguments as %s → %s", (_, args, reason) => {
    expect(checkChat(call(args))?.reason).toBe(reason);
  });

  it("accepts the shipped weather sample", async () => {
    const sample = await readJsonl(join(FIXTURES, "../../../../data/weather/sample-train.jsonl"));
    expect(sample.length).toBeGreaterThan(0);
    for (const record of sample) expect(checkChat(record)).toBeUndefined();
  });
});

describe("line ends and blank lines", () => {
  it("tolerates a BOM, CRLF, blank lines and a missing final newline, keeping line numbers", async () => {
    const good = JSON.stringify(chat("Oslo?", "Rain."));
    const bad = JSON.stringify({ messages: [{ role: "user", content: "no answer" }] });
    const text = `\uFEFF${good}\r\n\r\n${good}\r\n   \r\n${bad}\r\n${good}`;
    const file = await writeText(join(await tempDir(), "crlf.jsonl"), text);
    const { result, entries } = await quarantined([file]);
    expect(result).toMatchObject({ records: 4, kept: 3, invalid: 1 });
    expect(entries).toEqual([
      expect.objectContaining({ line: 5, reason: "no_assistant_turn", record: bad }),
    ]);
  });

  it("writes the valid records of a BOM + CRLF file without the BOM or the CRs", async () => {
    const good = JSON.stringify(chat("Oslo?", "Rain."));
    const dir = await tempDir();
    const file = await writeText(join(dir, "bom.jsonl"), `\uFEFF${good}\r\n${good}\r\n`);
    const out = join(dir, "out.jsonl");
    await quarantined([file], out);
    expect(await readFile(out, "utf8")).toBe(`${good}\n${good}\n`);
  });
});

describe("invalid UTF-8", () => {
  it("is reported at its line and byte, and the rest go on", async () => {
    const good = Buffer.from(`${JSON.stringify(chat("Oslo?", "Rain."))}\n`);
    const head = Buffer.from('{"messages": [{"role": "user", "content": "caf');
    const tail = Buffer.from('"}, {"role": "assistant", "content": "ok"}]}\n');
    const latin1 = Buffer.concat([head, Buffer.from([0xe9]), tail]);
    const file = await writeText(
      join(await tempDir(), "latin1.jsonl"),
      Buffer.concat([good, latin1, good]),
    );
    const { result, entries } = await quarantined([file]);
    expect(result).toMatchObject({ records: 3, kept: 2, invalid: 1, reasons: { invalid_utf8: 1 } });
    expect(entries).toEqual([
      expect.objectContaining({
        line: 2,
        reason: "invalid_utf8",
        detail: `invalid UTF-8 at byte ${head.length + 1} of the line`,
      }),
    ]);
  });

  it("tells valid multi-byte text (and a real U+FFFD) from invalid bytes", async () => {
    const text = JSON.stringify(chat("Zürich \uFFFD 東京 🌧", "Regen."));
    const cut = Buffer.from(text).subarray(0, Buffer.byteLength(text) - 3);
    const broken = Buffer.concat([cut, Buffer.from([0xf0, 0x9f])]);
    const file = await writeText(
      join(await tempDir(), "utf8.jsonl"),
      Buffer.concat([Buffer.from(`${text}\n`), broken, Buffer.from("\n")]),
    );
    const { entries } = await quarantined([file]);
    expect(entries).toEqual([
      // The real U+FFFD earlier in the line is valid text; the cut-off emoji is not.
      expect.objectContaining({
        line: 2,
        reason: "invalid_utf8",
        detail: `invalid UTF-8 at byte ${cut.length + 1} of the line`,
      }),
    ]);
  });
});

describe("without a quarantine", () => {
  it("fails with the count and reasons, and writes nothing", async () => {
    const dir = await tempDir();
    const out = join(dir, "out.jsonl");
    const { report, lines } = memoryReporter();
    const { result, failure } = await screenFiles([BAD], {
      format: "auto",
      rule: toChat,
      invalid: "fail",
      out,
      report,
    });
    expect(result.ok).toBe(false);
    expect(failure?.code).toBe("data.invalid");
    expect(failure?.message).toMatch(
      /^17 of 20 records invalid in .*bad-chat\.jsonl \(missing_field 3, /,
    );
    expect(failure?.fix).toContain("--quarantine FILE");
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
    // The first 10 problems, one line each with file and line, then how many more.
    expect(lines.slice(0, 10).map((line) => Number(line.split(":")[1]))).toEqual(
      BAD_CHAT_PROBLEMS.slice(0, 10).map(([line]) => line),
    );
    expect(lines[10]).toBe(`[WL-DATA] … and 7 more in ${BAD}`);
  });

  it("passes a clean file and writes --out atomically", async () => {
    const dir = await tempDir();
    const records = [chat("a", "b"), chat("c", "d", "You are terse.")];
    const file = await writeJsonl(join(dir, "good.jsonl"), records);
    const out = join(dir, "nested", "out.jsonl");
    const { report, lines } = memoryReporter();
    const { result, failure } = await screenFiles([file], {
      format: "auto",
      rule: toChat,
      invalid: "fail",
      out,
      report,
    });
    expect(failure).toBeUndefined();
    expect(result.out).toMatchObject({
      file: out,
      records: 2,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await readJsonl(out)).toEqual(records);
    expect(lines).toContain(`[WL-DATA] ✅ SUCCESS: ${file} (chat): 2 records, all valid`);
  });

  it("refuses a file whose first record is in no known format, naming the line", async () => {
    const file = await writeText(
      join(await tempDir(), "odd.jsonl"),
      '\n{"prompt": "a", "completion": "b"}\n',
    );
    const { report } = memoryReporter();
    await expect(
      screenFiles([file], { format: "auto", rule: toChat, invalid: "fail", report }),
    ).rejects.toThrow(`${file}:2: cannot tell the format: the first record has prompt, completion`);
  });
});

describe("with a quarantine", () => {
  it("sets bad records aside, keeps the good ones and says so", async () => {
    const dir = await tempDir();
    const out = join(dir, "good.jsonl");
    const { result, failure, entries, lines, quarantine } = await quarantined([BAD], out);
    expect(failure).toBeUndefined();
    expect(result.quarantine_file).toBe(quarantine);
    expect(entries).toHaveLength(17);
    const kept = await readJsonl(out);
    expect(kept).toHaveLength(3);
    expect(result.kept + entries.length).toBe(result.records);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /⚠️ WARNING: .*bad-chat\.jsonl \(chat\): 17 of 20 records set aside in .*quarantine\.jsonl \(missing_field 3/,
      ),
    );
  });

  it("fails when nothing is left, and writes neither file", async () => {
    const dir = await tempDir();
    const file = await writeJsonl(join(dir, "all-bad.jsonl"), [
      { messages: [] },
      { messages: "x" },
    ]);
    const out = join(dir, "out.jsonl");
    const quarantine = join(dir, "q.jsonl");
    const { report } = memoryReporter();
    const { failure } = await screenFiles([file], {
      format: "auto",
      rule: toChat,
      invalid: "fail",
      out,
      quarantine,
      report,
    });
    expect(failure?.code).toBe("data.empty");
    expect(failure?.message).toContain("nothing left: all 2 records");
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
    await expect(readFile(quarantine)).rejects.toThrow(/ENOENT/);
  });
});
