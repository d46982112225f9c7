// Real files for the tests: temp folders, JSONL written as text or bytes, and wl-data run through
// its real bin (execa, a clean environment) or its `main` in-process. Nothing here imitates wl's
// own code.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { createReporter, type Reporter, type RunDoc, runDocSchema, textStream } from "@wl/core";
import { execa } from "execa";
import { expect } from "vitest";
import { main } from "../src/bin.ts";
import type { Reason } from "../src/screen/problem.ts";

const BIN = fileURLToPath(new URL("../bin/wl-data.js", import.meta.url));

/** The committed fixtures folder. */
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

const made: string[] = [];

/** A fresh folder under the OS temp dir. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "wl-data-test-"));
  made.push(dir);
  return dir;
}

/** Deletes every folder `tempDir` made (call from afterAll). */
export async function removeTempDirs(): Promise<void> {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** Writes records as JSONL (one JSON.stringify per line). */
export async function writeJsonl(file: string, records: readonly unknown[]): Promise<string> {
  return writeText(file, `${records.map((record) => JSON.stringify(record)).join("\n")}\n`);
}

/** Writes `content` (text or raw bytes) to `file`, creating its folder. */
export async function writeText(file: string, content: string | Buffer): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

/** The records of a JSONL file (blank lines skipped). */
export async function readJsonl(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}

/** A two-turn chat record, with a system prompt when given. */
export function chat(user: string, assistant: string, system?: string): Record<string, unknown> {
  const messages = [
    ...(system === undefined ? [] : [{ role: "system", content: system }]),
    { role: "user", content: user },
    { role: "assistant", content: assistant },
  ];
  return { messages };
}

/** A reporter whose lines are kept, for calling the functions directly. */
export function memoryReporter(): { report: Reporter; lines: string[] } {
  const lines: string[] = [];
  const stream = { write: (text: string) => lines.push(...text.split("\n").filter(Boolean)) };
  const report = createReporter({
    tool: "wl-data",
    stream: stream as unknown as NodeJS.WritableStream,
    env: { NO_COLOR: "1" },
  });
  return { report, lines };
}

/** What one run of the bin gave back. */
export interface BinRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** stderr split into non-empty lines. */
  lines: string[];
  /** The ❌ ERROR lines. */
  errors: string[];
}

/** Runs `node bin/wl-data.js ARGS` in a clean environment; never rejects. */
export async function wlData(
  args: readonly string[],
  options: { cwd: string; input?: string; env?: Record<string, string> },
): Promise<BinRun> {
  const result = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    extendEnv: false,
    env: { PATH: process.env.PATH, HOME: options.cwd, NO_COLOR: "1", ...options.env },
    input: options.input ?? "",
    cwd: options.cwd,
  });
  const stderr = String(result.stderr);
  const lines = stderr.split("\n").filter((line) => line !== "");
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout),
    stderr,
    lines,
    errors: lines.filter((line) => line.includes("❌ ERROR")),
  };
}

/** Runs wl-data's `main` in this process with its own argv, streams and env: the argv → result
 * layer without the launcher's start-up time. */
export async function runMain(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<BinRun> {
  const collect = () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
  };
  const stdout = collect();
  const stderr = collect();
  const exitCode = await main({
    argv: [...args],
    stdin: textStream(options.input ?? ""),
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { NO_COLOR: "1", ...options.env },
  });
  // execa strips the final newline; so does this, so both runners read alike.
  const out = stdout.text().replace(/\n$/, "");
  const err = stderr.text().replace(/\n$/, "");
  const lines = err.split("\n").filter((line) => line !== "");
  return {
    exitCode,
    stdout: out,
    stderr: err,
    lines,
    errors: lines.filter((line) => line.includes("❌ ERROR")),
  };
}

/** stdout must be exactly one line of JSON. */
export function jsonOf(run: BinRun): Record<string, unknown> {
  const lines = run.stdout.split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? "");
}

/** stdout must be exactly one line holding a valid run document. */
export function documentOf(run: BinRun): RunDoc {
  const parsed = runDocSchema.safeParse(jsonOf(run));
  if (!parsed.success) throw new Error(`stdout is not a run document: ${parsed.error.message}`);
  return parsed.data;
}

/** Every stderr line is one status line, and there is no stack trace. */
export function expectStatusLinesOnly(run: BinRun): void {
  for (const line of run.lines) expect(line).toMatch(/^\[WL-DATA\] /);
}

/** One ❌ ERROR line with its fix, no stack trace. */
export function expectOneError(run: BinRun, message: string | RegExp, fix: string | RegExp): void {
  expect(run.errors).toHaveLength(1);
  const [said = "", fixed = ""] = (run.errors[0] ?? "").split(" → fix: ");
  expect(said).toMatch(/^\[WL-DATA\] ❌ ERROR: /);
  expect(said).toMatch(message);
  expect(fixed).toMatch(fix);
  expectStatusLinesOnly(run);
}

/** bad-chat.jsonl: one problem per line; lines 1, 13 and 22 are valid, 12 and 16 blank. */
export const BAD_CHAT_PROBLEMS: readonly (readonly [number, Reason])[] = [
  [2, "invalid_json"],
  [3, "not_object"],
  [4, "missing_field"],
  [5, "unknown_role"],
  [6, "wrong_content_type"],
  [7, "unmatched_tool_result"],
  [8, "tool_call_without_name"],
  [9, "bad_arguments"],
  [10, "empty_assistant_turn"],
  [11, "no_assistant_turn"],
  [14, "wrong_type"],
  [15, "unmatched_tool_result"],
  [17, "not_object"],
  [18, "missing_field"],
  [19, "missing_field"],
  [20, "bad_arguments"],
  [21, "wrong_content_type"],
];
