// Free disk where the run writes: the model cache and checkpoints need room before anything starts.
import { statfs } from "node:fs/promises";
import { dirname } from "node:path";
import type { CheckResult } from "@wl/core";
import { type CheckContext, fail, ok } from "./check.ts";

const GB = 1024 ** 3;
/** A remote run only brings the adapter and logs back here. */
const REMOTE_MINIMUM_GB = 1;

/** Free space at the run folder (its nearest existing ancestor) against compute.min_free_disk_gb. */
export async function checkDisk({ config, runDir }: CheckContext): Promise<CheckResult> {
  const local = config.compute.backend === "local";
  const needed = local ? config.compute.min_free_disk_gb : REMOTE_MINIMUM_GB;
  const { path, freeGb } = await freeSpace(runDir);
  const facts = { path, free_gb: round(freeGb), needed_gb: needed };
  if (freeGb >= needed)
    return ok("disk", `${round(freeGb)} GB free at ${path} (need ${needed})`, facts);
  return fail(
    "disk",
    `only ${round(freeGb)} GB free at ${path}, need ${needed} GB`,
    local
      ? "free some space, point --runs-dir at a bigger disk, or lower compute.min_free_disk_gb"
      : "free some space for the adapter and logs, or point --runs-dir elsewhere",
    facts,
  );
}

/** Free GB on the filesystem holding `target` (walking up to the first folder that exists). */
export async function freeSpace(target: string): Promise<{ path: string; freeGb: number }> {
  let path = target;
  for (;;) {
    try {
      const info = await statfs(path);
      return { path, freeGb: (info.bavail * info.bsize) / GB };
    } catch (error) {
      const parent = dirname(path);
      if (parent === path) throw error;
      path = parent;
    }
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
