// Data files exist and every record parses as a JSON object (deep validation is wl-data's).
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { CheckResult } from "@wl/core";
import { type CheckContext, fail, ok } from "./check.ts";

/** Facts about one JSONL file: records, and the first line that is not a JSON object. */
interface JsonlScan {
  records: number;
  bad: number;
  firstBad?: { line: number; reason: string };
}

/** Checks the training file and, when there is one, the validation file. */
export async function checkData({ dataFiles }: CheckContext): Promise<CheckResult> {
  const files: Record<string, string | undefined> = { ...dataFiles };
  const counts: Record<string, number> = {};
  for (const [role, file] of Object.entries(files)) {
    if (file === undefined) continue;
    const problem = await missing(file);
    if (problem)
      return fail("data", `${role} data ${problem}: ${file}`, `fix data.${role} in the config`);
    const scan = await scanJsonl(file);
    if (scan.firstBad) {
      const { line, reason } = scan.firstBad;
      return fail(
        "data",
        `${role} data ${file}:${line}: ${reason} (${scan.bad} bad of ${scan.records + scan.bad} lines)`,
        "repair or remove those lines (wl-data validate --quarantine FILE sets them aside)",
        { file, line, bad: scan.bad },
      );
    }
    if (scan.records === 0) {
      return fail(
        "data",
        `${role} data ${file} has no records`,
        "point the config at a JSONL file with one record per line",
      );
    }
    counts[role] = scan.records;
  }
  const summary = Object.entries(counts)
    .map(([role, count]) => `${count} ${role}`)
    .join(", ");
  return ok("data", `data parses: ${summary} records`, { records: counts });
}

async function missing(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? undefined : "is not a file";
  } catch {
    return "not found";
  }
}

/** Streams a JSONL file; a BOM, CRLF line ends and blank lines are tolerated. */
export async function scanJsonl(file: string): Promise<JsonlScan> {
  const scan: JsonlScan = { records: 0, bad: 0 };
  const lines = createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let number = 0;
  for await (const raw of lines) {
    number += 1;
    const line = number === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (line.trim() === "") continue;
    const reason = recordProblem(line);
    if (reason === undefined) scan.records += 1;
    else {
      scan.bad += 1;
      scan.firstBad ??= { line: number, reason };
    }
  }
  return scan;
}

function recordProblem(line: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "not valid JSON";
  }
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? undefined
    : "not a JSON object";
}
