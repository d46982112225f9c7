// Lines → records: each non-blank line decoded as strict UTF-8 and parsed as one JSON object, or
// the problem that stops it, always with its line number.
import { kindOf, type Problem, problem } from "../screen/problem.ts";
import { isBlank, readLines } from "./lines.ts";

/** One non-blank line: its text and either the parsed object or why there is none. */
export type RecordLine =
  | { line: number; text: string; value: Record<string, unknown>; problem?: undefined }
  | { line: number; text: string; value?: undefined; problem: Problem };

const MAX_DETAIL = 160;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const REPLACEMENT = "\uFFFD";

/** Yields every non-blank line of `file` as a record or a problem. */
export async function* readRecords(file: string): AsyncGenerator<RecordLine> {
  for await (const { number, bytes } of readLines(file)) {
    if (isBlank(bytes)) continue;
    yield parseLine(number, bytes);
  }
}

/** Decodes and parses one line. */
export function parseLine(line: number, bytes: Buffer): RecordLine {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    const where = at < bytes.length ? `at byte ${at + 1} of the line` : "in the line";
    return {
      line,
      text: bytes.toString("utf8"),
      problem: problem("invalid_utf8", `invalid UTF-8 ${where}`),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, text, problem: problem("invalid_json", shorten((error as Error).message)) };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { line, text, problem: problem("not_object", `the record is ${kindOf(value)}`) };
  }
  return { line, text, value: value as Record<string, unknown> };
}

/** The offset of the first byte that is not valid UTF-8: where the lenient decoder puts its
 * first U+FFFD that does not stand for a real U+FFFD (bytes EF BF BD) in the line. */
function firstInvalidByte(bytes: Buffer): number {
  const text = bytes.toString("utf8");
  for (
    let index = text.indexOf(REPLACEMENT);
    index !== -1;
    index = text.indexOf(REPLACEMENT, index + 1)
  ) {
    const offset = Buffer.byteLength(text.slice(0, index));
    const real = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (!real) return offset;
  }
  return bytes.length;
}

/** One line of at most MAX_DETAIL characters (JSON.parse quotes the input in its messages). */
function shorten(message: string): string {
  const line = message.replace(/\s+/g, " ");
  return line.length <= MAX_DETAIL ? line : `${line.slice(0, MAX_DETAIL - 1)}…`;
}
