// What people see on stderr about a screened file: the listed problems (one line each, with file
// and line) and one phrase for the counts.
import type { Reporter } from "@wl/core";
import { describeReasons } from "./problem.ts";
import type { ScreenReport } from "./screen-file.ts";

/** Prints each listed problem as `FILE:LINE: reason: detail`, then how many more there are. */
export function announceProblems(report: Reporter, screened: ScreenReport): void {
  for (const found of screened.problems) {
    report.info(`${screened.file}:${found.line}: ${found.reason}: ${found.detail}`, {
      event: "data.problem",
      data: { file: screened.file, line: found.line, reason: found.reason },
    });
  }
  const more = screened.invalid - screened.problems.length;
  if (more > 0) report.info(`… and ${more} more in ${screened.file}`, { event: "data.problem" });
}

/** "3 of 20 records invalid in a.jsonl (invalid_json 2, unknown_role 1)": `what` says what became
 * of them. */
export function describeInvalid(
  invalid: number,
  records: number,
  what: string,
  reasons: Readonly<Record<string, number>>,
): string {
  return `${invalid} of ${records} record${records === 1 ? "" : "s"} ${what} (${describeReasons(reasons)})`;
}

/** Adds `more` counts by reason into `into`. */
export function addReasons(
  into: Record<string, number>,
  more: Readonly<Record<string, number>>,
): Record<string, number> {
  for (const [reason, count] of Object.entries(more)) into[reason] = (into[reason] ?? 0) + count;
  return into;
}
