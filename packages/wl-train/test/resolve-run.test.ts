// RUN on a subcommand's command line → the run folder and id.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { saveRunDoc } from "@wl/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveRun, runRef } from "../src/resolve-run.ts";
import { makeRun, removeTempDirs, runDoc, tempDir } from "./fixtures.ts";

let cwd: string;
let root: string;
const ID = "2026-11-23-120000-abcdef";

beforeAll(async () => {
  cwd = await tempDir();
  root = join(cwd, "runs");
  await makeRun(root, ID);
});
afterAll(removeTempDirs);

const resolve = (run: string, extra: { runsDir?: string; config?: string; env?: object } = {}) =>
  resolveRun(run, { cwd, ...extra, env: { ...extra.env } });

describe("RUN", () => {
  it("is a run folder, relative or absolute", async () => {
    const expected = { runDir: join(root, ID), runId: ID, runJson: join(root, ID, "run.json") };
    expect(await resolve(`runs/${ID}`)).toEqual(expected);
    expect(await resolve(join(root, ID))).toEqual(expected);
  });

  it("is the run's run.json, or its train/ folder", async () => {
    expect((await resolve(`runs/${ID}/run.json`)).runDir).toBe(join(root, ID));
    await mkdir(join(root, ID, "train"), { recursive: true });
    expect((await resolve(`runs/${ID}/train`)).runDir).toBe(join(root, ID));
  });

  it("is a document saved anywhere: its paths.run_dir names the folder", async () => {
    const file = join(cwd, "saved.json");
    await writeFile(file, JSON.stringify(runDoc(join(root, ID), ID)));
    expect(await resolve("saved.json")).toEqual({
      runDir: join(root, ID),
      runId: ID,
      runJson: file,
    });
  });

  it("is a run id under ./runs, --runs-dir, $WL_RUNS_DIR or the config's output.runs_dir", async () => {
    expect((await resolve(ID)).runDir).toBe(join(root, ID));
    const other = await tempDir();
    await makeRun(other, "other-run");
    expect((await resolve("other-run", { runsDir: other })).runDir).toBe(join(other, "other-run"));
    expect((await resolve("other-run", { env: { WL_RUNS_DIR: other } })).runDir).toBe(
      join(other, "other-run"),
    );
    const config = join(cwd, "wl.yaml");
    await writeFile(
      config,
      `model: {base: org/model}\ndata: {train: t.jsonl}\noutput: {runs_dir: ${other}}\n`,
    );
    expect((await resolve("other-run", { config })).runDir).toBe(join(other, "other-run"));
  });

  it("takes the id from run.json, not the folder's name", async () => {
    const dir = join(cwd, "renamed");
    await saveRunDoc(runDoc(dir, "the-real-id"), []);
    expect((await resolve("renamed")).runId).toBe("the-real-id");
  });

  it("that does not exist is an error naming where it looked", async () => {
    await expect(resolve("2026-01-01-000000-000000")).rejects.toMatchObject({
      code: "run.not_found",
      message: `no run 2026-01-01-000000-000000: not a path, and not a run under ${root}`,
    });
    await expect(resolve("no/such/path")).rejects.toMatchObject({ code: "run.not_found" });
  });

  it("that is some other folder is an error", async () => {
    await mkdir(join(cwd, "stuff"));
    await expect(resolve("stuff")).rejects.toMatchObject({
      code: "run.not_found",
      message: "stuff is a folder but not a run folder (no run.json, no train/)",
    });
  });

  it("that is not a run document is an error naming the file", async () => {
    await writeFile(join(cwd, "notes.json"), '{"a": 1}');
    await expect(resolve("notes.json")).rejects.toMatchObject({ code: "run.not_run_doc" });
  });
});

describe("naming a run folder in messages", () => {
  it("is relative inside the working folder, absolute outside", () => {
    expect(runRef("/home/u/work/runs/r1", "/home/u/work")).toBe("runs/r1");
    expect(runRef("/tmp/runs/r1", "/home/u/work")).toBe("/tmp/runs/r1");
  });
});
