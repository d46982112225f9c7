// wl-push's command line: the pipe tool in the core frame.
import { processIO, runTool, type ToolIO } from "@wl/core";
import { pushTool } from "./tool.ts";

/** Runs wl-push on `io` (this process by default); returns the exit code. */
export function main(io: ToolIO = processIO()): Promise<number> {
  return runTool(pushTool(), io);
}
