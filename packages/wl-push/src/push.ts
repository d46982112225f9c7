// wl-push's step: put the data, the resolved config (config.json) and the trainer (a deterministic
// tarball, unpacked there) in the run folder on the SSH host; skip what the host already has with
// the same sha256; check every file's sha256 on the host; write the proof (upload.ok) last; and
// record the `push` section. The whole step runs inside withConnection: a dropped connection
// reconnects and runs it again, and what already arrived is skipped.
import { writeFile } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { type Config, dataFilesOf, type Reporter, type RunDoc, WlError } from "@wl/core";
import {
  connectionLost,
  describeTarget,
  type RetryOptions,
  type SshConnection,
  sha256File,
  upload,
  withConnection,
} from "@wl/ssh";
import { writeRemoteConfig } from "./config-file.ts";
import { type PushHost, pushHost } from "./host.ts";
import {
  absoluteRemoteDir,
  prepareRemoteDir,
  remoteSums,
  removeProof,
  unpackTrainer,
} from "./remote.ts";
import { type TarEntry, writeTrainerTarball } from "./tarball.ts";

export const TOOL = "wl-push";
export const PROOF_FILE = "upload.ok";
export const PROOF_SCHEMA = "wl.upload/1";

/** What push needs besides the document. */
export interface PushOptions {
  /** The run folder on the host; default `~/wl-runs/<run_id>`. */
  remoteDir?: string;
  /** The repository's trainer/ folder. */
  trainerDir: string;
  report: Reporter;
  env: NodeJS.ProcessEnv;
  /** Reconnects after a dropped connection; default 5 attempts within 2 minutes. */
  retry?: RetryOptions;
}

/** One file to push: here, its name in the run folder on the host, its size and sha256. */
interface Planned {
  path: string;
  name: string;
  bytes: number;
  sha256: string;
}

/** Everything one push sends: the files, the trainer's contents, and the proof to write last. */
interface Plan {
  files: Planned[];
  trainer: TarEntry[];
  tarball: Planned;
  proof: Planned;
}

type PushSection = NonNullable<RunDoc["push"]>;

/** Pushes the run's files to its host; returns the document with the `push` section. */
export async function push(doc: RunDoc, options: PushOptions): Promise<RunDoc> {
  const config = doc.config?.resolved;
  if (!config) {
    throw new WlError(
      "push.no_config",
      "the run document has no config",
      "start the pipe with --config FILE (or wl-preflight --config FILE)",
    );
  }
  const host = pushHost(doc, config);
  const target = { host: host.host, port: host.port, user: host.user };
  const { report } = options;
  const uploaded = new Map<string, number>();
  const retry: RetryOptions = {
    ...options.retry,
    onRetry: (error, attempt, delayMs) => {
      report.warning(
        `${(error as Error).message}; reconnecting in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1})`,
        { event: "push.retry" },
      );
      options.retry?.onRetry?.(error, attempt, delayMs);
    },
  };
  const local = join(doc.paths.run_dir, "push");
  // What does not depend on the host is read before connecting: a missing file fails fast.
  const data = await dataToPush(doc, config);
  const tarballFile = join(local, "trainer.tar.gz");
  const trainer = await writeTrainerTarball(options.trainerDir, tarballFile);
  const tarball = { path: tarballFile, name: "trainer.tar.gz", ...(await sha256File(tarballFile)) };
  return withConnection(
    target,
    { ...(host.key ? { key: host.key } : {}), env: options.env, retry },
    async (connection) => {
      const remoteDir = await absoluteRemoteDir(
        connection,
        options.remoteDir ?? `~/wl-runs/${doc.run_id}`,
        host.pty,
      );
      const configFile = join(local, "config.json");
      const remoteData = Object.fromEntries(
        data.map((file) => [file.split, `${remoteDir}/${file.name}`]),
      ) as { train: string; val?: string };
      await writeRemoteConfig(config, remoteData, configFile);
      const configEntry = {
        path: configFile,
        name: "config.json",
        ...(await sha256File(configFile)),
      };
      const files = [...data, configEntry, tarball];
      const proof = await writeProof(files, join(local, PROOF_FILE));
      const plan = { files, trainer, tarball, proof };
      const section = await pushPlanned(connection, host, remoteDir, plan, uploaded, report);
      return { ...doc, push: section };
    },
  );
}

/** The data files the run trains on (wl-data's, else the config's), with their size and sha256. */
async function dataToPush(
  doc: RunDoc,
  config: Config,
): Promise<(Planned & { split: "train" | "val" })[]> {
  const data = dataFilesOf(doc, config);
  const files: (Planned & { split: "train" | "val" })[] = [];
  for (const split of ["train", "val"] as const) {
    const path = data[split];
    if (path === undefined) continue;
    const name = `data/${split}${extname(path) || ".jsonl"}`;
    files.push({ path: resolve(path), name, split, ...(await proofOf(path, split)) });
  }
  return files;
}

/** Size and sha256 of a data file; a missing one is a clear error, not a stack trace. */
async function proofOf(path: string, split: string) {
  try {
    return await sha256File(path);
  } catch (error) {
    throw new WlError(
      "push.data_missing",
      `the ${split} data file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      "check data.train / data.val in the config, or run wl-data build first",
      { cause: error },
    );
  }
}

/** Uploads what the host lacks, unpacks the trainer, verifies everything and writes the proof. */
async function pushPlanned(
  connection: SshConnection,
  host: PushHost,
  remoteDir: string,
  plan: Plan,
  uploaded: Map<string, number>,
  report: Reporter,
): Promise<PushSection> {
  const { pty, mode } = host;
  const proofPath = `${remoteDir}/${PROOF_FILE}`;
  await prepareRemoteDir(connection, remoteDir, pty);
  const names = [...plan.files.map((file) => file.name), PROOF_FILE];
  const there = await remoteSums(connection, remoteDir, names, pty);
  const missing = plan.files.filter((file) => there.get(file.name) !== file.sha256);
  if (missing.length > 0) await removeProof(connection, proofPath, pty);
  for (const file of missing) {
    report.info(`uploading ${file.name} (${file.bytes} bytes)`, { event: "push.upload" });
    await untilClosed(
      connection,
      upload(connection, file.path, `${remoteDir}/${file.name}`, { mode, pty }),
      `the upload of ${file.name}`,
    );
    uploaded.set(file.name, file.bytes);
  }
  const tarball = `${remoteDir}/${plan.tarball.name}`;
  const unpack = (force: boolean) =>
    unpackTrainer(connection, remoteDir, tarball, plan.tarball.sha256, { pty, force });
  await unpack(false);
  // A trainer folder changed on the host after it was unpacked: unpack it afresh, once.
  let proofRemoved = missing.length > 0;
  if ((await mismatches(connection, host, remoteDir, plan)).length > 0) {
    await removeProof(connection, proofPath, pty);
    proofRemoved = true;
    await unpack(true);
    const wrong = await mismatches(connection, host, remoteDir, plan);
    if (wrong.length > 0) throw verifyFailed(host, remoteDir, wrong);
  }
  if (proofRemoved || there.get(PROOF_FILE) !== plan.proof.sha256) {
    const proof = upload(connection, plan.proof.path, proofPath, { mode, pty });
    await untilClosed(connection, proof, `the upload of ${PROOF_FILE}`);
  }
  const files = plan.files.map((file) => ({
    path: file.path,
    remote_path: `${remoteDir}/${file.name}`,
    bytes: file.bytes,
    sha256: file.sha256,
    action: uploaded.has(file.name) ? ("uploaded" as const) : ("skipped" as const),
  }));
  const bytesUploaded = [...uploaded.values()].reduce((sum, bytes) => sum + bytes, 0);
  report.success(
    `pushed to ${describeTarget(connection.target)}:${remoteDir} — ${uploaded.size} of ${files.length} files uploaded (${bytesUploaded} bytes), all verified by sha256 on the host`,
    { event: "push.done" },
  );
  return {
    host: { host: host.host, port: host.port, user: host.user, mode },
    remote_dir: remoteDir,
    config: `${remoteDir}/config.json`,
    trainer_dir: `${remoteDir}/trainer`,
    files,
    bytes_uploaded: bytesUploaded,
    verification: { ok: true, proof_path: proofPath, trainer_files: plan.trainer.length },
  };
}

/**
 * `work`, or ssh_connection_lost (retried) as soon as the connection closes: an sftp transfer
 * whose connection drops may never call back, and the push must reconnect rather than wait.
 */
async function untilClosed<T>(
  connection: SshConnection,
  work: Promise<T>,
  during: string,
): Promise<T> {
  let stop = () => {};
  const closed = new Promise<never>((_, reject) => {
    stop = connection.onClose(() => reject(connectionLost(connection.target, during)));
  });
  try {
    return await Promise.race([work, closed]);
  } finally {
    stop();
    work.catch(() => {});
  }
}

/** What the host has wrong: each pushed or unpacked file whose sha256 there differs, and what it has. */
async function mismatches(
  connection: SshConnection,
  host: PushHost,
  remoteDir: string,
  plan: Plan,
): Promise<Mismatch[]> {
  const expected = [
    ...plan.files.map((file) => [file.name, file.sha256] as const),
    ...plan.trainer.map((entry) => [`trainer/${entry.path}`, entry.sha256] as const),
  ];
  const names = expected.map(([name]) => name);
  const sums = await remoteSums(connection, remoteDir, names, host.pty);
  return expected
    .filter(([name, sha256]) => sums.get(name) !== sha256)
    .map(([name, sha256]) => ({ name, expected: sha256, got: sums.get(name) }));
}

interface Mismatch {
  name: string;
  expected: string;
  got: string | undefined;
}

function verifyFailed(host: PushHost, remoteDir: string, wrong: Mismatch[]): WlError {
  const first = wrong[0] as Mismatch;
  const what = first.got ? `has sha256 ${first.got}, expected ${first.expected}` : "is missing";
  return new WlError(
    "push.verify_failed",
    `${wrong.length} file(s) on ${host.host} do not match after the upload: ${remoteDir}/${first.name} ${what}`,
    "run wl-push again (it uploads what differs); if it persists, check the host's disk and that nothing else writes to the run folder",
  );
}

/** Writes upload.ok here: each file's path in the run folder, bytes and sha256 (no time: a re-push with nothing changed has the same proof). */
async function writeProof(files: Planned[], file: string): Promise<Planned> {
  const proof = {
    schema: PROOF_SCHEMA,
    files: files.map(({ name, bytes, sha256 }) => ({ path: name, bytes, sha256 })),
  };
  await writeFile(file, `${JSON.stringify(proof, null, 2)}\n`);
  return { path: file, name: PROOF_FILE, ...(await sha256File(file)) };
}
