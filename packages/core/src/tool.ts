// The frame every wl tool runs in: argv → run document (stdin, --run or a new one from a config)
// → failure pass-through or the tool's step → run.json saved → document on stdout → exit code.
// Tools supply only `act`; tests call runTool with their own argv and streams.
import { Readable } from "node:stream";
import yargs, { type Argv } from "yargs";
import { discoverConfig } from "./config/discover.ts";
import { loadConfig, overrideLoadedConfig } from "./config/load.ts";
import { toWlError, WlError } from "./errors.ts";
import { ExitCode, type ExitCodeValue, exitCodeEpilogue } from "./exit-codes.ts";
import { secretsFromEnv } from "./redact.ts";
import { newRunId, runDirOf, runsRoot, saveRunDoc } from "./run-dir.ts";
import { parseRunDoc, readAll, readRunDocFile, writeRunDoc } from "./run-doc/io.ts";
import { RUN_SCHEMA, type RunDoc } from "./run-doc/schema.ts";
import { createReporter, type LogFormat, type Reporter } from "./status.ts";
import { oneLine, withStatusOptions } from "./status-options.ts";

/** Options every tool accepts. */
export interface CommonOptions {
  config?: string;
  set: string[];
  run?: string;
  runsDir?: string;
  logFormat: LogFormat;
  debug: boolean;
}

/** What a tool receives besides the document. */
export interface ToolContext<O> {
  options: CommonOptions & O;
  report: Reporter;
  env: NodeJS.ProcessEnv;
}

/** A tool: its name, its own options and the step it performs on the run document. */
export interface ToolSpec<O> {
  tool: string;
  summary: string;
  /** May start a pipe from a config (--config, $WL_CONFIG, ./wl.yaml). */
  startsPipe: boolean;
  /** Acts even on a failed document (wl-summary, wl-pod terminate). */
  alwaysActs?: boolean;
  /** Exit code when the config cannot be loaded (wl-preflight: 3, nothing spent). */
  configFailureExitCode?: ExitCodeValue;
  options?: (argv: Argv<CommonOptions>) => Argv<CommonOptions & O>;
  act: (doc: RunDoc, context: ToolContext<O>) => Promise<RunDoc>;
}

/** The process a tool runs in; tests pass their own. */
export interface ToolIO {
  argv: string[];
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Where SIGINT / SIGTERM arrive (the process); the step is stopped and its document saved. */
  signals?: NodeJS.EventEmitter;
}

/** Runs a tool to completion and returns its exit code; never throws. */
export async function runTool<O>(spec: ToolSpec<O>, io: ToolIO = processIO()): Promise<number> {
  const debug = io.argv.includes("--debug");
  const secrets = secretsFromEnv(io.env);
  let report = createReporter({ tool: spec.tool, stream: io.stderr, env: io.env });
  let doc: RunDoc | undefined;
  try {
    const options = await parseArgv(spec, io);
    if (options === undefined) return ExitCode.ok;
    report = createReporter({
      tool: spec.tool,
      format: options.logFormat,
      stream: io.stderr,
      env: io.env,
    });
    try {
      doc = await obtainDoc(spec, options, io, report);
      report.runId = doc.run_id;
      doc = await step(spec, doc, { options, report, env: io.env }, io.signals);
    } catch (thrown) {
      if (!(thrown instanceof StartFailure)) throw thrown;
      doc = withStep(thrown.doc, spec.tool, "failed", thrown.doc.created_at, thrown.exitCode);
    }
  } catch (thrown) {
    const error = reportFailure(report, thrown, debug);
    if (doc === undefined) return error.exitCode;
    doc = markFailed(doc, spec.tool, error);
  }
  doc = await saveOrReport(doc, spec.tool, report, secrets);
  writeRunDoc(doc, io.stdout, secrets);
  return doc.status === "failed" ? (doc.error?.exit_code ?? ExitCode.error) : ExitCode.ok;
}

/** Saves run.json; when the run folder cannot be written the document still goes to stdout. */
async function saveOrReport(
  doc: RunDoc,
  tool: string,
  report: Reporter,
  secrets: readonly string[],
): Promise<RunDoc> {
  try {
    await saveRunDoc(doc, secrets);
    return doc;
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code ?? "error";
    const error = new WlError(
      "run.unsaved",
      `cannot save run.json in ${doc.paths.run_dir} (${code})`,
      "pass --runs-dir to a writable folder, or set output.runs_dir / $WL_RUNS_DIR",
      { cause: thrown },
    );
    // A run that already failed keeps its own error; an ok run that cannot be saved fails here.
    if (doc.status === "failed") {
      report.warning(error.message, { fix: error.fix, data: { code: error.code } });
      return doc;
    }
    report.error(error.message, { fix: error.fix, data: { code: error.code } });
    return markFailed(doc, tool, error);
  }
}

/** Runs the tool's step, or passes a failed document on untouched (recording the skip). */
async function step<O>(
  spec: ToolSpec<O>,
  doc: RunDoc,
  context: ToolContext<O>,
  signals?: NodeJS.EventEmitter,
): Promise<RunDoc> {
  const started_at = new Date().toISOString();
  if (doc.status === "failed" && !spec.alwaysActs) {
    const upstream = doc.error;
    context.report.warning(
      `skipped: ${upstream?.step ?? "an earlier step"} failed (${upstream?.message ?? "no reason recorded"})`,
      { event: "step.skipped", ...(upstream ? { fix: upstream.fix } : {}) },
    );
    return withStep(doc, spec.tool, "skipped", started_at, upstream?.exit_code ?? ExitCode.error);
  }
  context.report.info(`${spec.summary}`, { event: "step.start" });
  let result: RunDoc;
  const interruption = interrupted(signals);
  try {
    result = await Promise.race([spec.act(doc, context), interruption.promise]);
  } catch (thrown) {
    result = markFailed(
      doc,
      spec.tool,
      reportFailure(context.report, thrown, context.options.debug),
    );
  } finally {
    interruption.dispose();
  }
  const failedHere = result.status === "failed" && result.error?.step === spec.tool;
  const exitCode = failedHere ? (result.error?.exit_code ?? ExitCode.error) : ExitCode.ok;
  return withStep(result, spec.tool, failedHere ? "failed" : "ok", started_at, exitCode);
}

function withStep(
  doc: RunDoc,
  tool: string,
  status: "ok" | "failed" | "skipped",
  started_at: string,
  exit_code: number,
): RunDoc {
  const record = { tool, status, started_at, finished_at: new Date().toISOString(), exit_code };
  return { ...doc, steps: [...doc.steps, record] };
}

/** Marks a document failed by `tool` with `error`, keeping an earlier failure if there was one. */
export function markFailed(doc: RunDoc, tool: string, error: WlError): RunDoc {
  if (doc.status === "failed" && doc.error) return doc;
  return {
    ...doc,
    status: "failed",
    error: {
      step: tool,
      code: error.code,
      message: error.message,
      fix: error.fix,
      exit_code: error.exitCode,
    },
  };
}

/** The document to work on: --run FILE, stdin, or a new run from a config. */
async function obtainDoc<O>(
  spec: ToolSpec<O>,
  options: CommonOptions,
  io: ToolIO,
  report: Reporter,
): Promise<RunDoc> {
  if (options.run !== undefined && options.config !== undefined) {
    throw new WlError(
      "usage.conflict",
      "--run and --config both given",
      "pass --run to continue a run, or --config to start one",
    );
  }
  let doc: RunDoc | undefined;
  if (options.run !== undefined) doc = await readRunDocFile(options.run);
  else if (options.config === undefined && !io.stdin.isTTY) {
    const text = await readAll(io.stdin);
    if (text.trim() !== "") doc = parseRunDoc(text, "stdin");
  }
  if (doc !== undefined) {
    if (options.set.length === 0 || doc.config === undefined) return doc;
    return { ...doc, config: overrideLoadedConfig(doc.config, options.set) };
  }
  if (!spec.startsPipe) {
    throw new WlError(
      "run.none",
      `${spec.tool} continues a pipe but got no run document`,
      `pipe one in (e.g. wl-preflight --config FILE | ${spec.tool}) or pass --run runs/<id>/run.json`,
    );
  }
  return newRunDoc(spec, options, io, report);
}

/** Starts a run: loads the config and makes the run folder; a bad config still gets a document. */
async function newRunDoc<O>(
  spec: ToolSpec<O>,
  options: CommonOptions,
  io: ToolIO,
  report: Reporter,
): Promise<RunDoc> {
  const created = new Date();
  const created_at = created.toISOString();
  try {
    const config = await loadConfig(discoverConfig(options.config, io.env), options.set);
    const { runs_dir, run_name } = config.resolved.output;
    const run_id = newRunId(run_name, config.resolved.name ?? "run", created);
    const run_dir = runDirOf(runsRoot(options.runsDir, runs_dir, io.env), run_id);
    report.runId = run_id;
    return {
      schema: RUN_SCHEMA,
      run_id,
      created_at,
      status: "ok",
      config,
      paths: { run_dir },
      steps: [],
    };
  } catch (thrown) {
    const run_id = newRunId(undefined, undefined, created);
    const run_dir = runDirOf(runsRoot(options.runsDir, undefined, io.env), run_id);
    const doc: RunDoc = {
      schema: RUN_SCHEMA,
      run_id,
      created_at,
      status: "ok",
      paths: { run_dir },
      steps: [],
    };
    report.runId = run_id;
    const error = reportFailure(report, thrown, options.debug);
    const exitCode = spec.configFailureExitCode ?? error.exitCode;
    const failure = new WlError(error.code, error.message, error.fix, { exitCode, cause: error });
    throw new StartFailure(markFailed(doc, spec.tool, failure), exitCode);
  }
}

/** A promise that rejects with exit code 130 on SIGINT or SIGTERM, until disposed. */
function interrupted(signals: NodeJS.EventEmitter | undefined): {
  promise: Promise<never>;
  dispose: () => void;
} {
  let onSignal: (signal: string) => void = () => {};
  const promise = new Promise<never>((_, reject) => {
    onSignal = (signal) =>
      reject(
        new WlError("interrupted", `interrupted by ${signal}`, "run the same command again", {
          exitCode: ExitCode.interrupted,
        }),
      );
  });
  const handlers = ["SIGINT", "SIGTERM"].map((signal) => {
    const handler = () => onSignal(signal);
    signals?.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    promise,
    dispose: () => {
      for (const [signal, handler] of handlers) signals?.off(signal, handler);
    },
  };
}

/** Prints one error line (and, with --debug, the stack) and returns the error as a WlError. */
function reportFailure(report: Reporter, thrown: unknown, debug: boolean): WlError {
  const error = toWlError(thrown);
  report.error(error.message, { fix: error.fix, data: { code: error.code } });
  if (debug && thrown instanceof Error && thrown.stack) {
    report.info(thrown.stack, { event: "debug.stack" });
  }
  return error;
}

/** A run that failed before its first step (a bad config): it still gets a document. */
class StartFailure extends Error {
  constructor(
    readonly doc: RunDoc,
    readonly exitCode: number,
  ) {
    super("the run could not start");
  }
}

/** Parses argv strictly; returns undefined after --help or --version. */
async function parseArgv<O>(
  spec: ToolSpec<O>,
  io: ToolIO,
): Promise<(CommonOptions & O) | undefined> {
  let exited = false;
  let failure: string | undefined;
  const base = withStatusOptions(yargs(io.argv))
    .scriptName(spec.tool)
    .usage(`$0 — ${spec.summary}`)
    .option("config", { type: "string", describe: "Config file (else $WL_CONFIG, then ./wl.yaml)" })
    .option("set", {
      type: "string",
      array: true,
      default: [] as string[],
      describe: "Override a config key, e.g. --set training.max_steps=10 (repeatable)",
    })
    .option("run", { type: "string", describe: "Read the run document from FILE instead of stdin" })
    .option("runs-dir", {
      type: "string",
      describe: "Root of run folders (else $WL_RUNS_DIR, output.runs_dir)",
    })
    .epilogue(exitCodeEpilogue())
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message) => {
      failure = oneLine(message);
    }) as unknown as Argv<CommonOptions>;
  const parser = spec.options ? spec.options(base) : (base as Argv<CommonOptions & O>);
  const parsed = await parser
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .parseAsync(io.argv, {}, (error, _argv, output) => {
      if (output && !error) {
        exited = true;
        io.stdout.write(`${output}\n`);
      }
    });
  if (failure !== undefined) {
    throw new WlError("usage", failure, `run ${spec.tool} --help for the options`);
  }
  if (exited) return undefined;
  return parsed as unknown as CommonOptions & O;
}

/** The real process's streams and arguments. */
export function processIO(): ToolIO {
  // A reader that closed the pipe early (`| head`) is not an error: run.json holds the document.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  return {
    argv: process.argv.slice(2),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signals: process,
  };
}

/** A readable stream of `text`, for tests and for tools that feed one another in-process. */
export function textStream(text: string): Readable {
  return Readable.from([text]);
}
