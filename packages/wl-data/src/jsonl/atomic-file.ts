// Files written whole or not at all: lines go to a temp file beside the target, which is fsynced
// and renamed into place on commit, or removed on abort. Reading a file while writing its
// replacement is safe, so `--out` may name the input.
import { randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { syncDirectory } from "@wl/core";

const FLUSH_CHARS = 1 << 20;

/** A file being written; nothing is visible at its path until `commit`. */
export class AtomicFile {
  private buffered: string[] = [];
  private bufferedChars = 0;
  private done = false;

  private constructor(
    readonly path: string,
    private readonly temp: string,
    private readonly handle: FileHandle,
  ) {}

  /** Starts writing `path` (its folder is created). */
  static async open(path: string): Promise<AtomicFile> {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const temp = join(
      dir,
      `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
    );
    return new AtomicFile(path, temp, await open(temp, "wx"));
  }

  /** Appends `line` and a newline; returns a promise only when the buffer is flushed. */
  writeLine(line: string): Promise<void> | undefined {
    this.buffered.push(line, "\n");
    this.bufferedChars += line.length + 1;
    return this.bufferedChars >= FLUSH_CHARS ? this.flush() : undefined;
  }

  /** Flushes, fsyncs and renames the file into place. */
  async commit(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.flush();
      await this.handle.sync();
      await this.handle.close();
      await rename(this.temp, this.path);
    } catch (error) {
      await this.handle.close().catch(() => undefined);
      await rm(this.temp, { force: true });
      throw error;
    }
    await syncDirectory(dirname(this.path));
  }

  /** Drops what was written; the target is left as it was. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle.close().catch(() => undefined);
    await rm(this.temp, { force: true });
  }

  private async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const text = this.buffered.join("");
    this.buffered = [];
    this.bufferedChars = 0;
    await this.handle.write(text);
  }
}

/** Writes `path` through `write`: committed when it returns, aborted when it throws. */
export async function writeAtomically<T>(
  path: string,
  write: (file: AtomicFile) => Promise<T>,
): Promise<T> {
  const file = await AtomicFile.open(path);
  try {
    const result = await write(file);
    await file.commit();
    return result;
  } finally {
    await file.abort();
  }
}
