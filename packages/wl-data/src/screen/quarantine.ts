// The quarantine file: one JSON line per set-aside record, {file, line, reason, detail, record}
// with the record's original text, so nothing disappears and each can be repaired and put back.
import { AtomicFile } from "../jsonl/atomic-file.ts";
import type { LineProblem } from "./problem.ts";

/** Where set-aside records are written. */
export class Quarantine {
  count = 0;

  private constructor(private readonly file: AtomicFile) {}

  /** Starts the quarantine file at `path` (written atomically on commit). */
  static async open(path: string): Promise<Quarantine> {
    return new Quarantine(await AtomicFile.open(path));
  }

  /** The quarantine file's path. */
  get path(): string {
    return this.file.path;
  }

  /** Sets one record aside. */
  add(source: string, found: LineProblem, text: string): Promise<void> | undefined {
    this.count += 1;
    const { line, reason, detail } = found;
    return this.file.writeLine(
      JSON.stringify({ file: source, line, reason, detail, record: text }),
    );
  }

  /** Puts the file in place. */
  commit(): Promise<void> {
    return this.file.commit();
  }

  /** Drops the file. */
  abort(): Promise<void> {
    return this.file.abort();
  }
}
