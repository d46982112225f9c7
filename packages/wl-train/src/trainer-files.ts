// What the trainer writes for its readers: status.json (wl.train-status/1) and report.json
// (wl.train-report/1), parsed with zod at this boundary. Fields the trainer may add are kept.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { WlError } from "@wl/core";
import { z } from "zod";
import { readIfExists } from "./train-folder.ts";

export const STATUS_SCHEMA = "wl.train-status/1";
export const REPORT_SCHEMA = "wl.train-report/1";

const maybeNumber = z.number().nullish();
const maybeCount = z.int().min(0).nullish();

/** status.json: the trainer's live state (docs/training.md). */
export const trainStatusSchema = z.looseObject({
  schema: z.literal(STATUS_SCHEMA),
  stage: z.string().min(1),
  step: maybeCount,
  total_steps: maybeCount,
  epoch: maybeNumber,
  loss: maybeNumber,
  eval_loss: maybeNumber,
  lr: maybeNumber,
  tokens_per_s: maybeNumber,
  eta_s: maybeNumber,
  elapsed_s: maybeNumber,
  cost_usd: maybeNumber,
  cost_per_hour: maybeNumber,
  memory_gb: maybeNumber,
  pid: z.int().min(1).nullish(),
  host: z.string().nullish(),
  heartbeat: z.string().nullish(),
  started_at: z.string().nullish(),
  exit_code: z.int().nullish(),
  message: z.string().nullish(),
});
export type TrainStatus = z.infer<typeof trainStatusSchema>;

/** report.json: how the run ended (also the trainer's stdout object). */
export const trainReportSchema = z.looseObject({
  schema: z.literal(REPORT_SCHEMA),
  status: z.string(),
  exit_code: z.int(),
  steps: maybeCount,
  total_steps: maybeCount,
  final_loss: maybeNumber,
  resumes: maybeCount,
  cost_usd: maybeNumber,
  adapter_dir: z.string().nullish(),
});
export type TrainReport = z.infer<typeof trainReportSchema>;

/** Reads status.json; undefined before the trainer wrote it. */
export function readStatus(file: string): Promise<TrainStatus | undefined> {
  return readTrainerJson(file, trainStatusSchema, "status.json");
}

/** Reads report.json; undefined until the run has ended. */
export function readReport(file: string): Promise<TrainReport | undefined> {
  return readTrainerJson(file, trainReportSchema, "report.json");
}

async function readTrainerJson<T>(
  file: string,
  schema: z.ZodType<T>,
  name: string,
): Promise<T | undefined> {
  const text = await readIfExists(file);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw damaged(file, name, "it is not JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw damaged(file, name, `${issue?.path.join(".") || "(top level)"}: ${issue?.message}`);
  }
  return parsed.data;
}

function damaged(file: string, name: string, why: string): WlError {
  return new WlError(
    "train.unreadable",
    `the trainer's ${name} is not what this wl-train reads (${why}): ${file}`,
    "use the same wl version for wl-train and the trainer (./scripts/setup)",
  );
}

/** The complete checkpoints (step-000020, …) in `dir`, oldest first; partial ones are hidden. */
export async function listCheckpoints(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^step-\d+$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}
