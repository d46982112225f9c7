// The subcommands that work on a run from any shell — status, logs, attach, stop — by run id,
// run folder or run.json. They read the run folder; none takes a run document on stdin.
import {
  createReporter,
  exitCodeEpilogue,
  oneLine,
  type Reporter,
  type ToolIO,
  toWlError,
  WlError,
  withStatusOptions,
} from "@wl/core";
import yargs from "yargs";
import { resolveRun } from "../resolve-run.ts";
import { TOOL } from "../train.ts";
import { attachCommand } from "./attach.ts";
import type { CommandContext } from "./context.ts";
import { logsCommand } from "./logs.ts";
import { statusCommand } from "./status.ts";
import { stopCommand } from "./stop.ts";

export const SUBCOMMANDS = ["status", "logs", "attach", "stop"] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Options that take a value, so `--runs-dir status` is not mistaken for the subcommand. */
const VALUE_OPTIONS = new Set([
  "--config",
  "--set",
  "--run",
  "--runs-dir",
  "--log-format",
  "--resume",
  "--timeout",
]);

/** True when argv's first word (not an option or an option's value) is a subcommand. */
export function isSubcommand(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? "";
    if (word === "--") return false;
    if (word.startsWith("-")) {
      if (VALUE_OPTIONS.has(word)) i++;
      continue;
    }
    return (SUBCOMMANDS as readonly string[]).includes(word);
  }
  return false;
}

/** Parsed subcommand arguments. */
interface Parsed {
  _: Array<string | number>;
  run: string;
  runsDir?: string;
  config?: string;
  logFormat: "text" | "json";
  debug: boolean;
  json?: boolean;
  follow?: boolean;
  timeout?: number;
}

/** Runs one subcommand; returns its exit code, never throws. */
export async function runSubcommand(io: ToolIO): Promise<number> {
  let report: Reporter = createReporter({ tool: TOOL, stream: io.stderr, env: io.env });
  const debug = io.argv.includes("--debug");
  try {
    const parsed = await parse(io);
    if (parsed === undefined) return 0;
    report = createReporter({
      tool: TOOL,
      format: parsed.logFormat,
      stream: io.stderr,
      env: io.env,
    });
    const cwd = process.cwd();
    const location = await resolveRun(parsed.run, {
      ...(parsed.runsDir !== undefined ? { runsDir: parsed.runsDir } : {}),
      ...(parsed.config !== undefined ? { config: parsed.config } : {}),
      env: io.env,
      cwd,
    });
    report.runId = location.runId;
    const context: CommandContext = { io, report, location, cwd };
    const command = parsed._[0] as Subcommand;
    switch (command) {
      case "status":
        return await statusCommand(context, { json: parsed.json ?? false });
      case "logs":
        return await logsCommand(context, { follow: parsed.follow ?? false });
      case "attach":
        return await attachCommand(context);
      case "stop":
        return await stopCommand(context, { timeoutS: parsed.timeout ?? 120 });
    }
  } catch (thrown) {
    const error = toWlError(thrown);
    report.error(error.message, { fix: error.fix, data: { code: error.code } });
    if (debug && thrown instanceof Error && thrown.stack) {
      report.info(thrown.stack, { event: "debug.stack" });
    }
    return error.exitCode;
  }
}

/** Parses argv strictly; undefined after --help. */
async function parse(io: ToolIO): Promise<Parsed | undefined> {
  let failure: string | undefined;
  let exited = false;
  const run = { describe: "A run folder, its run.json, or a run id", type: "string" } as const;
  const parser = withStatusOptions(yargs(io.argv))
    .scriptName("wl-train")
    .usage("$0 <command> RUN — a training run from any shell")
    .command("status <run>", "Stage, step, loss, ETA, cost and whether the trainer is alive", (y) =>
      y.positional("run", run).option("json", {
        type: "boolean",
        default: false,
        describe: "Print status.json's object plus `alive` on stdout",
      }),
    )
    .command("logs <run>", "Print the trainer's log (train.log)", (y) =>
      y.positional("run", run).option("follow", {
        alias: "f",
        type: "boolean",
        default: false,
        describe: "Keep printing new lines until the trainer ends",
      }),
    )
    .command("attach <run>", "Attach this terminal to the trainer's tmux session", (y) =>
      y.positional("run", run),
    )
    .command("stop <run>", "Stop the trainer gracefully (SIGTERM): it saves a checkpoint", (y) =>
      y.positional("run", run).option("timeout", {
        type: "number",
        default: 120,
        describe: "Seconds to wait for it to exit",
      }),
    )
    .option("runs-dir", {
      type: "string",
      describe: "Root of run folders, for a run id (else $WL_RUNS_DIR, output.runs_dir, ./runs)",
    })
    .option("config", { type: "string", describe: "Config whose output.runs_dir holds the run" })
    .demandCommand(1, "name a command: status, logs, attach or stop")
    .epilogue(exitCodeEpilogue())
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message) => {
      failure = oneLine(message);
    });
  const parsed = await parser.parseAsync(io.argv, {}, (error, _argv, output) => {
    if (output && !error) {
      exited = true;
      io.stdout.write(`${output}\n`);
    }
  });
  if (failure !== undefined) {
    throw new WlError("usage", failure, "run wl-train --help for the commands");
  }
  if (exited) return undefined;
  return parsed as unknown as Parsed;
}
