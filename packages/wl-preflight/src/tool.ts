// wl-preflight as a tool: first in a pipe (--config) or reading a run document.
import { ExitCode, type ToolSpec } from "@wl/core";
import { preflight } from "./preflight.ts";

export const preflightTool: ToolSpec<Record<never, never>> = {
  tool: "wl-preflight",
  summary: "checks that spend nothing: config, data, disk, output dir, model, credentials, memory",
  startsPipe: true,
  configFailureExitCode: ExitCode.preflightFailed,
  act: (doc, { report, env }) => preflight(doc, { report, env }),
};
