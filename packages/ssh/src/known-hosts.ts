// Host keys pinned on first use in wl's own known_hosts file (OpenSSH's format, so `ssh-keygen -F`
// and people can read it), and checked on every later connect. A changed key is refused; nothing
// here can turn the check off.
import { createHash, createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "@wl/core";

/** One key line of a known_hosts file (1-based line number). */
export interface KnownHost {
  line: number;
  hosts: string;
  keyType: string;
  key: string;
  revoked: boolean;
}

/** What the file says about a host's key. */
export type HostKeyCheck =
  | { status: "known"; line: number }
  | { status: "unknown" }
  | { status: "changed"; line: number; pinnedType: string }
  | { status: "revoked"; line: number };

/** wl's known_hosts: $WL_KNOWN_HOSTS, else $XDG_CONFIG_HOME/wl/known_hosts, else ~/.config/wl/known_hosts. */
export function defaultKnownHostsFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WL_KNOWN_HOSTS) return env.WL_KNOWN_HOSTS;
  const config = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(config, "wl", "known_hosts");
}

/** The key lines of a known_hosts text; comments, blank lines and @cert-authority are skipped. */
export function parseKnownHosts(text: string): KnownHost[] {
  const entries: KnownHost[] = [];
  text.split("\n").forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === "" || fields[0].startsWith("#")) return;
    const revoked = fields[0] === "@revoked";
    if (fields[0].startsWith("@") && !revoked) return;
    const [hosts, keyType, key] = revoked ? fields.slice(1) : fields;
    if (!hosts || !keyType || !key) return;
    entries.push({ line: index + 1, hosts, keyType, key, revoked });
  });
  return entries;
}

/** True when a known_hosts host field (comma-separated names or one hashed `|1|salt|hash`) names `name`. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith("|1|")) {
    const [, , salt, hash] = field.split("|");
    if (!salt || !hash) return false;
    const digest = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
    return digest === hash;
  }
  return field.split(",").includes(name);
}

/** The key type inside an SSH public-key blob (its first string), e.g. `ssh-ed25519`. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return "unknown";
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString("latin1");
}

/** OpenSSH's fingerprint of a public-key blob: `SHA256:` and unpadded base64. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** Checks `blob` (the key the host presented) against the entries for `name`. */
export function checkHostKey(
  entries: readonly KnownHost[],
  name: string,
  blob: Buffer,
): HostKeyCheck {
  const mine = entries.filter((entry) => hostFieldMatches(entry.hosts, name));
  const key = blob.toString("base64");
  const revoked = mine.find((entry) => entry.revoked && entry.key === key);
  if (revoked) return { status: "revoked", line: revoked.line };
  const pinned = mine.filter((entry) => !entry.revoked);
  const same = pinned.find((entry) => entry.key === key);
  if (same) return { status: "known", line: same.line };
  const first = pinned[0];
  if (first) return { status: "changed", line: first.line, pinnedType: first.keyType };
  return { status: "unknown" };
}

/** The entries of `file`, or none when it does not exist yet. */
export async function readKnownHosts(file: string): Promise<KnownHost[]> {
  try {
    return parseKnownHosts(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** The key types pinned for `name`, so the handshake can ask the host for those first. */
export function pinnedKeyTypes(entries: readonly KnownHost[], name: string): string[] {
  const types = entries
    .filter((entry) => !entry.revoked && hostFieldMatches(entry.hosts, name))
    .map((entry) => entry.keyType);
  return [...new Set(types)];
}

/** Adds `name keytype base64` to `file` (atomically), unless an entry for that key is there already. */
export async function pinHostKey(file: string, name: string, blob: Buffer): Promise<void> {
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const check = checkHostKey(parseKnownHosts(text), name, blob);
  if (check.status !== "unknown") return;
  const line = `${name} ${keyTypeOf(blob)} ${blob.toString("base64")}\n`;
  const prefix = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  await writeFileAtomic(file, prefix + line, 0o600);
}
