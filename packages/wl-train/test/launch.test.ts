// The launcher with real processes, a real tmux and a real FIFO, and a command standing in for
// the trainer's (it is the launcher under test here, not Python): the environment arrives, no
// secret is in argv or on disk, trainer.pid and exit_code are written, the follower sees the end.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { execa } from "execa";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { trainerState } from "../src/alive.ts";
import { followTrainer } from "../src/follow.ts";
import { launchScript, launchTrainer } from "../src/launch.ts";
import { LogTail } from "../src/log-tail.ts";
import { commandLine } from "../src/processes.ts";
import { exportLines, shellQuote } from "../src/shell.ts";
import { withStartLock } from "../src/start-lock.ts";
import { Tmux } from "../src/tmux.ts";
import { trainFolder } from "../src/train-folder.ts";
import { deadPid, hasTmux, killTmuxServer, removeTempDirs, tempDir, tmuxEnv } from "./fixtures.ts";

const servers: NodeJS.ProcessEnv[] = [];
afterEach(async () => {
  for (const env of servers.splice(0)) await killTmuxServer(env);
});
afterAll(removeTempDirs);

/** Stands in for the trainer: prints, writes a log line, shows its env var, exits 7. */
const COMMAND = [
  "/bin/sh",
  "-c",
  'echo "[WL-TRAINER] hello" >> train.log; echo "to the terminal"; echo "$WL_TEST_SECRET" > seen; sleep 1; exit 7',
];

const secret = () => `s3cr3t-${randomBytes(12).toString("hex")}`;

async function launchAndFollow(useTmux: boolean) {
  const folder = trainFolder(await tempDir());
  const env = tmuxEnv(await tempDir());
  servers.push(env);
  const value = secret();
  if (useTmux) {
    // A tmux server started earlier without the variable: its environment must not win.
    await execa("tmux", ["new-session", "-d", "-s", "older", "sleep 60"], {
      env,
      extendEnv: false,
    });
  }
  const tmux = useTmux ? Tmux.find(env) : undefined;
  const launched = await launchTrainer({
    folder,
    command: COMMAND,
    trainerEnv: { ...env, WL_TEST_SECRET: value },
    toolEnv: env,
    ...(tmux ? { tmux: { tmux, session: "wl-test-run" } } : {}),
  });
  const running = await trainerState(folder, env);
  const argv = [
    await commandLine(launched.info.pid),
    await commandLine(launched.trainerPid ?? 0),
  ].join(" ");
  const lines: string[] = [];
  const end = await followTrainer({
    folder,
    tail: new LogTail(folder.log),
    launcherPid: launched.info.pid,
    ...(launched.trainerPid ? { trainerPid: launched.trainerPid } : {}),
    onLine: (line) => lines.push(line),
    intervalMs: 100,
  });
  return { folder, env, value, launched, running, argv, lines, end, tmux };
}

describe.skipIf(!hasTmux)("in a tmux session", () => {
  it("hands over the environment, records pid and exit code, and ends the session", async () => {
    const { folder, value, launched, running, argv, lines, end, tmux } =
      await launchAndFollow(true);
    expect(launched.info).toMatchObject({
      launcher: "tmux",
      session: "wl-test-run",
      command: COMMAND,
    });
    expect(launched.trainerPid).toBeGreaterThan(0);
    expect(running).toMatchObject({ running: true, launcherAlive: true, waitingForEnv: false });
    expect(end).toEqual({ ended: true, exitCode: 7 });
    expect(lines).toEqual(["[WL-TRAINER] hello"]);
    expect(await readFile(`${folder.dir}/seen`, "utf8")).toBe(`${value}\n`);
    expect(await readFile(folder.exitCode, "utf8")).toBe("7\n");
    expect(Number(await readFile(folder.trainerPid, "utf8"))).toBe(launched.trainerPid);
    // The pane's output is kept after the session is gone.
    expect(await readFile(folder.console, "utf8")).toContain("to the terminal");
    expect(await tmux?.hasSession("wl-test-run")).toBe(false);
    // The secret travelled through the FIFO only.
    expect(argv).not.toContain(value);
    for (const file of [folder.launchScript, folder.launch, folder.console]) {
      expect(await readFile(file, "utf8")).not.toContain(value);
    }
    expect(existsSync(folder.envFifo)).toBe(false);
    expect((await trainerState(folder)).running).toBe(false);
  });
});

describe("without tmux (setsid)", () => {
  it("runs detached, its output in console.log, and records the exit code", async () => {
    const { folder, value, launched, argv, lines, end } = await launchAndFollow(false);
    expect(launched.info.launcher).toBe("setsid");
    expect(launched.info.session).toBeUndefined();
    expect(end).toEqual({ ended: true, exitCode: 7 });
    expect(lines).toEqual(["[WL-TRAINER] hello"]);
    expect(await readFile(`${folder.dir}/seen`, "utf8")).toBe(`${value}\n`);
    expect(await readFile(folder.console, "utf8")).toContain("to the terminal");
    expect(argv).not.toContain(value);
    // Its own session: not in wl-train's process group, so Ctrl+C in wl-train's terminal misses it.
    const { stdout } = await execa("ps", ["-o", "sid=", "-p", String(process.pid)]);
    expect(Number(stdout.trim())).not.toBe(launched.info.pid);
  });

  it("a launcher that dies before it reads its environment fails the start at once", async () => {
    const folder = trainFolder(await tempDir());
    const env = tmuxEnv(await tempDir());
    // The FIFO made elsewhere: the launcher's `. ./.env.fifo` finds nothing and its shell exits.
    const elsewhere = { ...folder, envFifo: `${await tempDir()}/.env.fifo` };
    const started = Date.now();
    await expect(
      launchTrainer({ folder: elsewhere, command: COMMAND, trainerEnv: env, toolEnv: env }),
    ).rejects.toMatchObject({
      code: "train.launch_failed",
      message: "the trainer's launcher did not start: it exited before it read its environment",
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(existsSync(folder.trainerPid)).toBe(false);
  });
});

describe("the shell text", () => {
  it("quotes words so sh reads them back unchanged", async () => {
    const words = ["plain", "it's", "$HOME", "a b", '"q"', "new\nline", ""];
    const { stdout } = await execa("/bin/sh", [
      "-c",
      `for w in ${words.map(shellQuote).join(" ")}; do printf '%s|' "$w"; done`,
    ]);
    expect(stdout).toBe(`${words.join("|")}|`);
  });

  it("exports every variable a shell can take, and nothing it owns", async () => {
    const text = exportLines({
      A_B: "x'y",
      "BAD-NAME": "no",
      PWD: "/no",
      BASH_FUNC_f: "no",
      E: "",
    });
    expect(text).toBe("export A_B='x'\\''y'\nexport E=''\n");
    const { stdout } = await execa("/bin/sh", ["-c", `${text} printf '%s' "$A_B"`]);
    expect(stdout).toBe("x'y");
  });

  it("writes a launcher that records the pid before exec and the exit code after", () => {
    const script = launchScript(trainFolder("/r"), ["/py", "-m", "wl_trainer", "train"]);
    expect(script).toContain("trap ':' INT TERM HUP");
    expect(script).toContain(". ./.env.fifo");
    expect(script).toContain(`exec "$@"' wl-trainer '/py' '-m' 'wl_trainer' 'train'`);
    expect(script).toContain('echo "$code" > exit_code.tmp && mv -f exit_code.tmp exit_code');
  });
});

describe("the start lock", () => {
  it("lets one caller at a time decide, and takes over a lock whose holder is gone", async () => {
    const folder = trainFolder(await tempDir());
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 150));
      order.push(`${name} out`);
    };
    await Promise.all([withStartLock(folder, task("a")), withStartLock(folder, task("b"))]);
    expect(order).toEqual(["a in", "a out", "b in", "b out"]);
    expect(existsSync(folder.lock)).toBe(false);

    await writeFile(folder.lock, `${await deadPid()}\n`);
    expect(await withStartLock(folder, async () => "took over")).toBe("took over");
  });
});
