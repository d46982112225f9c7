// The trainer's own view, when its Python env is here: versions, the accelerator and a memory
// estimate for this config against the device (or the GPU types a remote run will get); on a Mac
// that trains here, also its chip, Python, MPS, unified memory and a time estimate against an H100.
import { join } from "node:path";
import {
  type CheckResult,
  checkResultSchema,
  findTrainerPython,
  runTrainer,
  writeFileAtomic,
} from "@wl/core";
import { z } from "zod";
import { type CheckContext, fail, ok, skip, warn } from "./check.ts";
import { gpuMemoryGb } from "./gpu-memory.ts";
import { checkTokens } from "./tokens.ts";

/** The part of `python -m wl_trainer check` output wl-preflight relies on. */
export const trainerReportSchema = z.looseObject({
  schema: z.literal("wl.check/1"),
  accelerator: z.looseObject({ kind: z.string(), name: z.string(), memory_gb: z.number() }),
  estimate: z.looseObject({ total_gb: z.number() }).nullable(),
  checks: z.array(checkResultSchema),
});
export type TrainerReport = z.infer<typeof trainerReportSchema>;

/** What the trainer contributed: its checks plus its report for the run document. */
export interface TrainerFindings {
  checks: CheckResult[];
  report?: TrainerReport;
}

/** The trainer's checks that judge this machine, shown for a local run in the trainer's order. */
const LOCAL_CHECKS = new Set([
  "apple_silicon",
  "python",
  "mps",
  "unified_memory",
  "accelerator",
  "memory",
  "speed",
  "monitoring",
]);

/** Runs the trainer's check on the resolved config; skipped (not failed) when no env is set up. */
export async function checkWithTrainer(context: CheckContext): Promise<TrainerFindings> {
  const python = findTrainerPython(context.env);
  if (!python) {
    return {
      checks: [
        skip(
          "trainer",
          "trainer env not set up here: no device or memory check",
          "run ./scripts/setup (or set $WL_TRAINER_PYTHON)",
        ),
      ],
    };
  }
  const configFile = join(context.runDir, "config.resolved.json");
  try {
    await writeFileAtomic(configFile, `${JSON.stringify(context.config, null, 2)}\n`);
  } catch (error) {
    // The output_dir check already fails for this folder; the trainer just cannot run here.
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return {
      checks: [
        skip(
          "trainer",
          `the run folder cannot be written (${code}): no device or memory check`,
          "pass --runs-dir to a writable folder, or set output.runs_dir / $WL_RUNS_DIR",
        ),
      ],
    };
  }
  const run = await runTrainer(python, ["check", "--config", configFile, "--out", context.runDir], {
    env: context.env,
  });
  const report = parseReport(run.stdout);
  if (!report) {
    const reason = run.stderr.trim().split("\n").at(-1) ?? `exit ${run.exitCode}`;
    return {
      checks: [
        fail(
          "trainer",
          `the trainer's check did not report: ${reason}`,
          "run ./scripts/setup to repair the trainer env",
        ),
      ],
    };
  }
  const tokens = await checkTokens(context, python, configFile);
  const device =
    context.config.compute.backend === "local"
      ? report.checks.filter((check) => LOCAL_CHECKS.has(check.name))
      : [remoteMemory(context, report)];
  return { checks: [...device, tokens], report };
}

function parseReport(stdout: string): TrainerReport | undefined {
  try {
    const parsed = trainerReportSchema.safeParse(JSON.parse(stdout));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A remote run: compare the estimate with the memory of the GPU types it may get. */
function remoteMemory({ config }: CheckContext, report: TrainerReport): CheckResult {
  const need = report.estimate?.total_gb;
  if (need === undefined) {
    return skip(
      "memory",
      "no memory estimate: the model's shape is unknown here (checked on the host)",
    );
  }
  const needed = `needs ≈${need.toFixed(1)} GB`;
  if (config.compute.backend !== "runpod") {
    return ok("memory", `${needed}; the host's GPU is checked on the host before training`, {
      estimate_gb: need,
    });
  }
  const types = config.compute.runpod?.gpu_types ?? [];
  const known = types.map((type) => ({ type, memory: gpuMemoryGb(type) }));
  const tooSmall = known.filter(({ memory }) => memory !== undefined && memory < need);
  const facts = { estimate_gb: need, gpu_types: known };
  if (tooSmall.length === 0) return ok("memory", `${needed}; fits every GPU type listed`, facts);
  const fix =
    "remove the smaller GPU types, or turn on training.gradient_checkpointing / model.quantization 4bit";
  if (tooSmall.length === known.length)
    return fail("memory", `${needed}; none of the GPU types has that much`, fix, facts);
  return warn(
    "memory",
    `${needed}; too much for ${tooSmall.map(({ type }) => type).join(", ")}`,
    fix,
    facts,
  );
}
