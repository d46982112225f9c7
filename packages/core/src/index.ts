// @wl/core: what every wl tool shares.
export { syncDirectory, writeFileAtomic } from "./atomic-write.ts";
export { discoverConfig } from "./config/discover.ts";
export { type ConfigProblem, dotted } from "./config/issues.ts";
export { ConfigError, type LoadedConfig, loadConfig, overrideLoadedConfig } from "./config/load.ts";
export { isLocalModel, resolvePath } from "./config/paths.ts";
export { type Config, type ConfigInput, configSchema } from "./config/schema.ts";
export { closest, editDistance } from "./did-you-mean.ts";
export { toWlError, WlError } from "./errors.ts";
export { EVENT_SCHEMA, eventSchema, type WlEvent } from "./events.ts";
export {
  ExitCode,
  type ExitCodeValue,
  exitCodeEpilogue,
  exitCodeMeanings,
} from "./exit-codes.ts";
export { cachedSnapshot, hubCacheDir, hubOffline } from "./hf-cache.ts";
export { canonicalJson } from "./json.ts";
export { classifyModelDir, type ModelDirKind } from "./model-dir.ts";
export { redact, secretsFromEnv } from "./redact.ts";
export { newRunId, RUN_DOC_FILE, runDirOf, runsRoot, saveRunDoc } from "./run-dir.ts";
export { type DataFiles, dataFilesOf } from "./run-doc/data-files.ts";
export { parseRunDoc, readAll, readRunDocFile, writeRunDoc } from "./run-doc/io.ts";
export {
  type CheckResult,
  checkResultSchema,
  RUN_SCHEMA,
  type RunDoc,
  type RunError,
  runDocSchema,
} from "./run-doc/schema.ts";
export { createReporter, formatStatusLine, type LogFormat, type Reporter } from "./status.ts";
export { oneLine, withStatusOptions } from "./status-options.ts";
export {
  type CommonOptions,
  markFailed,
  processIO,
  runTool,
  type ToolContext,
  type ToolIO,
  type ToolSpec,
  textStream,
} from "./tool.ts";
export {
  findTrainerPython,
  runTrainer,
  type TrainerRun,
  trainerEnv,
} from "./trainer.ts";
