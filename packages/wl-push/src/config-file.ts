// config.json for the host: the run's resolved config with the data paths pointing at the
// uploaded copies, written here first so it travels (and is hashed) like any other file.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Config } from "@wl/core";

/** Writes `config` as JSON to `file` with data.train / data.val replaced by the host's paths. */
export async function writeRemoteConfig(
  config: Config,
  data: { train: string; val?: string },
  file: string,
): Promise<void> {
  const { val: _val, ...rest } = config.data;
  const remote: Config = {
    ...config,
    data: { ...rest, train: data.train, ...(data.val ? { val: data.val } : {}) },
  };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(remote, null, 2)}\n`);
}
