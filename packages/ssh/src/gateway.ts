// Gateway mode: files through exec alone (RunPod's ssh.runpod.io has no scp or sftp), streamed as
// base64 over the command's stdin or stdout between marker lines that carry length and sha256.
// A stream that arrives short, empty or mixed with other output is detected and reported
// (ssh_transfer_incomplete, retryable), never trusted. Works with or without a PTY.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { syncDirectory } from "@wl/core";
import type { SshConnection } from "./connection.ts";
import { exec, openChannel, writeStdin } from "./exec.ts";
import { Base64Lines, FrameDecoder, findMarker, type Marker, markersIn } from "./framing.ts";
import { type FileProof, sha256File } from "./hash.ts";
import { RECEIVE_SCRIPT, SEND_SCRIPT, SUM_SCRIPT } from "./remote-scripts.ts";
import { shCommand } from "./shell-quote.ts";
import { remoteMissing, transferIncomplete } from "./transfer-errors.ts";

/** Options for a gateway transfer. */
export interface GatewayOptions {
  /** Run the remote side under a PTY (for gateways that insist); default false. */
  pty?: boolean;
  /** How long to wait for the remote side to start reading; default 30 s. */
  readyTimeoutMs?: number;
  /** Give up on one transfer command after this long (ssh_command_timeout); default: no limit. */
  timeoutMs?: number;
}

/** A fresh marker nonce: 16 hex digits. */
export function newNonce(): string {
  return randomBytes(8).toString("hex");
}

/** Sends local `file` to `remotePath` through exec; resolves with the proof the host confirmed. */
export async function uploadGateway(
  connection: SshConnection,
  file: string,
  remotePath: string,
  options: GatewayOptions = {},
): Promise<FileProof> {
  const proof = await sha256File(file);
  const nonce = newNonce();
  const args = [remotePath, nonce, String(proof.bytes), proof.sha256];
  const { channel, done } = await openChannel(connection, shCommand(RECEIVE_SCRIPT, args), options);
  const stderr = tailOf(channel.stderr);
  const markers = watchMarkers(channel, nonce);
  let sendError: unknown;
  try {
    if (options.pty) await markers.waitFor("READY", done, options.readyTimeoutMs ?? 30_000);
    await send(channel, file, nonce, done);
    if (!options.pty) channel.end();
  } catch (error) {
    sendError = error;
    channel.close();
  }
  const { exitCode } = await done;
  const result = markers.seen.find((m) => m.kind === "DONE" || m.kind === "BAD");
  if (result?.kind === "DONE" && matches(result, proof)) return proof;
  if (result?.kind === "BAD") {
    throw transferIncomplete(
      connection,
      `the host received ${result.fields[0]} of ${proof.bytes} bytes (sha256 ${result.fields[1]})`,
    );
  }
  if (sendError && !markers.seen.length) {
    throw transferIncomplete(
      connection,
      `the receiving command ended early (${ended(exitCode, stderr())})`,
    );
  }
  // No confirmation came back (a gateway that drops stdout): ask the host for the file's proof.
  const remote = await remoteProof(connection, remotePath, options);
  if (remote && remote.bytes === proof.bytes && remote.sha256 === proof.sha256) return proof;
  throw transferIncomplete(
    connection,
    `no confirmation came back for ${remotePath} and the host does not have it whole (${ended(exitCode, stderr())})`,
  );
}

/** Fetches `remotePath` into local `file` through exec; the file appears only when length and sha256 match. */
export async function downloadGateway(
  connection: SshConnection,
  remotePath: string,
  file: string,
  options: GatewayOptions = {},
): Promise<FileProof> {
  const nonce = newNonce();
  const { channel, done } = await openChannel(
    connection,
    shCommand(SEND_SCRIPT, [remotePath, nonce]),
    options,
  );
  const stderr = tailOf(channel.stderr);
  writeStdin(channel, options);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.wl-part-${nonce}`;
  const decoder = new FrameDecoder(nonce);
  const hasher = new Hasher();
  try {
    const [piped, closed] = await Promise.allSettled([
      pipeline(channel, decoder, hasher, createWriteStream(temp)),
      done,
    ]);
    if (closed.status === "rejected") throw closed.reason;
    const why = ended(closed.value.exitCode, stderr());
    if (decoder.missing) throw remoteMissing(connection, remotePath);
    const header = decoder.header;
    if (!header) {
      throw transferIncomplete(
        connection,
        decoder.seen === 0
          ? `the host sent nothing back (empty stdout; ${why})`
          : `no start marker in the host's output (${why})`,
      );
    }
    const got = { bytes: hasher.bytes, sha256: hasher.digest() };
    if (!decoder.ended || piped.status === "rejected") {
      throw transferIncomplete(
        connection,
        `the stream stopped after ${got.bytes} of ${header.bytes} bytes`,
      );
    }
    if (decoder.corrupt || got.bytes !== header.bytes || got.sha256 !== header.sha256) {
      throw transferIncomplete(
        connection,
        `got ${got.bytes} of ${header.bytes} bytes, sha256 ${got.sha256} where the host has ${header.sha256}`,
      );
    }
    await commitLocal(temp, file);
    return got;
  } finally {
    await rm(temp, { force: true });
  }
}

/** The size and sha256 of `remotePath` as the host computes them, or undefined when it cannot say. */
export async function remoteProof(
  connection: SshConnection,
  remotePath: string,
  options: GatewayOptions = {},
): Promise<FileProof | undefined> {
  const nonce = newNonce();
  const result = await exec(connection, shCommand(SUM_SCRIPT, [remotePath, nonce]), {
    pty: options.pty,
  });
  const sum = findMarker(result.stdout, nonce, "SUM");
  if (!sum) return undefined;
  return { bytes: Number(sum.fields[0]), sha256: sum.fields[1] ?? "" };
}

/** Moves a finished temp file into place, fsynced, so `file` is whole or absent. */
export async function commitLocal(temp: string, file: string): Promise<void> {
  const handle = await open(temp, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDirectory(dirname(file));
}

/** Keeps the last KB of a stream (drained, so the channel never stalls on it). */
function tailOf(stream: NodeJS.ReadableStream): () => string {
  let tail = "";
  stream.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-1024);
  });
  return () => tail.trim().split("\n").at(-1)?.trim() ?? "";
}

/** `exit 1: <stderr's last line>`, for messages. */
function ended(exitCode: number | null, stderr: string): string {
  return `exit ${exitCode ?? "none"}${stderr ? `: ${stderr}` : ""}`;
}

function matches(marker: Marker, proof: FileProof): boolean {
  return Number(marker.fields[0]) === proof.bytes && marker.fields[1] === proof.sha256;
}

/** Writes the file as base64 lines, then the end marker, honouring backpressure; stops if the channel closes. */
async function send(
  channel: NodeJS.WritableStream & NodeJS.EventEmitter,
  file: string,
  nonce: string,
  done: Promise<unknown>,
): Promise<void> {
  const closed = done.then(
    () => "closed",
    () => "closed",
  );
  for await (const chunk of createReadStream(file).pipe(new Base64Lines())) {
    if (!channel.write(chunk as string)) {
      const drained = new Promise((resolve) => channel.once("drain", () => resolve("drain")));
      if ((await Promise.race([drained, closed])) === "closed")
        throw new Error("channel closed while sending");
    }
  }
  channel.write(`WL-END-${nonce}\n`);
}

/** Watches stdout for marker lines without keeping the output (an echoing PTY returns all we sent). */
function watchMarkers(channel: NodeJS.ReadableStream, nonce: string) {
  const seen: Marker[] = [];
  const waiters = new Set<() => void>();
  let pending = "";
  channel.on("data", (chunk: Buffer) => {
    pending += chunk.toString("latin1");
    const cut = pending.lastIndexOf("\n");
    if (cut === -1) {
      if (pending.length > 1 << 16) pending = pending.slice(-256);
      return;
    }
    seen.push(...markersIn(pending.slice(0, cut), nonce));
    pending = pending.slice(cut + 1);
    for (const wake of waiters) wake();
  });
  return {
    seen,
    /** Resolves when a `kind` marker arrives; rejects when the channel closes first or time runs out. */
    waitFor(kind: string, done: Promise<unknown>, timeoutMs: number): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`no ${kind} marker in ${timeoutMs} ms`)),
          timeoutMs,
        );
        const check = () => {
          if (seen.some((marker) => marker.kind === kind)) finish();
        };
        const finish = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          error ? reject(error) : resolve();
        };
        waiters.add(check);
        check();
        done.then(
          () => finish(new Error(`the command ended before ${kind}`)),
          (error: Error) => finish(error),
        );
      });
    },
  };
}

/** Passes bytes through, counting them and hashing them with sha256. */
class Hasher extends Transform {
  bytes = 0;
  readonly #hash = createHash("sha256");

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.#hash.update(chunk);
    done(null, chunk);
  }

  digest(): string {
    return this.#hash.digest("hex");
  }
}
