// Rules between settings that JSON Schema cannot state (the schema checks each field alone).
import type { CheckResult, Config } from "@wl/core";
import { type CheckContext, fail, ok } from "./check.ts";

type Rule = { broken: (config: Config) => boolean; message: string; fix: string };

const RULES: readonly Rule[] = [
  {
    broken: (config) => config.compute.backend === "ssh" && !config.compute.ssh,
    message: "compute.backend is ssh but compute.ssh is missing",
    fix: "add compute.ssh: {host, port, user, key}",
  },
  {
    broken: (config) => config.training.eval_every !== undefined && !config.data.val,
    message: "training.eval_every is set but data.val is not",
    fix: "add data.val or remove training.eval_every",
  },
  {
    broken: (config) =>
      config.training.early_stopping_patience !== undefined &&
      config.training.eval_every === undefined,
    message: "training.early_stopping_patience needs evaluations",
    fix: "set training.eval_every (and data.val) or remove early_stopping_patience",
  },
  {
    broken: (config) =>
      config.compute.runpod?.spot === true && config.compute.runpod.bid_per_gpu === undefined,
    message: "compute.runpod.spot needs a bid",
    fix: "set compute.runpod.bid_per_gpu (USD per GPU-hour) or turn spot off",
  },
];

/** Checks the cross-field rules; the first broken one is reported. */
export async function checkSettings({ config }: CheckContext): Promise<CheckResult> {
  const broken = RULES.filter((rule) => rule.broken(config));
  const [first] = broken;
  if (first) {
    const more = broken.length > 1 ? ` (and ${broken.length - 1} more)` : "";
    return fail("settings", `${first.message}${more}`, first.fix, {
      broken: broken.map((rule) => rule.message),
    });
  }
  return ok("settings", `settings consistent (${describeCompute(config)})`, {
    backend: config.compute.backend,
  });
}

function describeCompute({ compute, training }: Config): string {
  if (compute.backend === "local") return `local, device ${training.device}`;
  if (compute.backend === "ssh")
    return `SSH ${compute.ssh?.user}@${compute.ssh?.host}:${compute.ssh?.port}`;
  return `RunPod ${compute.runpod?.gpu_types.join(" → ") ?? "default GPU types"}`;
}
