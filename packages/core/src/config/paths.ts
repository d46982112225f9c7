// Relative paths in a config resolve against the config file's directory, so a config works from
// any working directory. output.runs_dir is the exception: it is relative to where you run wl.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";
import type { Config } from "./schema.ts";

/** Expands `~` and makes `file` absolute against `base`. */
export function resolvePath(file: string, base: string): string {
  if (file === "~" || file.startsWith("~/")) return resolve(homedir(), file.slice(2));
  return isAbsolute(file) ? file : resolve(base, file);
}

/**
 * A model reference is a local path when it starts with `.`, `/` or `~`, or when a directory of
 * that name exists next to the config; otherwise it is a Hugging Face hub id. The trainer applies
 * the same rule (wl_trainer/config.py).
 */
export function isLocalModel(base: string, configDir: string): boolean {
  if (/^(\.|\/|~)/.test(base)) return true;
  return existsSync(resolve(configDir, base));
}

/** Returns the config with every file path made absolute. */
export function resolveConfigPaths(config: Config, configDir: string): Config {
  const at = (file: string) => resolvePath(file, configDir);
  const { ssh, runpod } = config.compute;
  return {
    ...config,
    model: {
      ...config.model,
      base: isLocalModel(config.model.base, configDir) ? at(config.model.base) : config.model.base,
    },
    data: {
      ...config.data,
      train: at(config.data.train),
      ...(config.data.val === undefined ? {} : { val: at(config.data.val) }),
    },
    compute: {
      ...config.compute,
      ...(ssh === undefined ? {} : { ssh: { ...ssh, ...(ssh.key ? { key: at(ssh.key) } : {}) } }),
      ...(runpod === undefined
        ? {}
        : { runpod: { ...runpod, ...(runpod.ssh_key ? { ssh_key: at(runpod.ssh_key) } : {}) } }),
    },
    output: { ...config.output, runs_dir: resolvePath(config.output.runs_dir, process.cwd()) },
  };
}
