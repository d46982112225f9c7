// wl-train's step on this machine: start the trainer detached (or find the one already running
// for this run), then follow it to the end — or return at once with --detach — and record the
// `train` section. Running it again on the same run resumes: the trainer picks up its checkpoints.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import {
  type Config,
  dataFilesOf,
  ExitCode,
  findTrainerPython,
  type LogFormat,
  markFailed,
  type Reporter,
  type RunDoc,
  redact,
  saveRunDoc,
  trainerEnv,
  WlError,
  writeFileAtomic,
} from "@wl/core";
import { type TrainerState, trainerState } from "./alive.ts";
import { followTrainer } from "./follow.ts";
import { formatLoss, formatSteps } from "./format.ts";
import { launchTrainer } from "./launch.ts";
import { LogTail, lastLines } from "./log-tail.ts";
import { trainFailure } from "./outcome.ts";
import { pidAlive } from "./processes.ts";
import { runRef } from "./resolve-run.ts";
import { endedSection, type StartFacts, startedSection } from "./section.ts";
import { withStartLock } from "./start-lock.ts";
import { sessionName, Tmux } from "./tmux.ts";
import { type TrainFolder, trainFolder } from "./train-folder.ts";
import type { TrainStatus } from "./trainer-files.ts";
import { lastError, parseTrainerLine, trainerLineEvent } from "./trainer-lines.ts";

export const TOOL = "wl-train";

/** A launcher still waiting for its environment after this long was orphaned mid-start. */
const STUCK_LAUNCH_MS = 30_000;
/** Colour codes (train.log has none, but a line may come from a terminal capture). */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
/** Lines of train.log shown when wl-train joins a trainer that is already running. */
const CONTEXT_LINES = 5;

/** What wl-train's step needs besides the document. */
export interface TrainOptions {
  /** Run on this machine even when compute.backend is ssh or runpod. */
  local: boolean;
  /** Return right after the start instead of following to the end. */
  detach: boolean;
  /** Passed to the trainer: never starts fresh (earlier checkpoints are moved aside). */
  resume?: "auto" | "never";
  /** Passed to the trainer: start fresh from the latest checkpoint's adapter weights. */
  warmStart: boolean;
  report: Reporter;
  env: NodeJS.ProcessEnv;
  /** Where the trainer's log lines go while following (stderr). */
  stderr: NodeJS.WritableStream;
  format: LogFormat;
  secrets: readonly string[];
  /** SIGINT / SIGTERM while following stop the following, not the trainer. */
  signals?: NodeJS.EventEmitter;
  cwd: string;
}

/** Runs (or rejoins) the trainer for `doc` on this machine; returns the document with `train`. */
export async function train(doc: RunDoc, options: TrainOptions): Promise<RunDoc> {
  const config = localConfig(doc, options.local);
  const python = findTrainerPython(options.env);
  if (python === undefined) {
    throw new WlError(
      "trainer.missing",
      "the trainer's Python env is not set up here (no trainer/.venv, no $WL_TRAINER_PYTHON)",
      "run ./scripts/setup at the repository root (or set $WL_TRAINER_PYTHON)",
    );
  }
  const folder = trainFolder(doc.paths.run_dir);
  const ref = runRef(doc.paths.run_dir, options.cwd);
  const names = { ref, rerun: `wl-train --run ${join(ref, "run.json")}` };
  const { begun, stage } = await withStartLock(folder, async () => {
    const state = await unstick(await trainerState(folder, options.env), folder, options);
    if (state.running) {
      const joined = await joinRunning(state, folder, options, names.ref);
      return { begun: joined, stage: state.status?.stage ?? "started" };
    }
    return {
      begun: await start(doc, config, python, folder, options, names.ref),
      stage: "started",
    };
  });
  const running: RunDoc = { ...doc, train: startedSection(begun.start, stage) };
  if (options.detach) {
    options.report.info(
      `detached: wl-train status ${ref} shows progress, wl-train logs ${ref} -f follows the log, wl-train stop ${ref} stops it`,
      { event: "train.detached" },
    );
    return running;
  }
  // A pipe that breaks while following still finds the trainer from run.json.
  await saveRunDoc(running, options.secrets).catch(() => undefined);
  return follow(running, begun, folder, options, names);
}

/** The resolved config, for a run this machine may train. */
function localConfig(doc: RunDoc, local: boolean): Config {
  const config = doc.config?.resolved;
  if (config === undefined) {
    throw new WlError(
      "train.no_config",
      "the run document has no config to train with",
      "start the run from a config: wl-train --config FILE (or wl-preflight --config FILE | wl-train)",
    );
  }
  const { backend } = config.compute;
  if (backend !== "local" && !local) {
    throw new WlError(
      "train.remote_unsupported",
      `compute.backend is ${backend}: remote training arrives with wl-push and SSH in a later release`,
      "train on this machine with wl-train --local, or set compute.backend: local",
    );
  }
  return config;
}

/** A launcher orphaned while starting (wl-train died before handing over the environment). */
async function unstick(
  state: TrainerState,
  folder: TrainFolder,
  options: TrainOptions,
): Promise<TrainerState> {
  const launch = state.launch;
  if (!state.waitingForEnv || launch === undefined) return state;
  if (Date.now() - Date.parse(launch.started_at) < STUCK_LAUNCH_MS) return state;
  options.report.warning(
    "an earlier start never got going (its launcher still waits for its environment): starting again",
  );
  if (pidAlive(launch.pid)) process.kill(launch.pid, "SIGKILL");
  if (launch.session) await Tmux.find(options.env)?.killSession(launch.session);
  await rm(folder.envFifo, { force: true });
  return trainerState(folder, options.env);
}

/** What following needs to know about the trainer that runs. */
interface Begun {
  start: StartFacts;
  launcherPid?: number;
  trainerPid?: number;
  tail: LogTail;
  where: string;
}

/** Joins the trainer already running for this run instead of starting a second one. */
async function joinRunning(
  state: TrainerState,
  folder: TrainFolder,
  options: TrainOptions,
  ref: string,
): Promise<Begun> {
  if (options.resume === "never" || options.warmStart) {
    throw new WlError(
      "train.running",
      `the trainer of this run is running${state.trainerPid ? ` (pid ${state.trainerPid})` : ""}: --resume never and --warm-start need it stopped`,
      `stop it first with wl-train stop ${ref} (a checkpoint is saved), then run this again`,
    );
  }
  const launch = state.launch;
  const start: StartFacts = {
    backend: "local",
    host_run_dir: folder.dir,
    ...(launch ? { launcher: launch.launcher } : {}),
    ...(launch?.session ? { session: launch.session } : {}),
    ...(state.trainerPid ? { pid: state.trainerPid } : {}),
    started_at: new Date().toISOString(),
  };
  const where = whereText(start, folder, ref);
  const progress = state.status ? `, step ${formatSteps(state.status)}` : "";
  options.report.info(
    `the trainer of this run is already running (${where}${progress}): following it, not starting another`,
    { event: "train.joined", data: { ...start } },
  );
  const context = options.format === "text" ? await lastLines(folder.log, CONTEXT_LINES) : [];
  for (const line of context) writeLine(options, line);
  return {
    start,
    ...(launch && state.launcherAlive ? { launcherPid: launch.pid } : {}),
    ...(state.trainerPid ? { trainerPid: state.trainerPid } : {}),
    tail: await LogTail.atEnd(folder.log),
    where,
  };
}

/** Writes the trainer's config and starts it detached, in tmux when there is tmux. */
async function start(
  doc: RunDoc,
  config: Config,
  python: string,
  folder: TrainFolder,
  options: TrainOptions,
  ref: string,
): Promise<Begun> {
  const { report, env } = options;
  // 0600: the resolved config may hold a webhook URL with a token in it.
  await writeFileAtomic(
    folder.config,
    `${JSON.stringify(trainerConfig(doc, config), null, 2)}\n`,
    0o600,
  );
  const command = [
    python,
    "-m",
    "wl_trainer",
    "train",
    "--config",
    folder.config,
    "--out",
    folder.dir,
  ];
  if (doc.pod?.cost_per_hr !== undefined)
    command.push("--cost-per-hour", String(doc.pod.cost_per_hr));
  if (options.resume !== undefined) command.push("--resume", options.resume);
  if (options.warmStart) command.push("--warm-start");

  const tmux = Tmux.find(env);
  const session = sessionName(doc.run_id);
  if (tmux === undefined) {
    report.warning(
      `tmux not found: the trainer runs detached without it (setsid), its terminal output in ${folder.console}`,
      { fix: "install tmux (apt-get install tmux, brew install tmux) to attach to the trainer" },
    );
  } else if (await tmux.hasSession(session)) {
    // Left over from an earlier start whose launcher has ended (e.g. remain-on-exit is on).
    await tmux.killSession(session);
  }
  const tail = await LogTail.atEnd(folder.log);
  const launched = await launchTrainer({
    folder,
    command,
    trainerEnv: { ...trainerEnv(env), PYTHONUNBUFFERED: "1" },
    toolEnv: env,
    ...(tmux ? { tmux: { tmux, session } } : {}),
  });
  const start: StartFacts = {
    backend: "local",
    host_run_dir: folder.dir,
    launcher: launched.info.launcher,
    ...(launched.info.session ? { session: launched.info.session } : {}),
    ...(launched.trainerPid ? { pid: launched.trainerPid } : {}),
    started_at: launched.info.started_at,
  };
  const where = whereText(start, folder, ref);
  report.success(`trainer started (${where})`, { event: "train.started", data: { ...start } });
  return {
    start,
    launcherPid: launched.info.pid,
    ...(launched.trainerPid ? { trainerPid: launched.trainerPid } : {}),
    tail,
    where,
  };
}

/** The config the trainer reads: the resolved one, training on the files wl-data chose. */
export function trainerConfig(doc: Pick<RunDoc, "data">, config: Config): Config {
  const files = dataFilesOf(doc, config);
  const { val: _val, ...data } = config.data;
  return { ...config, data: { ...data, ...files } };
}

/** Where the trainer runs and how to reach it, for status lines. */
function whereText(start: StartFacts, folder: TrainFolder, ref: string): string {
  const pid = start.pid ? `pid ${start.pid}, ` : "";
  if (start.session) {
    return `${pid}tmux session ${start.session}: attach with tmux attach -t ${start.session} or wl-train attach ${ref}`;
  }
  return `${pid}detached, output in ${folder.console}: follow with wl-train logs ${ref} -f`;
}

/** Follows the trainer to its end and records how it ended. */
async function follow(
  running: RunDoc,
  begun: Begun,
  folder: TrainFolder,
  options: TrainOptions,
  names: { ref: string; rerun: string },
): Promise<RunDoc> {
  const { report } = options;
  const controller = new AbortController();
  const onSignal = (signal: string) => {
    if (controller.signal.aborted) return;
    controller.abort();
    report.warning(`stopped following (${signal}): the trainer keeps running (${begun.where})`, {
      event: "train.unfollowed",
      fix: `wl-train stop ${names.ref} stops it with a checkpoint; ${names.rerun} follows it again`,
    });
  };
  const signals = ["SIGINT", "SIGTERM"] as const;
  for (const signal of signals) options.signals?.on(signal, onSignal);
  let lastStep: number | undefined;
  try {
    const end = await followTrainer({
      folder,
      tail: begun.tail,
      ...(begun.launcherPid ? { launcherPid: begun.launcherPid } : {}),
      ...(begun.trainerPid ? { trainerPid: begun.trainerPid } : {}),
      onLine: (line) => writeLine(options, line),
      onStatus: (status) => {
        if (options.format !== "json" || status.step === lastStep) return;
        lastStep = status.step ?? undefined;
        progressEvent(report, status);
      },
      signal: controller.signal,
    });
    if (!end.ended) return running;
    return await ended(running, begun, folder, end.exitCode, options, names.rerun);
  } finally {
    for (const signal of signals) options.signals?.off(signal, onSignal);
  }
}

/** The document once the trainer has ended: success with the adapter, or failed with a fix. */
async function ended(
  running: RunDoc,
  begun: Begun,
  folder: TrainFolder,
  exitCode: number | undefined,
  options: TrainOptions,
  rerun: string,
): Promise<RunDoc> {
  const { report } = options;
  const end = await endedSection(begun.start, folder, exitCode);
  const log = existsSync(folder.log) ? folder.log : folder.console;
  const failure = trainFailure({
    exitCode,
    ...(end.status ? { status: end.status } : {}),
    ...optional("lastError", lastError(await lastLines(log, 50))),
    adapter: end.adapter,
    ...optional("checkpoint", end.checkpoint),
    log,
    rerun,
  });
  const doc: RunDoc = { ...running, train: end.section };
  if (failure) {
    report.error(failure.message, {
      fix: failure.fix,
      event: "train.done",
      data: { code: failure.code, exit_code: exitCode ?? null },
    });
    return markFailed(doc, TOOL, failure);
  }
  const { section } = end;
  const adapter = section.adapter_dir as string;
  report.success(
    `trained: ${section.steps ?? "?"} steps, final loss ${formatLoss(section.final_loss)}; adapter in ${adapter}`,
    { event: "train.done", data: { exit_code: ExitCode.ok, adapter_dir: adapter } },
  );
  return { ...doc, paths: { ...doc.paths, adapter_dir: adapter } };
}

/** One of the trainer's log lines on stderr: as printed, or as a wl.event/1 with --log-format json. */
function writeLine(options: TrainOptions, line: string): void {
  const clean = line.replace(ANSI_COLOUR, "");
  if (options.format === "json") {
    const parsed = parseTrainerLine(clean);
    if (parsed === undefined) return;
    const event = trainerLineEvent(parsed, options.report.runId);
    options.stderr.write(`${redact(JSON.stringify(event), options.secrets)}\n`);
    return;
  }
  options.stderr.write(`${redact(clean, options.secrets)}\n`);
}

function progressEvent(report: Reporter, status: TrainStatus): void {
  report.info(`${status.stage}: step ${formatSteps(status)}, loss ${formatLoss(status.loss)}`, {
    event: "train.progress",
    data: {
      stage: status.stage,
      step: status.step ?? null,
      total_steps: status.total_steps ?? null,
      loss: status.loss ?? null,
      eta_s: status.eta_s ?? null,
      cost_usd: status.cost_usd ?? null,
    },
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
