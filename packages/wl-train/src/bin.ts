// wl-train's command line: a subcommand (status, logs, attach, stop) when the first word names
// one, else the pipe tool in the core frame.
import { processIO, runTool, type ToolIO } from "@wl/core";
import { isSubcommand, runSubcommand } from "./commands/cli.ts";
import { trainTool } from "./tool.ts";

/** Runs wl-train on `io` (this process by default); returns the exit code. */
export function main(io: ToolIO = processIO()): Promise<number> {
  if (isSubcommand(io.argv)) return runSubcommand(io);
  return runTool(trainTool(io), io);
}
