// One pass over a JSONL file: each record through a rule, good ones to `keep`, bad ones to the
// quarantine (when there is one), every one counted by reason with its line number.
import { WlError } from "@wl/core";
import { type DataFormat, detectFormat, type FormatChoice } from "../formats/format.ts";
import { readRecords } from "../jsonl/records.ts";
import type { LineProblem, Problem } from "./problem.ts";
import type { Quarantine } from "./quarantine.ts";
import { isProblem, type RecordRule, type RuleFor } from "./rules.ts";

/** How many problems a report lists line by line (all are counted). */
export const LISTED_PROBLEMS = 10;

/** Where kept lines go. */
export interface LineSink {
  writeLine(line: string): Promise<void> | undefined;
}

/** What to screen a file with. */
export interface ScreenOptions {
  format: FormatChoice;
  rule: RuleFor;
  keep?: LineSink;
  quarantine?: Quarantine;
}

/** What a pass found in one file. */
export interface ScreenReport {
  file: string;
  /** Detected or forced; undefined when the file holds no JSON object to tell it from. */
  format: DataFormat | undefined;
  /** Non-blank lines. */
  records: number;
  kept: number;
  invalid: number;
  reasons: Record<string, number>;
  /** The first LISTED_PROBLEMS problems, by line. */
  problems: LineProblem[];
}

/** Screens `file`: returns the counts; kept lines and quarantined records go where options say. */
export async function screenFile(file: string, options: ScreenOptions): Promise<ScreenReport> {
  const report: ScreenReport = {
    file,
    format: options.format === "auto" ? undefined : options.format,
    records: 0,
    kept: 0,
    invalid: 0,
    reasons: {},
    problems: [],
  };
  let rule: RecordRule | undefined =
    report.format === undefined ? undefined : options.rule(report.format, file);
  for await (const record of readRecords(file)) {
    report.records += 1;
    let verdict: string | Problem | undefined = record.problem;
    if (record.value !== undefined) {
      if (rule === undefined) {
        report.format = formatOf(record.value, file, record.line);
        rule = options.rule(report.format, file);
      }
      verdict = rule(record.value, record.text);
    }
    if (typeof verdict === "string") {
      report.kept += 1;
      const pending = options.keep?.writeLine(verdict);
      if (pending) await pending;
    } else if (isProblem(verdict)) {
      const found = { line: record.line, ...verdict };
      count(report, found);
      const pending = options.quarantine?.add(file, found, record.text);
      if (pending) await pending;
    }
  }
  return report;
}

function count(report: ScreenReport, found: LineProblem): void {
  report.invalid += 1;
  report.reasons[found.reason] = (report.reasons[found.reason] ?? 0) + 1;
  if (report.problems.length < LISTED_PROBLEMS) report.problems.push(found);
}

/** The format the first record shows; a record that shows none stops the pass. */
function formatOf(value: Record<string, unknown>, file: string, line: number): DataFormat {
  const format = detectFormat(value);
  if (format !== undefined) return format;
  const fields = Object.keys(value).slice(0, 5).join(", ") || "no fields";
  throw new WlError(
    "data.unknown_format",
    `${file}:${line}: cannot tell the format: the first record has ${fields}, not messages (chat), conversations (sharegpt) or instruction/output (alpaca)`,
    "pass --format chat|alpaca|sharegpt (or set data.format in the config)",
  );
}

/** The format of a file's first JSON object record; undefined when it has none. */
export async function detectFileFormat(file: string): Promise<DataFormat | undefined> {
  for await (const record of readRecords(file)) {
    if (record.value !== undefined) return formatOf(record.value, file, record.line);
  }
  return undefined;
}
