// ssh2's errors, sorted into WlErrors that say what to do next, and which of them a retry can fix.
import { WlError } from "@wl/core";
import { describeTarget, type SshTarget } from "./target.ts";

/** Error codes of failures a new connection may fix (network, timeout, dropped connection). */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  "ssh_connection_refused",
  "ssh_timeout",
  "ssh_connection_failed",
  "ssh_connection_lost",
  "ssh_transfer_incomplete",
]);

/** True when `error` is a connection-level failure that a retry may fix (never a command's). */
export function isRetryable(error: unknown): boolean {
  return error instanceof WlError && RETRYABLE_CODES.has(error.code);
}

interface Ssh2Error extends Error {
  level?: string;
  code?: string;
}

/** Maps an error ssh2 emitted while connecting to a WlError naming the fix. */
export function connectError(error: unknown, target: SshTarget, auth: string): WlError {
  const err = (error ?? {}) as Ssh2Error;
  const where = describeTarget(target);
  const options = { cause: error };
  if (err.level === "client-authentication") {
    return new WlError(
      "ssh_auth_failed",
      `${where} refused ${auth}`,
      `add the matching public key to ~/.ssh/authorized_keys of ${target.user} on the host (RunPod: account settings → SSH public keys), or check the user name`,
      options,
    );
  }
  if (err.level === "client-timeout" || err.code === "ETIMEDOUT") {
    return new WlError(
      "ssh_timeout",
      `${where} did not complete the SSH handshake in time`,
      "check the host and port, and that nothing blocks the port; a pod that is still starting needs a minute",
      options,
    );
  }
  if (err.code === "ECONNREFUSED") {
    return new WlError(
      "ssh_connection_refused",
      `${where} refused the connection`,
      "check the port and that sshd runs on the host (RunPod: wait for the pod to start; expose 22/tcp for direct mode)",
      options,
    );
  }
  if (err.code === "ENOTFOUND" || err.code === "EAI_AGAIN") {
    return new WlError(
      "ssh_connection_failed",
      `cannot resolve host ${target.host}`,
      "check the host name and the network",
      options,
    );
  }
  return new WlError(
    "ssh_connection_failed",
    `SSH connection to ${where} failed: ${err.message ?? String(error)}`,
    "check the host, the port and the network, then run again",
    options,
  );
}

/** The connection went away while a command or a transfer was running. */
export function connectionLost(target: SshTarget, during: string): WlError {
  return new WlError(
    "ssh_connection_lost",
    `SSH connection to ${describeTarget(target)} closed during ${during}`,
    "run again: the step resumes (check the network, and that the host is still up)",
  );
}
