// The errors a transfer can end with.
import { WlError } from "@wl/core";
import type { SshConnection } from "./connection.ts";

/** A stream that came back short, empty or altered: retryable, never trusted. */
export function transferIncomplete(connection: SshConnection, what: string): WlError {
  return new WlError(
    "ssh_transfer_incomplete",
    `transfer with ${connection.target.host} incomplete: ${what}`,
    "run again (withConnection retries it); if it keeps happening through a gateway, switch the PTY setting (pty: true)",
  );
}

/** The remote file is not there. */
export function remoteMissing(connection: SshConnection, path: string): WlError {
  return new WlError(
    "ssh_remote_missing",
    `${path} does not exist on ${connection.target.host}`,
    "check the remote path (did the step that writes it finish?)",
  );
}
