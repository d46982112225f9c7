// `wl-train logs RUN [-f]`: the trainer's log on stdout — train.log, or its terminal output
// (console.log) when it never got as far as writing train.log; -f keeps going until it ends.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { WlError } from "@wl/core";
import { trainerState } from "../alive.ts";
import { followTrainer } from "../follow.ts";
import { LogTail } from "../log-tail.ts";
import { runRef } from "../resolve-run.ts";
import { trainFolder } from "../train-folder.ts";
import type { CommandContext } from "./context.ts";

export async function logsCommand(
  { io, report, location, cwd }: CommandContext,
  options: { follow: boolean },
): Promise<number> {
  const folder = trainFolder(location.runDir);
  const ref = runRef(location.runDir, cwd);
  const state = await trainerState(folder, io.env);
  const file = existsSync(folder.log) || state.running ? folder.log : folder.console;
  if (!existsSync(file) && !state.running) {
    throw new WlError(
      "train.no_log",
      `no training log in ${ref}: no ${folder.log}`,
      `start the training with wl-train --run ${join(ref, "run.json")}`,
    );
  }
  const tail = new LogTail(file);
  const print = (line: string) => io.stdout.write(`${line}\n`);
  if (!options.follow || !state.running) {
    for (const line of await tail.read(true)) print(line);
    if (options.follow) report.info(`the trainer is not running${ended(state.exitCode)}`);
    return 0;
  }
  const end = await followTrainer({
    folder,
    tail,
    ...(state.launcherAlive && state.launch ? { launcherPid: state.launch.pid } : {}),
    ...(state.trainerPid !== undefined ? { trainerPid: state.trainerPid } : {}),
    onLine: print,
  });
  if (end.ended) report.info(`the trainer has ended${ended(end.exitCode)}`);
  return 0;
}

function ended(exitCode: number | undefined): string {
  return exitCode === undefined ? "" : ` (exit ${exitCode})`;
}
