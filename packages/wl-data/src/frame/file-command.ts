// The frame of wl-data's file commands (validate FILE…, clean, convert, split, stats, example):
// argv → options → the command → its JSON result on stdout → exit code. They read and write
// files, not the run document; the pipe commands (validate in a pipe, build) run in @wl/core's
// runTool instead. Never throws: every failure is one status line and an exit code.
import {
  createReporter,
  ExitCode,
  exitCodeEpilogue,
  type LogFormat,
  oneLine,
  type Reporter,
  redact,
  secretsFromEnv,
  type ToolIO,
  toWlError,
  WlError,
  withStatusOptions,
} from "@wl/core";
import yargs, { type Argv } from "yargs";

/** Options every file command takes. */
export interface FileCommandOptions {
  logFormat: LogFormat;
  debug: boolean;
}

/** What a file command gets besides its options. */
export interface FileCommandContext {
  report: Reporter;
  env: NodeJS.ProcessEnv;
}

/** What a file command gives back. */
export interface FileCommandOutcome {
  /** Written to stdout as one JSON line. */
  result?: unknown;
  /** Written to stdout as is, instead of JSON (stats without --json). */
  text?: string;
  /** The command failed after producing its result: one error line, this exit code. */
  failure?: WlError;
}

/** A file command: its name, positionals, options and work. */
export interface FileCommand<O> {
  /** The subcommand, e.g. "split". */
  name: string;
  /** Its positionals in yargs syntax, e.g. "<file>" or "<files..>"; "" for none. */
  positionals: string;
  summary: string;
  /** More help, shown before the exit codes. */
  epilogue?: string;
  /** Declares its options (and describes its positionals); `act` gets them typed as O. */
  options: (argv: Argv) => Argv;
  act: (
    options: FileCommandOptions & O,
    context: FileCommandContext,
  ) => Promise<FileCommandOutcome>;
}

const TOOL = "wl-data";

/** Runs a file command on `io` (argv without the subcommand) and returns its exit code. */
export async function runFileCommand<O>(command: FileCommand<O>, io: ToolIO): Promise<number> {
  const debug = io.argv.includes("--debug");
  let report = createReporter({ tool: TOOL, stream: io.stderr, env: io.env });
  try {
    const options = await parseArgv(command, io);
    if (options === undefined) return ExitCode.ok;
    report = createReporter({
      tool: TOOL,
      format: options.logFormat,
      stream: io.stderr,
      env: io.env,
    });
    const outcome = await command.act(options, { report, env: io.env });
    writeOutcome(outcome, io);
    if (outcome.failure === undefined) return ExitCode.ok;
    return reportFailure(report, outcome.failure, debug).exitCode;
  } catch (thrown) {
    return reportFailure(report, thrown, debug).exitCode;
  }
}

/** The result as one line (serialised whole first: never half a document), redacted. */
function writeOutcome(outcome: FileCommandOutcome, io: ToolIO): void {
  const secrets = secretsFromEnv(io.env);
  if (outcome.text !== undefined) io.stdout.write(redact(outcome.text, secrets));
  else if (outcome.result !== undefined) {
    io.stdout.write(`${redact(JSON.stringify(outcome.result), secrets)}\n`);
  }
}

function reportFailure(report: Reporter, thrown: unknown, debug: boolean): WlError {
  const error = toWlError(thrown);
  report.error(error.message, { fix: error.fix, data: { code: error.code } });
  if (debug && thrown instanceof Error && thrown.stack) {
    report.info(thrown.stack, { event: "debug.stack" });
  }
  return error;
}

/** Parses argv strictly; undefined after --help. */
async function parseArgv<O>(
  command: FileCommand<O>,
  io: ToolIO,
): Promise<(FileCommandOptions & O) | undefined> {
  let helped = false;
  let failure: string | undefined;
  const parser = yargs(io.argv)
    .scriptName(`${TOOL} ${command.name}`)
    .command(`$0 ${command.positionals}`.trim(), command.summary, (argv) =>
      command.options(withStatusOptions(argv)),
    )
    .epilogue(`${command.epilogue ? `${command.epilogue}\n\n` : ""}${exitCodeEpilogue()}`)
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message) => {
      failure = oneLine(message);
    })
    .wrap(Math.min(100, process.stdout.columns ?? 100));
  const parsed = await parser.parseAsync(io.argv, {}, (error, _argv, output) => {
    if (output && !error) {
      helped = true;
      io.stdout.write(`${output}\n`);
    }
  });
  if (failure !== undefined) {
    throw new WlError("usage", failure, `run ${TOOL} ${command.name} --help for the options`);
  }
  if (helped) return undefined;
  return parsed as unknown as FileCommandOptions & O;
}
