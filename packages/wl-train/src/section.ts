// The run document's `train` section (packages/core run-doc schema), from what the trainer left in
// its folder: report.json first (the run's end), status.json for what report.json lacks.
import { existsSync } from "node:fs";
import { basename } from "node:path";
import type { RunDoc } from "@wl/core";
import type { TrainFolder } from "./train-folder.ts";
import { listCheckpoints, readReport, readStatus, type TrainStatus } from "./trainer-files.ts";

export type TrainSection = NonNullable<RunDoc["train"]>;

/** What wl-train knows from starting (or finding) the trainer. */
export type StartFacts = Pick<
  TrainSection,
  "backend" | "host_run_dir" | "launcher" | "session" | "pid" | "started_at"
>;

/** What the folder says once the trainer has ended. */
export interface EndState {
  section: TrainSection;
  status?: TrainStatus;
  adapter: boolean;
  checkpoint?: string;
}

/** The section while the trainer runs (detached, or not followed). */
export function startedSection(start: StartFacts, stage = "started"): TrainSection {
  return { ...start, stage };
}

/** The section after the trainer ended with `exitCode` (undefined: ended without one). */
export async function endedSection(
  start: StartFacts,
  folder: TrainFolder,
  exitCode: number | undefined,
): Promise<EndState> {
  const [status, report, checkpoints] = await Promise.all([
    readStatus(folder.status).catch(() => undefined),
    readReport(folder.report).catch(() => undefined),
    listCheckpoints(folder.checkpoints),
  ]);
  const adapterDir = report?.adapter_dir ?? folder.adapter;
  const adapter = existsSync(adapterDir);
  const success = exitCode === 0 && adapter;
  const section: TrainSection = {
    ...start,
    ...defined({
      pid: status?.pid ?? start.pid,
      stage: status?.stage ?? (exitCode === 0 ? "done" : "failed"),
      exit_code: exitCode,
      success,
      steps: report?.steps ?? status?.step,
      total_steps: report?.total_steps ?? status?.total_steps,
      resumes: report?.resumes,
      final_loss: report?.final_loss ?? status?.loss,
      adapter_dir: success ? adapterDir : undefined,
      report: report as Record<string, unknown> | undefined,
    }),
  } as TrainSection;
  const latest = checkpoints.at(-1);
  return {
    section,
    ...(status ? { status } : {}),
    adapter,
    ...(latest ? { checkpoint: basename(latest) } : {}),
  };
}

/** Drops null and undefined values: the section's fields are optional, never null. */
function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined && value !== null),
  );
}
