// @wl/push: upload a run's data, resolved config and trainer to its SSH host, skipping what is
// already there, with a sha256 proof (upload.ok) on the host.
export { type PushHost, pushHost } from "./host.ts";
export { PROOF_FILE, PROOF_SCHEMA, type PushOptions, push, TOOL } from "./push.ts";
export { type TarEntry, trainerFiles, writeTrainerTarball } from "./tarball.ts";
export { type PushToolOptions, pushTool, trainerDirOf } from "./tool.ts";
