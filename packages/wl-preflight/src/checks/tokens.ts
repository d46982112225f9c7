// What the model will actually see: the trainer's `inspect` renders every training sample with the
// model's own chat template and reports token lengths, over-long samples and the trained share.
import { dirname } from "node:path";
import { type CheckResult, cachedSnapshot, hubCacheDir, isLocalModel, runTrainer } from "@wl/core";
import { z } from "zod";
import { type CheckContext, fail, ok, skip, warn } from "./check.ts";

/** The part of `python -m wl_trainer inspect --json` this check relies on. */
const inspectSchema = z.looseObject({
  schema: z.literal("wl.inspect/1"),
  samples: z.int(),
  max_seq_length: z.int(),
  tokens: z.looseObject({ p50: z.number(), p95: z.number(), max: z.number() }),
  over_max_length: z.int(),
  trainable_share: z.number(),
});

/** Inspects the training file with the model's tokenizer; skipped when the model is not here. */
export async function checkTokens(
  context: CheckContext,
  python: string,
  configFile: string,
): Promise<CheckResult> {
  const { base } = context.config.model;
  const here =
    isLocalModel(base, dirname(context.configPath)) ||
    cachedSnapshot(base, hubCacheDir(context.env, context.home)) !== undefined;
  if (!here) {
    return skip(
      "tokens",
      `the tokenizer of ${base} is not on this machine: token lengths unchecked`,
    );
  }
  const args = ["inspect", "--config", configFile, context.dataFiles.train, "--json"];
  const run = await runTrainer(python, args, { env: context.env, timeoutMs: 600_000 });
  const line = run.stderr.trim().split("\n").at(-1) ?? "";
  if (run.exitCode !== 0) {
    const [message, fix] = line.replace(/^\[WL-TRAINER\] ❌ ERROR: /, "").split(" → fix: ");
    return fail(
      "tokens",
      message || `inspect failed (exit ${run.exitCode})`,
      fix ?? "see wl_trainer inspect",
    );
  }
  const report = parseInspect(run.stdout);
  if (!report) return fail("tokens", "the trainer's inspect did not report", "run ./scripts/setup");
  const { p50, p95, max } = report.tokens;
  const facts = {
    samples: report.samples,
    p50,
    p95,
    max,
    over: report.over_max_length,
    trained: report.trainable_share,
  };
  const summary = `${report.samples} samples: p50 ${p50}, p95 ${p95}, max ${max} tokens; ${(report.trainable_share * 100).toFixed(1)}% trained`;
  if (report.over_max_length === 0) return ok("tokens", summary, facts);
  const what = context.config.data.overlong === "drop" ? "dropped" : "truncated";
  return warn(
    "tokens",
    `${summary}; ${report.over_max_length} longer than max_seq_length ${report.max_seq_length} will be ${what}`,
    `raise data.max_seq_length (max is ${max}) or accept it`,
    facts,
  );
}

function parseInspect(stdout: string): z.infer<typeof inspectSchema> | undefined {
  try {
    const parsed = inspectSchema.safeParse(JSON.parse(stdout));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
