// What a check sees and returns.
import type { CheckResult, Config } from "@wl/core";

/** Everything a check may look at; tests build one by hand. */
export interface CheckContext {
  config: Config;
  configPath: string;
  runDir: string;
  env: NodeJS.ProcessEnv;
  home: string;
}

export type Check = (context: CheckContext) => Promise<CheckResult>;

/** Shorthands for the four verdicts. */
export const ok = (name: string, message: string, data?: Record<string, unknown>): CheckResult => ({
  name,
  status: "ok",
  message,
  ...(data ? { data } : {}),
});
export const warn = (
  name: string,
  message: string,
  fix: string,
  data?: Record<string, unknown>,
): CheckResult => ({
  name,
  status: "warn",
  message,
  fix,
  ...(data ? { data } : {}),
});
export const fail = (
  name: string,
  message: string,
  fix: string,
  data?: Record<string, unknown>,
): CheckResult => ({
  name,
  status: "fail",
  message,
  fix,
  ...(data ? { data } : {}),
});
export const skip = (name: string, message: string, fix?: string): CheckResult => ({
  name,
  status: "skip",
  message,
  ...(fix ? { fix } : {}),
});
