// The few tmux commands wl-train needs, run with the tool's environment (so $TMUX_TMPDIR and
// $TMUX are honoured). Sessions are addressed exactly (`=name`), never by prefix.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { WlError } from "@wl/core";
import { execa } from "execa";
import { shellQuote } from "./shell.ts";

/** The tmux session of a run: `wl-<run-id>` (tmux itself would turn . and : into _). */
export function sessionName(runId: string): string {
  return `wl-${runId.replace(/[.:]/g, "_")}`;
}

/** The first executable `name` on the environment's PATH, or undefined. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** tmux on this machine. */
export class Tmux {
  constructor(
    readonly binary: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** tmux from PATH, or undefined when it is not installed. */
  static find(env: NodeJS.ProcessEnv): Tmux | undefined {
    const binary = findExecutable("tmux", env);
    return binary === undefined ? undefined : new Tmux(binary, env);
  }

  /** True when the session exists. */
  async hasSession(name: string): Promise<boolean> {
    return (await this.run(["has-session", "-t", `=${name}`])).exitCode === 0;
  }

  /** Starts `argv` (no shell) in a new detached session in `cwd`; returns the pane's pid. */
  async newSession(name: string, cwd: string, argv: readonly string[]): Promise<number> {
    const result = await this.run([
      "new-session",
      "-d",
      "-s",
      name,
      "-c",
      cwd,
      "-x",
      "200",
      "-y",
      "50",
      "-P",
      "-F",
      "#{pane_pid}",
      "--",
      ...argv,
    ]);
    const pid = Number(result.stdout.trim());
    if (result.exitCode !== 0 || !Number.isInteger(pid) || pid <= 0) {
      throw new WlError(
        "train.tmux_failed",
        `tmux could not start session ${name}: ${lastLine(result.stderr) || `exit ${result.exitCode}`}`,
        `run tmux new-session -d -s test true to see why, or uninstall tmux to run detached without it`,
      );
    }
    return pid;
  }

  /** Appends everything the session's pane prints to `file`. */
  async pipePane(name: string, file: string): Promise<void> {
    await this.run(["pipe-pane", "-o", "-t", `=${name}:`, `cat >> ${shellQuote(file)}`]);
  }

  /** Ends the session (its processes get SIGHUP). */
  async killSession(name: string): Promise<void> {
    await this.run(["kill-session", "-t", `=${name}`]);
  }

  /** The arguments that attach this terminal to the session (switch-client inside tmux). */
  attachArgs(name: string): string[] {
    return this.env.TMUX
      ? ["switch-client", "-t", `=${name}`]
      : ["attach-session", "-t", `=${name}`];
  }

  private async run(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const result = await execa(this.binary, args, {
      env: this.env,
      extendEnv: false,
      reject: false,
      stdin: "ignore",
    });
    return {
      exitCode: result.exitCode ?? 1,
      stdout: String(result.stdout),
      stderr: String(result.stderr),
    };
  }
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1)?.trim() ?? "";
}
