// Runs a user's dataset builder: without a shell unless asked (the command line is split into
// words, quotes honoured, nothing else interpreted), its stderr passed on as status lines, and
// its stdout — or the file it writes — becoming the dataset. A failed builder leaves no dataset.
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { type Reporter, WlError } from "@wl/core";
import { execa } from "execa";
import { splitCommandLine } from "./command-line.ts";

/** How to run the builder. */
export interface BuilderOptions {
  /** The command line. */
  command: string;
  /** Run it through the shell (pipes, globs, variables). */
  shell: boolean;
  /** The file the builder writes; without it, its stdout is the dataset. */
  output?: string;
  /** Where its stdout is kept. */
  stdoutFile: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  report: Reporter;
}

/** Runs the builder; returns the file that holds what it built. */
export async function runBuilder(options: BuilderOptions): Promise<string> {
  const { command, shell, report } = options;
  const [file = "", ...args] = shell ? [command] : splitCommandLine(command);
  if (file === "")
    throw new WlError(
      "usage",
      "--from is empty",
      'pass the builder, e.g. --from "python build.py"',
    );
  await mkdir(dirname(options.stdoutFile), { recursive: true });
  const temp = join(
    dirname(options.stdoutFile),
    `.${basename(options.stdoutFile)}.${randomBytes(4).toString("hex")}.tmp`,
  );
  report.info(`running the dataset builder: ${command}`, { event: "data.builder" });
  const subprocess = execa(file, args, {
    shell,
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    stdin: "ignore",
    stdout: options.output ? "pipe" : { file: temp },
    stderr: "pipe",
    reject: false,
  });
  let lastLine = "";
  const forward = async (from: "stdout" | "stderr") => {
    for await (const line of subprocess.iterable({ from })) {
      if (line.trim() === "") continue;
      lastLine = line;
      report.info(`builder: ${line}`, { event: "data.builder" });
    }
  };
  await Promise.all([forward("stderr"), ...(options.output ? [forward("stdout")] : [])]);
  const result = await subprocess;
  if (result.failed) {
    await rm(temp, { force: true });
    throw builderFailure(command, shell, result, lastLine);
  }
  if (options.output) {
    await rm(temp, { force: true });
    return resolve(options.cwd, options.output);
  }
  await rename(temp, options.stdoutFile);
  return options.stdoutFile;
}

function builderFailure(
  command: string,
  shell: boolean,
  result: { exitCode?: number; signal?: string; code?: string; originalMessage?: string },
  lastLine: string,
): WlError {
  if (result.code === "ENOENT" || result.code === "EACCES") {
    return new WlError(
      "data.builder_not_found",
      `cannot run the dataset builder: ${command} (${result.code})`,
      shell
        ? "check the command line"
        : "check --from (a program and its arguments; pass --shell for pipes, globs or $VARIABLES)",
    );
  }
  const how =
    result.exitCode !== undefined
      ? `exit code ${result.exitCode}`
      : `signal ${result.signal ?? "unknown"}`;
  const last = lastLine === "" ? "" : `: ${lastLine}`;
  return new WlError(
    "data.builder_failed",
    `the dataset builder failed (${how})${last}`,
    `run it yourself to see why: ${command}`,
  );
}
