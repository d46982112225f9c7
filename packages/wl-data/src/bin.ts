// wl-data's command line: the subcommand named first in argv, on this process's streams.
import { processIO, type ToolIO } from "@wl/core";
import { dispatch } from "./commands.ts";

/** Runs wl-data on `io` (this process by default); returns the exit code. */
export function main(io: ToolIO = processIO()): Promise<number> {
  return dispatch(io);
}
