// JSONL files read line by line as raw bytes: never loaded whole, and each line's bytes kept so
// that invalid UTF-8 is reported (decoding the whole stream would silently replace it).
import { createReadStream } from "node:fs";
import { WlError } from "@wl/core";

/** One line: its 1-based number and its bytes, without the line end and a leading BOM. */
export interface RawLine {
  number: number;
  bytes: Buffer;
}

const LF = 0x0a;
const CR = 0x0d;
const CHUNK_BYTES = 1 << 20;

/** Yields every line of `file`; CRLF and LF ends both work, a byte-order mark is dropped. */
export async function* readLines(file: string): AsyncGenerator<RawLine> {
  let pending: Buffer[] = [];
  let number = 0;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
      const data = chunk as Buffer;
      let start = 0;
      for (let end = data.indexOf(LF); end !== -1; end = data.indexOf(LF, start)) {
        const piece = data.subarray(start, end);
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        number += 1;
        yield { number, bytes: trimLine(bytes) };
        start = end + 1;
      }
      if (start < data.length) pending.push(data.subarray(start));
    }
  } catch (error) {
    throw unreadable(file, error);
  }
  if (pending.length > 0) yield { number: number + 1, bytes: trimLine(Buffer.concat(pending)) };
}

/** Drops a trailing CR and a leading UTF-8 byte-order mark (on any line: files get concatenated). */
function trimLine(bytes: Buffer): Buffer {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === CR) end -= 1;
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
}

/** True when a line holds only spaces and tabs (or nothing). */
export function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09) return false;
  return true;
}

function unreadable(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error;
  const what = code === "ENOENT" ? "not found" : code === "EISDIR" ? "is a folder" : `(${code})`;
  return new WlError(
    "data.unreadable",
    `cannot read data file ${file}: ${what}`,
    "check the path: a JSONL file with one record per line",
    { cause: error },
  );
}
