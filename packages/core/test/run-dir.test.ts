import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  newRunId,
  parseRunDoc,
  runsRoot,
  saveRunDoc,
  WlError,
  writeFileAtomic,
} from "../src/index.ts";
import { sampleDoc } from "./sample-doc.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wl-rundir-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("run ids", () => {
  const now = new Date("2026-11-23T13:10:45.123Z");

  it("are date + time + a short hash by default", () => {
    expect(newRunId(undefined, undefined, now)).toMatch(/^2026-11-23-131045-[0-9a-f]{6}$/);
  });

  it("differ between two runs started in the same second", () => {
    expect(newRunId(undefined, undefined, now)).not.toBe(newRunId(undefined, undefined, now));
  });

  it("follow the configured template, with a sanitised name", () => {
    expect(newRunId("{name}_{date}_{hash}", "my job/v2", now)).toMatch(
      /^my-job-v2_2026-11-23_[0-9a-f]{6}$/,
    );
  });

  it("refuse templates that make unsafe folder names", () => {
    expect(() => newRunId("../{hash}", "x", now)).toThrow(WlError);
  });
});

describe("runs root", () => {
  it("prefers --runs-dir, then $WL_RUNS_DIR, then the config, then ./runs", () => {
    expect(runsRoot("/a", "/c", { WL_RUNS_DIR: "/b" })).toBe("/a");
    expect(runsRoot(undefined, "/c", { WL_RUNS_DIR: "/b" })).toBe("/b");
    expect(runsRoot(undefined, "/c", {})).toBe("/c");
    expect(runsRoot(undefined, undefined, {})).toBe(resolve("runs"));
  });
});

describe("atomic writes", () => {
  it("replace the file whole and leave no temp files", async () => {
    const file = join(dir, "atomic", "run.json");
    await writeFileAtomic(file, "first");
    await writeFileAtomic(file, "second");
    expect(await readFile(file, "utf8")).toBe("second");
    expect(await readdir(join(dir, "atomic"))).toEqual(["run.json"]);
  });

  it("leave nothing behind when the target cannot be written", async () => {
    await writeFile(join(dir, "blocker"), "");
    await expect(writeFileAtomic(join(dir, "blocker", "run.json"), "x")).rejects.toThrow();
    const target = join(dir, "occupied");
    await mkdir(join(target, "run.json"), { recursive: true });
    await expect(writeFileAtomic(join(target, "run.json"), "x")).rejects.toThrow();
    expect(await readdir(target)).toEqual(["run.json"]);
  });

  it("save run.json as a parseable, redacted document", async () => {
    const doc = sampleDoc({
      paths: { run_dir: join(dir, "run-a") },
      pod: { name: "hf_abcdefghijklmnopqrstuvwxyz" },
    });
    const file = await saveRunDoc(doc);
    const text = await readFile(file, "utf8");
    expect(text).not.toContain("hf_abcdefghijklmnopqrstuvwxyz");
    expect(parseRunDoc(text, file).run_id).toBe(doc.run_id);
  });
});
