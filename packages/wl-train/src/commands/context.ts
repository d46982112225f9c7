// What every subcommand gets: the process, a reporter for stderr, and the run it works on.
import type { Reporter, ToolIO } from "@wl/core";
import type { RunLocation } from "../resolve-run.ts";

export interface CommandContext {
  io: ToolIO;
  report: Reporter;
  location: RunLocation;
  cwd: string;
}
