// The Hugging Face hub cache, found the way huggingface_hub finds it, so wl sees what the trainer
// will load without a download.
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The hub cache folder: $HF_HUB_CACHE, $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub, ~/.cache/… */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return join(env.HF_HOME, "hub");
  const cache = env.XDG_CACHE_HOME ?? join(home, ".cache");
  return join(cache, "huggingface", "hub");
}

/** The cached snapshot folder of a hub model, or undefined when it is not cached. */
export function cachedSnapshot(repoId: string, cacheDir: string): string | undefined {
  const snapshots = join(cacheDir, `models--${repoId.replaceAll("/", "--")}`, "snapshots");
  if (!existsSync(snapshots)) return undefined;
  const complete = readdirSync(snapshots).find((name) =>
    existsSync(join(snapshots, name, "config.json")),
  );
  return complete === undefined ? undefined : join(snapshots, complete);
}

/** True when the environment forbids hub downloads. */
export function hubOffline(env: NodeJS.ProcessEnv = process.env): boolean {
  return ["1", "true", "yes", "on"].includes(
    (env.HF_HUB_OFFLINE ?? env.TRANSFORMERS_OFFLINE ?? "").toLowerCase(),
  );
}
