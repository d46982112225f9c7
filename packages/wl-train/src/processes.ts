// Is a process alive, and is it the one we mean? kill(pid, 0) answers the first; its command
// line (/proc on Linux, ps elsewhere) guards against a pid reused by an unrelated process.
import { existsSync, readFileSync } from "node:fs";
import { execa } from "execa";

/** True while a process with this pid exists (EPERM: it exists but is not ours to signal). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A process's command line, or undefined when it has gone (or is a zombie). */
export async function commandLine(
  pid: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  if (existsSync("/proc/self/cmdline")) {
    try {
      const raw = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      return raw === "" ? undefined : raw.split("\0").join(" ").trim();
    } catch {
      return undefined;
    }
  }
  const result = await execa("ps", ["-p", String(pid), "-o", "args="], {
    env,
    extendEnv: false,
    reject: false,
  });
  const args = String(result.stdout).trim();
  return result.exitCode === 0 && args !== "" ? args : undefined;
}

/** True when `pid` is alive and its command line contains `needle`. */
export async function processMatches(
  pid: number,
  needle: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  if (!pidAlive(pid)) return false;
  return (await commandLine(pid, env))?.includes(needle) ?? false;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
