// The trainer's tarball: what it holds, that the same sources give the same bytes, and that tar
// unpacks it.
import { createHash } from "node:crypto";
import { readFile, utimes } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { trainerDirOf, trainerFiles, writeTrainerTarball } from "../src/index.ts";
import { makeTrainer, removeTempDirs, TRAINER_FILES, tempDir } from "./fixtures.ts";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

afterAll(removeTempDirs);

describe("the trainer's tarball", () => {
  it("holds wl_trainer, requirements*.txt and constraints.txt, no bytecode, sorted", async () => {
    const trainer = await makeTrainer(await tempDir());
    expect(await trainerFiles(trainer)).toEqual(TRAINER_FILES);
  });

  it("is byte-identical across builds, whatever the files' mtimes", async () => {
    const trainer = await makeTrainer(await tempDir());
    const out = await tempDir();
    await writeTrainerTarball(trainer, join(out, "a.tar.gz"));
    await utimes(join(trainer, "wl_trainer/__init__.py"), new Date(), new Date(2020, 1, 1));
    await writeTrainerTarball(trainer, join(out, "b.tar.gz"));
    const [a, b] = await Promise.all([
      readFile(join(out, "a.tar.gz")),
      readFile(join(out, "b.tar.gz")),
    ]);
    expect(sha256(a)).toBe(sha256(b));
  });

  it("unpacks with tar to the same files", async () => {
    const trainer = await makeTrainer(await tempDir());
    const out = await tempDir();
    const entries = await writeTrainerTarball(trainer, join(out, "t.tar.gz"));
    await execa("tar", ["-xzf", join(out, "t.tar.gz"), "-C", out]);
    for (const entry of entries) {
      const data = await readFile(join(out, entry.path));
      expect(sha256(data)).toBe(entry.sha256);
      expect(data.equals(await readFile(join(trainer, entry.path)))).toBe(true);
    }
    const listing = await execa("tar", ["-tvzf", join(out, "t.tar.gz")]);
    expect(listing.stdout).toMatch(/2000-01-01/);
  });

  it("packs the repository's trainer deterministically", async () => {
    const out = await tempDir();
    const dir = trainerDirOf({});
    const first = await writeTrainerTarball(dir, join(out, "1.tar.gz"));
    await writeTrainerTarball(dir, join(out, "2.tar.gz"));
    expect(first.some((entry) => entry.path === "wl_trainer/__init__.py")).toBe(true);
    expect(first.some((entry) => entry.path.includes("__pycache__"))).toBe(false);
    expect(first.map((entry) => entry.path)).toContain("requirements.txt");
    expect(first.map((entry) => entry.path)).toContain("constraints.txt");
    const [a, b] = await Promise.all([
      readFile(join(out, "1.tar.gz")),
      readFile(join(out, "2.tar.gz")),
    ]);
    expect(sha256(a)).toBe(sha256(b));
  });
});
