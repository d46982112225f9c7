// The run document's `data` section: the chat files to train and validate on, what the user gave,
// how many records, their sha256, and what was set aside and why.
import type { RunDoc } from "@wl/core";
import type { DataFormat } from "../formats/format.ts";

/** The `data` section of the run document. */
export type DataSection = NonNullable<RunDoc["data"]>;
/** What was set aside, and why. */
export type Dropped = DataSection["dropped"];

/** One split's outcome: where it came from and the file to use. */
export interface SplitData {
  source: string;
  format: DataFormat;
  file: string;
  records: number;
  sha256: string;
}

/** The data section for a training split and an optional validation split. */
export function dataSection(
  train: SplitData,
  val: SplitData | undefined,
  dropped: Dropped,
): DataSection {
  const pick = <K extends keyof SplitData>(key: K) => ({
    train: train[key],
    ...(val ? { val: val[key] } : {}),
  });
  return {
    train: train.file,
    ...(val ? { val: val.file } : {}),
    sources: pick("source"),
    format: pick("format"),
    samples_used: train.records,
    records: pick("records"),
    sha256: pick("sha256"),
    dropped,
  };
}

/** Counts of an earlier step and this one together; the newest quarantine file is named. */
export function mergeDropped(earlier: Dropped | undefined, later: Dropped): Dropped {
  if (earlier === undefined) return later;
  const reasons = { ...earlier.reasons };
  for (const [reason, count] of Object.entries(later.reasons))
    reasons[reason] = (reasons[reason] ?? 0) + count;
  // An empty quarantine of this step does not hide the records an earlier step set aside.
  const newest = later.count > 0 ? later.quarantine_file : undefined;
  const quarantine_file = newest ?? earlier.quarantine_file ?? later.quarantine_file;
  return {
    count: earlier.count + later.count,
    reasons,
    ...(quarantine_file ? { quarantine_file } : {}),
  };
}
