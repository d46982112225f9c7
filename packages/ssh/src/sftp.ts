// Direct mode: sftp for the bytes, exec for the proof. Uploads land under a temp name and are
// renamed on the host only when length and sha256 match; downloads likewise on this machine.
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { WlError } from "@wl/core";
import type { SFTPWrapper } from "ssh2";
import type { SshConnection } from "./connection.ts";
import { connectionLost } from "./errors.ts";
import { exec } from "./exec.ts";
import { findMarker } from "./framing.ts";
import { commitLocal, remoteProof } from "./gateway.ts";
import { type FileProof, sha256File } from "./hash.ts";
import { FINISH_SCRIPT } from "./remote-scripts.ts";
import { shCommand } from "./shell-quote.ts";
import { remoteMissing, transferIncomplete } from "./transfer-errors.ts";

/** Uploads `file` to `remotePath` over sftp; resolves with the proof the host confirmed. */
export async function uploadSftp(
  connection: SshConnection,
  file: string,
  remotePath: string,
): Promise<FileProof> {
  const proof = await sha256File(file);
  const nonce = randomBytes(8).toString("hex");
  const temp = `${remotePath}.wl-part-${nonce}`;
  const mkdirResult = await exec(connection, shCommand('mkdir -p "$(dirname "$1")"', [remotePath]));
  if (mkdirResult.exitCode !== 0) {
    throw new WlError(
      "ssh_remote_mkdir_failed",
      `cannot make the folder for ${remotePath} on ${connection.target.host}: ${mkdirResult.stderr.trim()}`,
      "check the remote path and that the user may write there",
    );
  }
  await withSftp(connection, (sftp) =>
    transferred(connection, (cb) => sftp.fastPut(file, temp, cb)),
  );
  const args = [remotePath, nonce, String(proof.bytes), proof.sha256, temp];
  const result = await exec(connection, shCommand(FINISH_SCRIPT, args));
  const marker = findMarker(result.stdout, nonce, "DONE");
  if (marker && Number(marker.fields[0]) === proof.bytes && marker.fields[1] === proof.sha256)
    return proof;
  const bad = findMarker(result.stdout, nonce, "BAD");
  throw transferIncomplete(
    connection,
    bad
      ? `the host has ${bad.fields[0]} of ${proof.bytes} bytes (sha256 ${bad.fields[1]})`
      : `no confirmation for ${remotePath}`,
  );
}

/** Downloads `remotePath` to `file` over sftp; `file` appears only when length and sha256 match the host's. */
export async function downloadSftp(
  connection: SshConnection,
  remotePath: string,
  file: string,
): Promise<FileProof> {
  const expected = await remoteProof(connection, remotePath);
  if (!expected) throw remoteMissing(connection, remotePath);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.wl-part-${randomBytes(8).toString("hex")}`;
  try {
    await withSftp(connection, (sftp) =>
      transferred(connection, (cb) => sftp.fastGet(remotePath, temp, cb)),
    );
    const got = await sha256File(temp);
    if (got.bytes !== expected.bytes || got.sha256 !== expected.sha256) {
      throw transferIncomplete(
        connection,
        `got ${got.bytes} of ${expected.bytes} bytes, sha256 ${got.sha256} where the host has ${expected.sha256}`,
      );
    }
    await commitLocal(temp, file);
    return got;
  } finally {
    await rm(temp, { force: true });
  }
}

/** Opens an sftp session (one channel), runs `fn`, and always closes it. */
async function withSftp<T>(
  connection: SshConnection,
  fn: (sftp: SFTPWrapper) => Promise<T>,
): Promise<T> {
  const release = await connection.acquireChannel();
  try {
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
      connection.client.sftp((error, opened) => (error ? reject(error) : resolve(opened))),
    ).catch((error: Error) => {
      if (connection.closed || error.message === "Not connected")
        throw connectionLost(connection.target, "sftp");
      throw new WlError(
        "ssh_sftp_unavailable",
        `${connection.target.host} offers no sftp: ${error.message}`,
        "use gateway mode for this host (mode: gateway), which needs only exec",
        { cause: error },
      );
    });
    try {
      return await fn(sftp);
    } finally {
      sftp.end();
    }
  } finally {
    release();
  }
}

/** Runs one sftp transfer; a failure on a closed connection is a lost connection (retryable). */
function transferred(
  connection: SshConnection,
  start: (cb: (error?: Error | null) => void) => void,
): Promise<void> {
  return new Promise((resolve, reject) =>
    start((error) => {
      if (!error) return resolve();
      if (connection.closed) return reject(connectionLost(connection.target, "an sftp transfer"));
      reject(transferIncomplete(connection, error.message));
    }),
  );
}
