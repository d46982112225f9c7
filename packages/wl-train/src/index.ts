// @wl/train: run the trainer detached on this machine, follow it, resume it; status, logs, attach
// and stop from any shell.
export { aliveFromStatus, HEARTBEAT_STALE_S, heartbeatAgeS, trainerState } from "./alive.ts";
export { formatCost, formatDuration, formatStatus, formatSteps } from "./format.ts";
export { trainFailure, wlExitCode } from "./outcome.ts";
export { type RunLocation, resolveRun, runRef } from "./resolve-run.ts";
export { sessionName } from "./tmux.ts";
export { trainTool } from "./tool.ts";
export { TOOL, type TrainOptions, train, trainerConfig } from "./train.ts";
export { trainFolder } from "./train-folder.ts";
