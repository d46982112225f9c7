// runs/<run-id>/: where a run's document and files live. The id is date + time + a short hash;
// the root (--runs-dir, $WL_RUNS_DIR, output.runs_dir) and the name template are configurable.
import { createHash, randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "./atomic-write.ts";
import { WlError } from "./errors.ts";
import { redact, secretsFromEnv } from "./redact.ts";
import type { RunDoc } from "./run-doc/schema.ts";

export const DEFAULT_RUN_NAME = "{date}-{time}-{hash}";
export const RUN_DOC_FILE = "run.json";

/** Builds a run id from a template: {date} 2026-11-23, {time} 131045 (UTC), {hash}, {name}. */
export function newRunId(template = DEFAULT_RUN_NAME, name = "run", now = new Date()): string {
  const iso = now.toISOString();
  const hash = createHash("sha256")
    .update(`${iso}:${process.pid}:${randomBytes(8).toString("hex")}`)
    .digest("hex")
    .slice(0, 6);
  const id = template
    .replaceAll("{date}", iso.slice(0, 10))
    .replaceAll("{time}", iso.slice(11, 19).replaceAll(":", ""))
    .replaceAll("{hash}", hash)
    .replaceAll("{name}", name.replace(/[^A-Za-z0-9._-]+/g, "-"));
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
    throw new WlError(
      "run.bad_name",
      `run name template "${template}" gives "${id}", which is not a safe folder name`,
      "use only letters, digits, . _ - and the placeholders {date} {time} {hash} {name}",
    );
  }
  return id;
}

/** The runs root: --runs-dir, then $WL_RUNS_DIR, then the config's output.runs_dir, then ./runs. */
export function runsRoot(
  flag: string | undefined,
  configured: string | undefined,
  env = process.env,
): string {
  return resolve(flag ?? env.WL_RUNS_DIR ?? configured ?? "runs");
}

/** Path of a run's folder under a root. */
export function runDirOf(root: string, runId: string): string {
  return join(root, runId);
}

/** Saves the document as <run_dir>/run.json, atomically and redacted. */
export async function saveRunDoc(
  doc: RunDoc,
  secrets: readonly string[] = secretsFromEnv(),
): Promise<string> {
  const file = join(doc.paths.run_dir, RUN_DOC_FILE);
  await writeFileAtomic(file, `${redact(JSON.stringify(doc, null, 2), secrets)}\n`);
  return file;
}
