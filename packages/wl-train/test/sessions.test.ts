// A run whose trainer is running, in a real tmux session started by the real launcher (the
// command is a stand-in that just waits: these tests are about the session, not training).
// `wl-train attach` runs in a real terminal (script(1) gives it a pty) and the test detaches the
// client as a user would (Ctrl+B D); a second `wl-train` on the run joins instead of starting.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, type RunDoc, runDocSchema, saveRunDoc } from "@wl/core";
import { execa } from "execa";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { launchTrainer } from "../src/launch.ts";
import { sleep } from "../src/processes.ts";
import { shellQuote } from "../src/shell.ts";
import { sessionName, Tmux } from "../src/tmux.ts";
import { trainFolder } from "../src/train-folder.ts";
import { hasTmux, killTmuxServer, makeRun, removeTempDirs, tempDir, tmuxEnv } from "./fixtures.ts";

const BIN = fileURLToPath(new URL("../bin/wl-train.js", import.meta.url));
const hasScript = (await execa("script", ["--version"], { reject: false })).exitCode === 0;

const servers: NodeJS.ProcessEnv[] = [];
afterEach(async () => {
  for (const env of servers.splice(0)) await killTmuxServer(env);
});
afterAll(removeTempDirs);

/** A run with a config, its "trainer" started in tmux session wl-<run-id>. */
async function runningRun(env: NodeJS.ProcessEnv, id: string): Promise<RunDoc> {
  const dir = await tempDir();
  const file = join(dir, "wl.yaml");
  await writeFile(file, "model: {base: org/model}\ndata: {train: t.jsonl}\n");
  const doc = { ...(await makeRun(dir, id)), config: await loadConfig(file) };
  await saveRunDoc(doc, []);
  const tmux = Tmux.find(env);
  if (!tmux) throw new Error("tmux is installed but not on PATH");
  await launchTrainer({
    folder: trainFolder(doc.paths.run_dir),
    command: ["/bin/sh", "-c", "echo waiting; sleep 60"],
    trainerEnv: env,
    toolEnv: env,
    tmux: { tmux, session: sessionName(id) },
  });
  return doc;
}

async function wlTrain(args: string[], env: NodeJS.ProcessEnv) {
  // Any existing file passes the Python check: these runs never get as far as starting Python.
  const result = await execa(process.execPath, [BIN, ...args], {
    env: { ...env, WL_TRAINER_PYTHON: "/bin/sh" },
    extendEnv: false,
    reject: false,
    input: "",
  });
  return { ...result, stdout: String(result.stdout), stderr: String(result.stderr) };
}

describe.skipIf(!hasTmux)("a second wl-train on a running run", () => {
  it("joins it instead of starting another (--detach: returns at once)", async () => {
    const env = tmuxEnv(await tempDir());
    servers.push(env);
    const doc = await runningRun(env, "2026-11-23-120000-joined");
    const folder = trainFolder(doc.paths.run_dir);
    const launch = await readFile(folder.launch, "utf8");
    const run = await wlTrain(["--run", join(doc.paths.run_dir, "run.json"), "--detach"], env);
    expect(run.exitCode, run.stderr).toBe(0);
    const out = runDocSchema.parse(JSON.parse(run.stdout));
    expect(out.train).toMatchObject({
      launcher: "tmux",
      session: sessionName(doc.run_id),
      stage: "started",
    });
    expect(run.stderr).toMatch(
      /\[WL-TRAIN\] the trainer of this run is already running \(pid \d+, tmux session wl-2026-11-23-120000-joined: .*\): following it, not starting another/,
    );
    expect(await readFile(folder.launch, "utf8")).toBe(launch);
  });

  it("refuses --resume never and --warm-start while it runs, naming wl-train stop", async () => {
    const env = tmuxEnv(await tempDir());
    servers.push(env);
    const doc = await runningRun(env, "2026-11-23-120000-refuse");
    for (const flag of [["--resume", "never"], ["--warm-start"]]) {
      const run = await wlTrain(["--run", join(doc.paths.run_dir, "run.json"), ...flag], env);
      expect(run.exitCode).toBe(1);
      const out = runDocSchema.parse(JSON.parse(run.stdout));
      expect(out.error).toMatchObject({ step: "wl-train", code: "train.running" });
      expect(out.error?.fix).toMatch(
        /^stop it first with wl-train stop .*2026-11-23-120000-refuse/,
      );
    }
  });
});

describe.skipIf(!hasTmux || !hasScript)("attach", () => {
  it("joins the run's tmux session in this terminal and returns when the user detaches", async () => {
    const env = tmuxEnv(await tempDir(), { TERM: "xterm-256color" });
    servers.push(env);
    const doc = await runningRun(env, "2026-11-23-120000-attach");
    const session = sessionName(doc.run_id);
    const tmux = Tmux.find(env) as Tmux;

    const command = [process.execPath, BIN, "attach", join(doc.paths.run_dir, "run.json")];
    const attach = execa("script", ["-qec", command.map(shellQuote).join(" "), "/dev/null"], {
      env,
      extendEnv: false,
      reject: false,
      stdin: "pipe",
    });
    const clients = async () =>
      String(
        (
          await execa("tmux", ["list-clients", "-t", `=${session}`], {
            env,
            extendEnv: false,
            reject: false,
          })
        ).stdout,
      ).trim();
    const deadline = Date.now() + 30_000;
    while ((await clients()) === "" && Date.now() < deadline) await sleep(200);
    expect(await clients()).not.toBe("");

    await execa("tmux", ["detach-client", "-s", `=${session}`], { env, extendEnv: false });
    const result = await attach;
    expect(result.exitCode, String(result.stdout)).toBe(0);
    expect(String(result.stdout)).toContain("waiting");
    // Detaching leaves the trainer running.
    expect(await tmux.hasSession(session)).toBe(true);
  });
});
