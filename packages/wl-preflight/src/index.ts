// @wl/preflight: checks that spend nothing.
export { type PreflightOptions, preflight } from "./preflight.ts";
export { preflightTool } from "./tool.ts";
