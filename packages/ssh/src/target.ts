// Where to connect and how to name it in messages: `user@host:port`.

/** An SSH host as the run document and the config give it. */
export interface SshTarget {
  host: string;
  port?: number;
  user: string;
}

/** `user@host:port`, for messages. */
export function describeTarget(target: SshTarget): string {
  return `${target.user}@${target.host}:${target.port ?? 22}`;
}

/** The host as OpenSSH's known_hosts writes it: `host` on port 22, else `[host]:port`. */
export function knownHostsName(target: Pick<SshTarget, "host" | "port">): string {
  const port = target.port ?? 22;
  return port === 22 ? target.host : `[${target.host}]:${port}`;
}
