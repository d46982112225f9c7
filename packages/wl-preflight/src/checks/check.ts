// What a check sees and returns.
import type { CheckResult, Config, DataFiles } from "@wl/core";

/** Everything a check may look at; tests build one by hand. */
export interface CheckContext {
  config: Config;
  configPath: string;
  /** The files to train on: wl-data's output when it ran, else the config's. */
  dataFiles: DataFiles;
  runDir: string;
  env: NodeJS.ProcessEnv;
  home: string;
}

export type Check = (context: CheckContext) => Promise<CheckResult>;

type Data = Record<string, unknown>;

function verdict(
  status: CheckResult["status"],
  name: string,
  message: string,
  fix?: string,
  data?: Data,
): CheckResult {
  return { name, status, message, ...(fix ? { fix } : {}), ...(data ? { data } : {}) };
}

/** Shorthands for the four verdicts. */
export const ok = (name: string, message: string, data?: Data) =>
  verdict("ok", name, message, undefined, data);
export const warn = (name: string, message: string, fix: string, data?: Data) =>
  verdict("warn", name, message, fix, data);
export const fail = (name: string, message: string, fix: string, data?: Data) =>
  verdict("fail", name, message, fix, data);
export const skip = (name: string, message: string, fix?: string) =>
  verdict("skip", name, message, fix);
