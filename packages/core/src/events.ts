// The NDJSON event stream (`--log-format json`): one object per line on stderr.
// docs/events.md is generated from this schema; bump EVENT_SCHEMA on any breaking change.
import { z } from "zod";

export const EVENT_SCHEMA = "wl.event/1";

export const eventSchema = z
  .strictObject({
    schema: z.literal(EVENT_SCHEMA),
    ts: z.iso.datetime().describe("ISO-8601 UTC time with milliseconds"),
    tool: z.string().describe("Emitting tool, e.g. wl-preflight or wl-trainer"),
    level: z.enum(["info", "success", "warning", "error"]),
    event: z
      .string()
      .regex(/^[a-z_]+(\.[a-z_]+)*$/)
      .describe(
        "Dotted event name: step.start, step.skipped, check.result, preflight.done, error, log",
      ),
    message: z.string().describe("The same text the human status line shows"),
    fix: z.string().optional().describe("What to do next (errors and warnings)"),
    run_id: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional().describe("Event-specific fields"),
  })
  .describe("wl event");

export type WlEvent = z.infer<typeof eventSchema>;
export type EventLevel = WlEvent["level"];
