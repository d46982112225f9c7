// validate / convert / clean on files: screen each file, then either put the kept records and the
// quarantine in place, or — when records are invalid and may not be set aside, or nothing is
// left — write nothing and say why. Nothing disappears silently.
import { resolve } from "node:path";
import { type Reporter, WlError } from "@wl/core";
import type { FormatChoice } from "../formats/format.ts";
import { AtomicFile } from "../jsonl/atomic-file.ts";
import { sha256File } from "../jsonl/sha256.ts";
import { addReasons, announceProblems, describeInvalid } from "./announce.ts";
import { describeReasons } from "./problem.ts";
import { Quarantine } from "./quarantine.ts";
import type { RuleFor } from "./rules.ts";
import { type ScreenReport, screenFile } from "./screen-file.ts";

/** How to screen a set of files. */
export interface ScreenFilesOptions {
  format: FormatChoice;
  rule: RuleFor;
  /** Where kept records go (one file for all inputs). */
  out?: string;
  /** Where invalid records go; without it they are only counted. */
  quarantine?: string;
  /** "fail": any invalid record fails the command (unless quarantined); "drop": they are counted. */
  invalid: "fail" | "drop";
  report: Reporter;
}

/** What the command prints on stdout. */
export interface ScreenFilesResult {
  ok: boolean;
  files: ScreenReport[];
  records: number;
  kept: number;
  invalid: number;
  reasons: Record<string, number>;
  out?: { file: string; records: number; sha256: string };
  quarantine_file?: string;
}

/** Screens `files`; the failure (if any) comes with the result, which is always complete. */
export async function screenFiles(
  files: readonly string[],
  options: ScreenFilesOptions,
): Promise<{ result: ScreenFilesResult; failure?: WlError }> {
  const out = options.out === undefined ? undefined : await AtomicFile.open(resolve(options.out));
  const quarantine =
    options.quarantine === undefined
      ? undefined
      : await Quarantine.open(resolve(options.quarantine));
  try {
    const result = await screenEach(files, options, out, quarantine);
    const failure = failureOf(result, options);
    if (failure) return { result: { ...result, ok: false }, failure };
    if (quarantine) {
      await quarantine.commit();
      result.quarantine_file = quarantine.path;
    }
    if (out) {
      await out.commit();
      result.out = { file: out.path, records: result.kept, sha256: await sha256File(out.path) };
    }
    announceOutcome(options.report, result);
    return { result };
  } finally {
    await out?.abort();
    await quarantine?.abort();
  }
}

async function screenEach(
  files: readonly string[],
  options: ScreenFilesOptions,
  out: AtomicFile | undefined,
  quarantine: Quarantine | undefined,
): Promise<ScreenFilesResult> {
  const result: ScreenFilesResult = {
    ok: true,
    files: [],
    records: 0,
    kept: 0,
    invalid: 0,
    reasons: {},
  };
  for (const file of files) {
    const screened = await screenFile(file, {
      format: options.format,
      rule: options.rule,
      ...(out ? { keep: out } : {}),
      ...(quarantine ? { quarantine } : {}),
    });
    result.files.push(screened);
    result.records += screened.records;
    result.kept += screened.kept;
    result.invalid += screened.invalid;
    addReasons(result.reasons, screened.reasons);
    if (screened.invalid > 0) announceProblems(options.report, screened);
  }
  return result;
}

/** Why nothing may be written: invalid records that must not be dropped, or nothing left. */
function failureOf(result: ScreenFilesResult, options: ScreenFilesOptions): WlError | undefined {
  const names = result.files.map((screened) => screened.file).join(", ");
  if (result.invalid > 0 && options.invalid === "fail" && options.quarantine === undefined) {
    return new WlError(
      "data.invalid",
      describeInvalid(result.invalid, result.records, `invalid in ${names}`, result.reasons),
      "repair the lines listed above, or set them aside with --quarantine FILE",
    );
  }
  if (result.kept > 0) return undefined;
  if (result.records === 0) {
    return new WlError(
      "data.empty",
      `no records in ${names}`,
      "point at a JSONL file with one record per line",
    );
  }
  return new WlError(
    "data.empty",
    `nothing left: all ${result.records} records of ${names} were set aside (${describeReasons(result.reasons)})`,
    "repair the records (the lines above name the problems); nothing was written",
  );
}

function announceOutcome(report: Reporter, result: ScreenFilesResult): void {
  for (const screened of result.files) {
    const { file, format, records, invalid, reasons } = screened;
    const data = summaryOf(screened);
    if (invalid === 0) {
      report.success(`${file} (${format}): ${records} records, all valid`, {
        event: "data.file",
        data,
      });
    } else if (result.quarantine_file) {
      const what = `set aside in ${result.quarantine_file}`;
      report.warning(`${file} (${format}): ${describeInvalid(invalid, records, what, reasons)}`, {
        event: "data.file",
        data,
      });
    } else {
      report.warning(
        `${file} (${format}): ${describeInvalid(invalid, records, "dropped", reasons)}`,
        {
          event: "data.file",
          fix: "pass --quarantine FILE to keep them, with line and reason",
          data,
        },
      );
    }
  }
  if (result.out) {
    report.success(`wrote ${result.out.records} records to ${result.out.file}`, {
      event: "data.written",
    });
  }
}

function summaryOf(screened: ScreenReport): Record<string, unknown> {
  const { file, format, records, kept, invalid, reasons } = screened;
  return { file, format, records, kept, invalid, reasons };
}
