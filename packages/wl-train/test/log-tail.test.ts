import { appendFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LogTail, lastLines } from "../src/log-tail.ts";
import { removeTempDirs, tempDir } from "./fixtures.ts";

afterAll(removeTempDirs);

describe("following a growing log", () => {
  it("returns each complete line once, holding back an unfinished one", async () => {
    const file = join(await tempDir(), "train.log");
    const tail = new LogTail(file);
    expect(await tail.read()).toEqual([]); // not written yet
    await writeFile(file, "one\ntw");
    expect(await tail.read()).toEqual(["one"]);
    await appendFile(file, "o\r\nthree\n");
    expect(await tail.read()).toEqual(["two", "three"]);
    expect(await tail.read()).toEqual([]);
    await appendFile(file, "four");
    expect(await tail.read(true)).toEqual(["four"]);
  });

  it("keeps a multi-byte character whole when a read splits it", async () => {
    const file = join(await tempDir(), "train.log");
    const bytes = Buffer.from("✅ done\n");
    await writeFile(file, bytes.subarray(0, 2));
    const tail = new LogTail(file);
    expect(await tail.read()).toEqual([]);
    await appendFile(file, bytes.subarray(2));
    expect(await tail.read()).toEqual(["✅ done"]);
  });

  it("starts again from the top when the file is replaced by a shorter one", async () => {
    const file = join(await tempDir(), "train.log");
    await writeFile(file, "a long first line\n");
    const tail = new LogTail(file);
    await tail.read();
    await writeFile(file, "new\n");
    expect(await tail.read()).toEqual(["new"]);
  });

  it("can start at the end, showing only what comes after", async () => {
    const file = join(await tempDir(), "train.log");
    await writeFile(file, "old\n");
    const tail = await LogTail.atEnd(file);
    await appendFile(file, "new\n");
    expect(await tail.read()).toEqual(["new"]);
  });

  it("gives the last lines of a long file without the cut first one", async () => {
    const file = join(await tempDir(), "train.log");
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${"x".repeat(40)}`);
    await writeFile(file, `${lines.join("\n")}\n\n`);
    expect(await lastLines(file, 3)).toEqual(lines.slice(-3));
    expect(await lastLines(join(file, "..", "absent.log"), 3)).toEqual([]);
  });
});
