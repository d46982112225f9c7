// Reading a growing log file a piece at a time: complete lines only, from where the last read
// stopped, so a follower prints each line once (multi-byte characters split across reads too).
import { open, stat } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";

/** How far back lastLines looks: plenty for a few status lines, cheap for a long log. */
const LAST_LINES_BYTES = 64 * 1024;

/** Follows one file from a byte offset. */
export class LogTail {
  private offset: number;
  private partial = "";
  private decoder = new StringDecoder("utf8");

  constructor(
    readonly file: string,
    offset = 0,
  ) {
    this.offset = offset;
  }

  /** A tail starting at the file's current end (0 when it does not exist yet). */
  static async atEnd(file: string): Promise<LogTail> {
    return new LogTail(file, await sizeOf(file));
  }

  /** The complete lines written since the last call; with `flush`, an unfinished last one too. */
  async read(flush = false): Promise<string[]> {
    const size = await sizeOf(this.file);
    if (size < this.offset) {
      // Replaced or truncated: start again from its beginning.
      this.offset = 0;
      this.partial = "";
      this.decoder = new StringDecoder("utf8");
    }
    if (size > this.offset) {
      const handle = await open(this.file, "r");
      try {
        const buffer = Buffer.alloc(size - this.offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        this.offset += bytesRead;
        this.partial += this.decoder.write(buffer.subarray(0, bytesRead));
      } finally {
        await handle.close();
      }
    }
    const lines = this.partial.split("\n");
    this.partial = lines.pop() ?? "";
    if (flush && this.partial !== "") {
      lines.push(this.partial);
      this.partial = "";
    }
    return lines.map((line) => line.replace(/\r$/, ""));
  }
}

/** The last `count` non-empty lines of a file (none when it does not exist). */
export async function lastLines(file: string, count: number): Promise<string[]> {
  const size = await sizeOf(file);
  const start = Math.max(0, size - LAST_LINES_BYTES);
  const lines = await new LogTail(file, start).read(true);
  // Starting mid-file, the first line is probably cut: drop it.
  return (start > 0 ? lines.slice(1) : lines).filter((line) => line.trim() !== "").slice(-count);
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}
