// The run folder can be created and written, proven by writing and removing a probe file.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CheckResult } from "@wl/core";
import { type CheckContext, fail, ok } from "./check.ts";

/** Creates the run folder and writes a probe file in it. */
export async function checkOutputDir({ runDir }: CheckContext): Promise<CheckResult> {
  const probe = join(runDir, `.write-probe-${process.pid}`);
  try {
    await mkdir(runDir, { recursive: true });
    await writeFile(probe, "");
    await rm(probe);
    return ok("output_dir", `run folder writable: ${runDir}`, { path: runDir });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return fail(
      "output_dir",
      `cannot write the run folder ${runDir} (${code})`,
      "pass --runs-dir to a writable folder, or set output.runs_dir / $WL_RUNS_DIR",
      { path: runDir },
    );
  }
}
