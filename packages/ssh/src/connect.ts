// connect(): key or agent auth, explicit timeouts and keepalives, and host keys pinned on first
// use in wl's known_hosts and checked on every later connect.
import { WlError } from "@wl/core";
import ssh2, { type ConnectConfig } from "ssh2";
import { loadAuth } from "./auth.ts";
import { SshConnection } from "./connection.ts";
import { connectError } from "./errors.ts";
import {
  checkHostKey,
  defaultKnownHostsFile,
  fingerprint,
  type HostKeyCheck,
  keyTypeOf,
  pinHostKey,
  pinnedKeyTypes,
  readKnownHosts,
} from "./known-hosts.ts";
import { describeTarget, knownHostsName, type SshTarget } from "./target.ts";

/** How to connect; every field has a default. */
export interface ConnectOptions {
  /** Private key file; without it the SSH agent at `agent` is used. */
  key?: string;
  /** Agent socket; default $SSH_AUTH_SOCK. */
  agent?: string;
  /** wl's known_hosts; default defaultKnownHostsFile(). */
  knownHostsFile?: string;
  /** Handshake and auth deadline (ssh2 readyTimeout); default 20 s. */
  readyTimeoutMs?: number;
  /** Keepalive period; default 15 s; the connection drops after keepaliveCountMax unanswered. */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as lost; default 4. */
  keepaliveCountMax?: number;
  /** Open channels at most at once; default 8 (sshd's MaxSessions is 10). */
  maxChannels?: number;
  env?: NodeJS.ProcessEnv;
}

const HOST_KEY_ALGORITHMS: Record<string, string[]> = {
  "ssh-rsa": ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
};
const DEFAULT_HOST_KEY_ORDER = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
  "ssh-rsa",
];

/** Opens an authenticated connection to `target`; every failure is a WlError naming the fix. */
export async function connect(
  target: SshTarget,
  options: ConnectOptions = {},
): Promise<SshConnection> {
  const env = options.env ?? process.env;
  const auth = await loadAuth(options.key, options.agent ?? env.SSH_AUTH_SOCK);
  const knownHostsFile = options.knownHostsFile ?? defaultKnownHostsFile(env);
  const name = knownHostsName(target);
  const entries = await readKnownHosts(knownHostsFile);
  let presented: Buffer | undefined;
  let check: HostKeyCheck | undefined;

  const client = new ssh2.Client();
  const config: ConnectConfig = {
    host: target.host,
    port: target.port ?? 22,
    username: target.user,
    readyTimeout: options.readyTimeoutMs ?? 20_000,
    keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: options.keepaliveCountMax ?? 4,
    algorithms: { serverHostKey: hostKeyOrder(pinnedKeyTypes(entries, name)) as never },
    hostVerifier: (key: Buffer) => {
      presented = key;
      check = checkHostKey(entries, name, key);
      return check.status === "known" || check.status === "unknown";
    },
  };
  if (auth.privateKey) config.privateKey = auth.privateKey;
  if (auth.agent) config.agent = auth.agent;

  // ssh2 may emit more errors after the first (a socket that then closes); only the first counts,
  // and after `ready` a failure shows as `close`, which SshConnection watches.
  let settled = false;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: unknown) => {
      if (settled) return;
      settled = true;
      client.end();
      if (presented && check && (check.status === "changed" || check.status === "revoked")) {
        reject(hostKeyRefused(target, knownHostsFile, presented, check));
      } else {
        reject(connectError(error, target, auth.describe));
      }
    };
    const onReady = () => {
      settled = true;
      resolve();
    };
    client.on("error", onError).once("ready", onReady);
    client.connect(config);
  });
  const connection = new SshConnection(client, target, options.maxChannels ?? 8);
  if (presented && check?.status === "unknown") {
    try {
      await pinHostKey(knownHostsFile, name, presented);
    } catch (error) {
      connection.end();
      throw new WlError(
        "ssh_known_hosts_unwritable",
        `cannot pin the host key of ${name} in ${knownHostsFile}: ${(error as Error).message}`,
        "make the folder writable, or point knownHostsFile / $WL_KNOWN_HOSTS at a writable file",
        { cause: error },
      );
    }
  }
  return connection;
}

/** Host-key algorithms with the pinned types first, so a host with several keys shows the pinned one. */
function hostKeyOrder(pinned: readonly string[]): string[] {
  const first = pinned.flatMap((type) => HOST_KEY_ALGORITHMS[type] ?? [type]);
  return [...new Set([...first, ...DEFAULT_HOST_KEY_ORDER])].filter((algorithm) =>
    DEFAULT_HOST_KEY_ORDER.includes(algorithm),
  );
}

/** The one-line refusal for a changed (or revoked) host key, naming the file and line to delete. */
function hostKeyRefused(
  target: SshTarget,
  file: string,
  presented: Buffer,
  check: Extract<HostKeyCheck, { status: "changed" | "revoked" }>,
): WlError {
  const now = `${keyTypeOf(presented)} ${fingerprint(presented)}`;
  if (check.status === "revoked") {
    return new WlError(
      "ssh_host_key_revoked",
      `host key of ${describeTarget(target)} (${now}) is marked @revoked in ${file} line ${check.line}`,
      "do not connect to this host; if the revocation is wrong, delete that line",
    );
  }
  return new WlError(
    "ssh_host_key_changed",
    `host key of ${describeTarget(target)} changed: it presented ${now}, ${file} line ${check.line} pins another ${check.pinnedType} key`,
    `if the host was rebuilt on purpose, delete line ${check.line} of ${file} and connect again; otherwise someone may be intercepting the connection`,
  );
}
