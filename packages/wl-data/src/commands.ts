// wl-data's commands: the table, the top-level help, and the dispatch of argv to one of them.
// File commands run in ./frame/file-command.ts, the pipe commands in @wl/core's runTool; each
// command's module is loaded only when it runs (startup time is most of a small job's time).
import {
  closest,
  createReporter,
  ExitCode,
  exitCodeEpilogue,
  runTool,
  type ToolIO,
} from "@wl/core";
import yargs from "yargs";
import { type FileCommand, runFileCommand } from "./frame/file-command.ts";

/** One subcommand: how --help lists it and how it runs. */
interface Command {
  name: string;
  usage: string;
  summary: string;
  run: (io: ToolIO) => Promise<number>;
}

/** Runs a file command loaded on demand. */
const file =
  <O>(load: () => Promise<FileCommand<O>>) =>
  async (io: ToolIO) =>
    runFileCommand(await load(), io);

/** Every subcommand, in the order --help lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: "build",
    usage: "build --from CMD|FILE",
    summary: "pipe: run a dataset builder; clean, convert, validate; record the run's data",
    run: async (io) => runTool((await import("./commands/build.ts")).buildTool, io),
  },
  {
    name: "validate",
    usage: "validate [files..]",
    summary: "check every record, with line numbers (no FILE: the run's data, in a pipe)",
    run: async (io) => (await import("./commands/validate.ts")).runValidate(io),
  },
  {
    name: "clean",
    usage: "clean <file> --out FILE",
    summary: "alpaca cleanup: keep instruction/input/output, drop records without both",
    run: file(async () => (await import("./commands/clean.ts")).cleanCommand),
  },
  {
    name: "convert",
    usage: "convert <file> --out FILE",
    summary: "alpaca or ShareGPT records → chat JSONL, checked like validate",
    run: file(async () => (await import("./commands/convert.ts")).convertCommand),
  },
  {
    name: "split",
    usage: "split <file> --out DIR",
    summary: "train.jsonl + val.jsonl, deterministic by seed, stratified on request",
    run: file(async () => (await import("./commands/split.ts")).splitCommand),
  },
  {
    name: "stats",
    usage: "stats <files..>",
    summary: "records, turns, characters, system prompts, tool calls (--json)",
    run: file(async () => (await import("./commands/stats.ts")).statsCommand),
  },
  {
    name: "example",
    usage: "example weather --out DIR",
    summary: "write the weather tool-use example dataset, split by persona",
    run: file(async () => (await import("./commands/example.ts")).exampleCommand),
  },
];

/** Runs the subcommand argv names; --help lists them; an unknown one is a usage error. */
export async function dispatch(io: ToolIO): Promise<number> {
  const [name, ...rest] = io.argv;
  const command = COMMANDS.find((each) => each.name === name);
  if (command) return command.run({ ...io, argv: rest });
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${await helpText()}\n`);
    return ExitCode.ok;
  }
  const report = createReporter({ tool: "wl-data", stream: io.stderr, env: io.env });
  const names = COMMANDS.map((each) => each.name);
  const guess = name === undefined ? undefined : closest(name, names);
  const message = name === undefined ? "no command given" : `unknown command "${name}"`;
  const hint = guess ? `did you mean "${guess}"? ` : "";
  report.error(message, {
    fix: `${hint}run wl-data --help for the commands (${names.join(", ")})`,
    data: { code: "usage" },
  });
  return ExitCode.error;
}

async function helpText(): Promise<string> {
  let parser = yargs([])
    .scriptName("wl-data")
    .usage("$0 <command> — datasets for wl: build, clean, convert, validate, split, stats");
  for (const command of COMMANDS) parser = parser.command(command.usage, command.summary);
  return parser
    .epilogue(`Each command has --help.\n\n${exitCodeEpilogue()}`)
    .version(false)
    .wrap(null)
    .getHelp();
}
