// `wl-train attach RUN`: this terminal joins the trainer's tmux session (Ctrl+B D detaches and
// leaves it running). Inside tmux it switches the client instead of nesting.
import { join } from "node:path";
import { WlError } from "@wl/core";
import { execa } from "execa";
import { trainerState } from "../alive.ts";
import { runRef } from "../resolve-run.ts";
import { sessionName, Tmux } from "../tmux.ts";
import { trainFolder } from "../train-folder.ts";
import type { CommandContext } from "./context.ts";

export async function attachCommand({ io, location, cwd }: CommandContext): Promise<number> {
  const folder = trainFolder(location.runDir);
  const ref = runRef(location.runDir, cwd);
  const state = await trainerState(folder, io.env);
  const session = state.launch?.session ?? sessionName(location.runId);
  const tmux = Tmux.find(io.env);
  if (tmux === undefined || !(await tmux.hasSession(session))) {
    throw new WlError("train.no_session", `no tmux session ${session}: ${why()}`, fix());
  }
  const result = await execa(tmux.binary, tmux.attachArgs(session), {
    env: io.env,
    extendEnv: false,
    stdio: "inherit",
    reject: false,
  });
  return result.exitCode ?? 1;

  function why(): string {
    if (state.exitCode !== undefined) return `the trainer has ended (exit ${state.exitCode})`;
    if (state.running && state.launch?.launcher === "setsid") {
      return `the trainer runs without tmux${state.trainerPid ? ` (pid ${state.trainerPid})` : ""}`;
    }
    if (tmux === undefined) return "tmux is not installed here";
    return state.running ? "the trainer runs outside tmux" : "the trainer is not running";
  }

  function fix(): string {
    if (state.running) return `follow its log instead: wl-train logs ${ref} -f`;
    if (state.exitCode !== undefined || state.status) return `read its log: wl-train logs ${ref}`;
    return `start it with wl-train --run ${join(ref, "run.json")}`;
  }
}
