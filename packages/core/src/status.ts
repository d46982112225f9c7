// Status on stderr for people (`[WL-PREFLIGHT] ✅ SUCCESS: …`) or, with --log-format json, one
// wl.event/1 object per line for programs. stdout is never touched here: it carries data only.
import { EVENT_SCHEMA, type EventLevel, type WlEvent } from "./events.ts";
import { redact, secretsFromEnv } from "./redact.ts";

export type LogFormat = "text" | "json";

/** Options for one status line or event. */
export interface ReportOptions {
  event?: string;
  fix?: string;
  data?: Record<string, unknown>;
}

/** Where a tool tells people (or programs) what is happening. */
export interface Reporter {
  readonly tool: string;
  runId: string | undefined;
  info(message: string, options?: ReportOptions): void;
  success(message: string, options?: ReportOptions): void;
  warning(message: string, options?: ReportOptions): void;
  error(message: string, options?: ReportOptions): void;
}

export interface ReporterOptions {
  tool: string;
  format?: LogFormat;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
}

const LABEL: Record<EventLevel, string> = {
  info: "",
  success: "✅ SUCCESS: ",
  warning: "⚠️ WARNING: ",
  error: "❌ ERROR: ",
};
const COLOUR: Record<EventLevel, string> = {
  info: "",
  success: "\u001b[32m",
  warning: "\u001b[33m",
  error: "\u001b[31m",
};
const RESET = "\u001b[0m";

/** Colour only on a TTY; NO_COLOR (any value) turns it off, FORCE_COLOR turns it on. */
export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

/** Formats one human status line, e.g. `[WL-PREFLIGHT] ❌ ERROR: no config → fix: pass --config`. */
export function formatStatusLine(
  tool: string,
  level: EventLevel,
  message: string,
  fix?: string,
): string {
  const tail = fix && level !== "success" ? ` → fix: ${fix}` : "";
  return `[${tool.toUpperCase()}] ${LABEL[level]}${message}${tail}`;
}

/** Creates the reporter a tool writes its status through. */
export function createReporter(options: ReporterOptions): Reporter {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  const format = options.format ?? "text";
  const colour = format === "text" && useColour(stream, env);
  const secrets = secretsFromEnv(env);

  const emit = (level: EventLevel, message: string, extra: ReportOptions = {}) => {
    const line =
      format === "json"
        ? JSON.stringify(toEvent(reporter, level, message, extra))
        : paint(formatStatusLine(reporter.tool, level, message, extra.fix), level, colour);
    stream.write(`${redact(line, secrets)}\n`);
  };

  const reporter: Reporter = {
    tool: options.tool,
    runId: undefined,
    info: (message, extra) => emit("info", message, extra),
    success: (message, extra) => emit("success", message, extra),
    warning: (message, extra) => emit("warning", message, extra),
    error: (message, extra) => emit("error", message, extra),
  };
  return reporter;
}

function toEvent(
  reporter: Reporter,
  level: EventLevel,
  message: string,
  extra: ReportOptions,
): WlEvent {
  return {
    schema: EVENT_SCHEMA,
    ts: new Date().toISOString(),
    tool: reporter.tool,
    level,
    event: extra.event ?? (level === "error" ? "error" : "log"),
    message,
    ...(extra.fix === undefined ? {} : { fix: extra.fix }),
    ...(reporter.runId === undefined ? {} : { run_id: reporter.runId }),
    ...(extra.data === undefined ? {} : { data: extra.data }),
  };
}

function paint(line: string, level: EventLevel, colour: boolean): string {
  return colour && COLOUR[level] ? `${COLOUR[level]}${line}${RESET}` : line;
}
