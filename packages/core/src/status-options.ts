// The options that shape what a tool prints, shared by every command line.
import type { Argv } from "yargs";

/** Adds --log-format (text | json) and --debug to a yargs parser. */
export function withStatusOptions<T>(argv: Argv<T>) {
  return argv
    .option("log-format", {
      choices: ["text", "json"] as const,
      default: "text" as const,
      describe: "Status on stderr as text lines or NDJSON events (docs/events.md)",
    })
    .option("debug", { type: "boolean", default: false, describe: "Print stack traces" });
}

/** yargs spreads some messages over lines ("Invalid values:\n  Argument: …"): keep one. */
export function oneLine(message: string): string {
  return message.replace(/\s+/g, " ").trim();
}
