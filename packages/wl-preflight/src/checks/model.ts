// The base model is loadable: a complete local folder, or a hub id that is cached or downloadable.
import { basename, dirname } from "node:path";
import {
  type CheckResult,
  cachedSnapshot,
  classifyModelDir,
  hubCacheDir,
  hubOffline,
  isLocalModel,
} from "@wl/core";
import { type CheckContext, fail, ok, warn } from "./check.ts";

/** Checks model.base. */
export async function checkModel({
  config,
  configPath,
  env,
  home,
}: CheckContext): Promise<CheckResult> {
  const { base } = config.model;
  if (isLocalModel(base, dirname(configPath))) return checkModelDir(base);
  if (config.compute.backend !== "local") {
    return ok("model", `hub model ${base} is loaded on the training host`, { hub_id: base });
  }
  const cacheDir = hubCacheDir(env, home);
  const snapshot = cachedSnapshot(base, cacheDir);
  if (snapshot) return checkModelDir(snapshot, base);
  if (hubOffline(env)) {
    return fail(
      "model",
      `hub model ${base} is not in the HF cache (${cacheDir}) and HF_HUB_OFFLINE is set`,
      "download it once with network (huggingface-cli download …) or set model.base to a local folder",
    );
  }
  return warn(
    "model",
    `hub model ${base} is not in the HF cache: it will be downloaded on first use`,
    "download it ahead (huggingface-cli download …) to avoid paying for GPU time while it downloads",
    { hub_id: base, cache_dir: cacheDir },
  );
}

function checkModelDir(dir: string, hubId?: string): CheckResult {
  const found = classifyModelDir(dir);
  const label = hubId ?? dir;
  if (found.kind === "model") {
    return ok(
      "model",
      `model ${label}: ${found.weights.length} weight file(s), tokenizer ${found.tokenizer.join(" + ")}`,
      {
        path: dir,
        kind: "model",
      },
    );
  }
  if (found.kind === "adapter") {
    return ok("model", `PEFT adapter ${basename(dir)} on base ${found.base ?? "(unknown)"}`, {
      path: dir,
      kind: "adapter",
      base: found.base,
    });
  }
  return fail(
    "model",
    `model ${label} ${found.reason}`,
    "point model.base at a folder saved with save_pretrained (config.json, tokenizer, weights) or a PEFT adapter, or at a hub id",
    { path: dir, missing: found.missing },
  );
}
