// Which config a tool uses when it starts a pipe without --config.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { WlError } from "../errors.ts";

/** The config discovery rule: --config, then $WL_CONFIG, then ./wl.yaml, then ./wl.yml. */
export function discoverConfig(explicit: string | undefined, env = process.env): string {
  if (explicit) return explicit;
  if (env.WL_CONFIG) return env.WL_CONFIG;
  for (const name of ["wl.yaml", "wl.yml"]) if (existsSync(resolve(name))) return name;
  throw new WlError(
    "config.not_found",
    "no config: no --config, no $WL_CONFIG and no ./wl.yaml",
    "pass --config configs/cpu-smoke.yaml, export WL_CONFIG=…, or copy a config to ./wl.yaml",
  );
}
