// How wl proves who it is: a private key file (read here, passed to ssh2, never logged) or the
// SSH agent. An encrypted key is refused up front with the two ways around it.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { WlError } from "@wl/core";
import ssh2 from "ssh2";

/** The credentials for ssh2's connect config, and how to name them in messages. */
export interface Auth {
  privateKey?: Buffer;
  agent?: string;
  describe: string;
}

/** Reads the key at `keyFile`, or falls back to the agent socket; refuses when neither is there. */
export async function loadAuth(
  keyFile: string | undefined,
  agent: string | undefined,
): Promise<Auth> {
  if (keyFile) return { privateKey: await readPrivateKey(keyFile), describe: `key ${keyFile}` };
  if (agent) return { agent, describe: `the keys in the SSH agent (${agent})` };
  throw new WlError(
    "ssh_no_credentials",
    "no SSH key given and no SSH agent running ($SSH_AUTH_SOCK is unset)",
    "set the key path (compute.ssh.key or pod.ssh.key), or start ssh-agent and ssh-add your key",
  );
}

/** The bytes of an unencrypted private key file; an encrypted or unreadable one is a WlError. */
export async function readPrivateKey(keyFile: string): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readFile(expandHome(keyFile));
  } catch (error) {
    throw new WlError(
      "ssh_key_unreadable",
      `cannot read SSH key ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      "check the key path (compute.ssh.key or pod.ssh.key) and its permissions",
      { cause: error },
    );
  }
  const parsed = ssh2.utils.parseKey(data);
  if (parsed instanceof Error) {
    if (/passphrase/i.test(parsed.message)) {
      throw new WlError(
        "ssh_key_encrypted",
        `SSH key ${keyFile} is encrypted with a passphrase`,
        `load it into the agent (ssh-add ${keyFile}) and leave the key path unset, or give wl an unencrypted copy (cp it, then ssh-keygen -p -N '' -f COPY)`,
      );
    }
    throw new WlError(
      "ssh_key_invalid",
      `${keyFile} is not a private key ssh2 can read (${parsed.message})`,
      "point the key path at the private key (not the .pub file), in OpenSSH or PEM format",
    );
  }
  return data;
}

/** `~/x` → the home folder's `x`, as a shell would (config files write key paths that way). */
export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}
