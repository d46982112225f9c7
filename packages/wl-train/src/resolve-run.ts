// RUN on the command line of a subcommand: a run folder, its run.json (or any saved document of
// the run), the trainer folder inside it, or a run id under the runs root — the order of core's
// runsRoot: --runs-dir, $WL_RUNS_DIR, the config's output.runs_dir, ./runs.
import { existsSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { discoverConfig, loadConfig, RUN_DOC_FILE, readRunDocFile, WlError } from "@wl/core";
import { TRAIN_SUBDIR } from "./train-folder.ts";

/** A run found on disk. */
export interface RunLocation {
  runDir: string;
  runId: string;
  /** The run document it was found by, or the run folder's run.json when there is one. */
  runJson?: string;
}

export interface ResolveOptions {
  runsDir?: string;
  config?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Finds the run `run` names; throws a WlError naming what was tried. */
export async function resolveRun(run: string, options: ResolveOptions): Promise<RunLocation> {
  const path = resolve(options.cwd, run);
  if (existsSync(path)) return fromPath(path, run);
  if (!RUN_ID.test(run)) {
    throw new WlError(
      "run.not_found",
      `no run ${run}: no such file or folder`,
      "pass a run folder, its run.json, or a run id (e.g. 2026-11-23-131045-a1b2c3)",
    );
  }
  const root = await runsRootFor(options);
  const dir = join(root, run);
  if (existsSync(dir)) return fromPath(dir, run);
  throw new WlError(
    "run.not_found",
    `no run ${run}: not a path, and not a run under ${root}`,
    `pass a run folder or its run.json, or a run id from ls ${root} (--runs-dir for another root)`,
  );
}

async function fromPath(path: string, shown: string): Promise<RunLocation> {
  if (statSync(path).isFile()) {
    const doc = await readRunDocFile(path);
    return { runDir: doc.paths.run_dir, runId: doc.run_id, runJson: path };
  }
  if (basename(path) === TRAIN_SUBDIR && !existsSync(join(path, RUN_DOC_FILE))) {
    const parent = dirname(path);
    if (existsSync(join(parent, RUN_DOC_FILE)) || existsSync(join(path, "launch.json"))) {
      return fromRunDir(parent);
    }
  }
  if (existsSync(join(path, RUN_DOC_FILE)) || existsSync(join(path, TRAIN_SUBDIR))) {
    return fromRunDir(path);
  }
  throw new WlError(
    "run.not_found",
    `${shown} is a folder but not a run folder (no ${RUN_DOC_FILE}, no ${TRAIN_SUBDIR}/)`,
    "pass a run folder (runs/<run-id>), its run.json, or a run id",
  );
}

/** A run folder: its own path wins over the paths.run_dir recorded inside (it may have moved). */
async function fromRunDir(dir: string): Promise<RunLocation> {
  const file = join(dir, RUN_DOC_FILE);
  if (!existsSync(file)) return { runDir: dir, runId: basename(dir) };
  const doc = await readRunDocFile(file);
  return { runDir: dir, runId: doc.run_id, runJson: file };
}

/** The runs root; the config is read only when neither --runs-dir nor $WL_RUNS_DIR is set. */
async function runsRootFor(options: ResolveOptions): Promise<string> {
  const given = options.runsDir ?? options.env.WL_RUNS_DIR;
  if (given !== undefined) return resolve(options.cwd, given);
  let configured: string | undefined;
  try {
    const file = discoverConfig(options.config, options.env);
    configured = (await loadConfig(resolve(options.cwd, file))).resolved.output.runs_dir;
  } catch (error) {
    // No config is fine (./runs); a config that was named but is broken is not.
    if (options.config !== undefined || options.env.WL_CONFIG !== undefined) throw error;
  }
  return resolve(options.cwd, configured ?? "runs");
}

/** How to name a run folder in a message: relative to `cwd` when inside it, else absolute. */
export function runRef(runDir: string, cwd: string): string {
  const rel = relative(cwd, runDir);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? runDir : rel;
}
