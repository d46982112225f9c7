// wl-preflight's command line: the core tool frame around the preflight step.
import { processIO, runTool } from "@wl/core";
import { preflightTool } from "./tool.ts";

/** Runs wl-preflight on this process's argv and streams; returns the exit code. */
export function main(): Promise<number> {
  return runTool(preflightTool, processIO());
}
