// Finding and running the Python trainer (trainer/wl_trainer) on this machine.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

/** The repository's trainer/ folder, which holds the wl_trainer package. */
export const TRAINER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../trainer");

/** The trainer's Python: $WL_TRAINER_PYTHON, else trainer/.venv; undefined when neither exists. */
export function findTrainerPython(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidate = env.WL_TRAINER_PYTHON ?? join(TRAINER_DIR, ".venv", "bin", "python");
  return existsSync(candidate) ? candidate : undefined;
}

/** The environment the trainer runs in: `env` with PYTHONPATH set to trainer/ (only that). */
export function trainerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PYTHONPATH: TRAINER_DIR };
}

/** What a trainer command returned. */
export interface TrainerRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `python -m wl_trainer ARGS` and collects its output; never throws on a non-zero exit. */
export async function runTrainer(
  python: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<TrainerRun> {
  const env = trainerEnv(options.env ?? process.env);
  const result = await execa(python, ["-m", "wl_trainer", ...args], {
    env,
    extendEnv: false,
    reject: false,
    stdin: "ignore",
    timeout: options.timeoutMs ?? 120_000,
  });
  return {
    exitCode: result.exitCode ?? 1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}
