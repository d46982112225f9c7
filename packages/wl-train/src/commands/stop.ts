// `wl-train stop RUN [--timeout S]`: SIGTERM to the trainer, which finishes its step, writes a
// checkpoint and exits 130; wait for that, then say which checkpoint holds the work.
import { basename, join } from "node:path";
import { ExitCode, WlError } from "@wl/core";
import { trainerState } from "../alive.ts";
import { formatSteps } from "../format.ts";
import { pidAlive, sleep } from "../processes.ts";
import { runRef } from "../resolve-run.ts";
import { Tmux } from "../tmux.ts";
import { readIntFile, trainFolder } from "../train-folder.ts";
import { listCheckpoints, readStatus } from "../trainer-files.ts";
import type { CommandContext } from "./context.ts";

const POLL_MS = 250;
/** How long a launcher that is still starting gets to write trainer.pid. */
const STARTING_MS = 10_000;

export async function stopCommand(
  { io, report, location, cwd }: CommandContext,
  options: { timeoutS: number },
): Promise<number> {
  const folder = trainFolder(location.runDir);
  const ref = runRef(location.runDir, cwd);
  const rerun = `wl-train --run ${join(ref, "run.json")}`;
  const state = await trainerState(folder, io.env);
  if (!state.running) {
    const ended = state.exitCode ?? state.status?.exit_code ?? undefined;
    throw new WlError(
      "train.not_running",
      `the trainer of ${ref} is not running${ended === undefined || ended === null ? "" : ` (it exited ${ended})`}`,
      `start or resume it with ${rerun}`,
    );
  }
  let pid = state.trainerAlive ? state.trainerPid : undefined;
  const startingUntil = Date.now() + STARTING_MS;
  while (pid === undefined && state.launch && pidAlive(state.launch.pid)) {
    if (Date.now() > startingUntil) break;
    await sleep(POLL_MS);
    pid = await readIntFile(folder.trainerPid);
  }
  if (pid === undefined) {
    // A launcher that never started the trainer has nothing to save.
    if (state.launch && pidAlive(state.launch.pid)) process.kill(state.launch.pid, "SIGKILL");
    if (state.launch?.session) await Tmux.find(io.env)?.killSession(state.launch.session);
    report.success("stopped a launcher that had not started the trainer: nothing to save");
    return ExitCode.ok;
  }

  const at = state.status ? ` at step ${formatSteps(state.status)}` : "";
  report.info(`stopping the trainer (pid ${pid}${at}): SIGTERM, it saves a checkpoint first`, {
    event: "train.stopping",
  });
  try {
    process.kill(pid, "SIGTERM");
  } catch (error) {
    // ESRCH: it ended between the check and the signal; what it left says how.
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
  const deadline = Date.now() + options.timeoutS * 1000;
  const launcherPid = state.launcherAlive ? state.launch?.pid : undefined;
  // Done when the launcher recorded the exit code, or every process of the run is gone.
  while ((await readIntFile(folder.exitCode)) === undefined) {
    if (!pidAlive(pid) && (launcherPid === undefined || !pidAlive(launcherPid))) break;
    if (Date.now() > deadline) {
      throw new WlError(
        "train.stop_timeout",
        `the trainer (pid ${pid}) did not exit within ${options.timeoutS} s of SIGTERM`,
        `wait for its checkpoint (wl-train status ${ref}); kill -9 ${pid} forces it, losing the steps since the last checkpoint`,
      );
    }
    await sleep(POLL_MS);
  }

  const status = await readStatus(folder.status).catch(() => undefined);
  const exitCode = (await readIntFile(folder.exitCode)) ?? status?.exit_code ?? undefined;
  const latest = (await listCheckpoints(folder.checkpoints)).at(-1);
  const step = status ? ` at step ${formatSteps(status)}` : "";
  if (exitCode === ExitCode.interrupted) {
    const saved = latest
      ? `checkpoint ${basename(latest)} holds the work`
      : "it stopped before its first checkpoint: nothing to resume from";
    report.success(`stopped${step} (exit 130): ${saved}; resume with ${rerun}`, {
      event: "train.stopped",
      data: { exit_code: exitCode, checkpoint: latest ?? null },
    });
    return ExitCode.ok;
  }
  if (exitCode === ExitCode.ok) {
    report.success(`the trainer finished before it stopped (exit 0)${step}`, {
      event: "train.stopped",
      data: { exit_code: exitCode },
    });
    return ExitCode.ok;
  }
  throw new WlError(
    "train.stop_failed",
    `the trainer ended with exit ${exitCode ?? "unknown"} instead of 130${step}`,
    `read its log: wl-train logs ${ref}`,
  );
}
