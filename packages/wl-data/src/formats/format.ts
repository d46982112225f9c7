// The dataset formats wl-data reads, and how a file's format is told from its first record.

/** Formats wl-data reads; every one becomes chat. */
export const FORMATS = ["chat", "alpaca", "sharegpt"] as const;

/** One of FORMATS. */
export type DataFormat = (typeof FORMATS)[number];

/** A format, or "auto": detected from the file's first record. */
export type FormatChoice = DataFormat | "auto";

/** The choices of --format. */
export const FORMAT_CHOICES: readonly FormatChoice[] = ["auto", ...FORMATS];

/** The format a record is in, from its fields; undefined when it looks like none. */
export function detectFormat(record: Readonly<Record<string, unknown>>): DataFormat | undefined {
  if ("messages" in record) return "chat";
  if ("conversations" in record) return "sharegpt";
  if ("instruction" in record || "output" in record) return "alpaca";
  return undefined;
}
