// The trainer's status lines as printed (`[WL-TRAINER] ❌ ERROR: … → fix: …`, docs/events.md),
// read back from train.log: for the last error's message and fix, and for --log-format json.
import { EVENT_SCHEMA, type WlEvent } from "@wl/core";

type Level = WlEvent["level"];

/** One parsed status line. */
export interface TrainerLine {
  level: Level;
  message: string;
  fix?: string;
}

const PREFIX = "[WL-TRAINER] ";
const LABELS: ReadonlyArray<[string, Level]> = [
  ["✅ SUCCESS: ", "success"],
  ["⚠️ WARNING: ", "warning"],
  ["⚠️ RESUME: ", "warning"], // the trainer's resume line, worded as users asked for it
  ["❌ ERROR: ", "error"],
];
const FIX = " → fix: ";

/** Parses a trainer status line; undefined for anything else (a traceback, a blank line). */
export function parseTrainerLine(line: string): TrainerLine | undefined {
  if (!line.startsWith(PREFIX)) return undefined;
  let rest = line.slice(PREFIX.length);
  let level: Level = "info";
  for (const [label, labelLevel] of LABELS) {
    if (rest.startsWith(label)) {
      level = labelLevel;
      rest = rest.slice(label.length);
      break;
    }
  }
  const at = level === "success" ? -1 : rest.lastIndexOf(FIX);
  if (at < 0) return { level, message: rest };
  return { level, message: rest.slice(0, at), fix: rest.slice(at + FIX.length) };
}

/** The last error line among `lines`, parsed. */
export function lastError(lines: readonly string[]): TrainerLine | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const parsed = parseTrainerLine(lines[i] ?? "");
    if (parsed?.level === "error") return parsed;
  }
  return undefined;
}

/** A trainer line as a wl.event/1 from the trainer (for followers writing NDJSON). */
export function trainerLineEvent(line: TrainerLine, runId: string | undefined): WlEvent {
  return {
    schema: EVENT_SCHEMA,
    ts: new Date().toISOString(),
    tool: "wl-trainer",
    level: line.level,
    event: line.level === "error" ? "error" : "log",
    message: line.message,
    ...(line.fix === undefined ? {} : { fix: line.fix }),
    ...(runId === undefined ? {} : { run_id: runId }),
  };
}
