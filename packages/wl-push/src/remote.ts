// What wl-push asks the host: its home folder, the sha256 of files in the run folder, and to
// unpack the trainer. POSIX sh, sha256sum (or shasum -a 256), tar and gzip only. Every answer ends
// with a marker printed as `printf 'WL-%s-%s' KIND NONCE`, so an empty or cut-short reply (a
// gateway that drops stdout) is detected and retried, never read as "nothing there".
import { randomBytes } from "node:crypto";
import { WlError } from "@wl/core";
import { exec, execOk, type SshConnection, shCommand } from "@wl/ssh";

const SHA =
  'wl_sha() { if command -v sha256sum >/dev/null 2>&1; then sha256sum -- "$@"; else shasum -a 256 -- "$@"; fi; }';

/** Prints `$HOME`, then the end marker. Args: nonce. */
const HOME_SCRIPT = `printf '%s\\n' "$HOME"; printf 'WL-%s-%s\\n' HOME "$1"`;

/** Makes the run folder and clears temp files an interrupted upload left in it. Args: dir. */
const PREPARE_SCRIPT = `mkdir -p "$1" && cd "$1" && rm -f ./*.wl-part-* ./data/*.wl-part-*`;

/** Removes the upload proof: a push in progress has none. Args: proof file. */
const UNPROVE_SCRIPT = 'rm -f "$1"';

/** `<sha256>  <path>` for each of $3… that exists under $1 (one hashing process), then the end marker. Args: dir nonce files…. */
const SUMS_SCRIPT = `${SHA}
dir=$1; nonce=$2; shift 2
if cd "$dir" 2>/dev/null; then
  n=$#
  while [ "$n" -gt 0 ]; do f=$1; shift; n=$((n - 1)); if [ -f "$f" ]; then set -- "$@" "$f"; fi; done
  if [ $# -gt 0 ]; then wl_sha "$@" || exit 1; fi
fi
printf 'WL-%s-%s\\n' SUMS "$nonce"`;

/**
 * Unpacks `$2` into `$1/trainer` unless the tarball with sha256 `$3` is already unpacked there:
 * into a fresh folder first, then swapped in, so a half-unpacked trainer is never in place.
 * Args: dir tarball sha256 [force].
 */
const UNPACK_SCRIPT = `dir=$1; tarball=$2; sum=$3; force=$4
if [ "$force" != force ] && [ "$(cat "$dir/trainer/.wl-tarball-sha256" 2>/dev/null)" = "$sum" ]; then exit 0; fi
rm -rf "$dir/trainer.wl-new" && mkdir -p "$dir/trainer.wl-new" \\
  && tar -xzf "$tarball" -C "$dir/trainer.wl-new" \\
  && printf '%s\\n' "$sum" > "$dir/trainer.wl-new/.wl-tarball-sha256" \\
  && rm -rf "$dir/trainer" && mv "$dir/trainer.wl-new" "$dir/trainer"`;

function nonce(): string {
  return randomBytes(8).toString("hex");
}

/** The lines of `stdout` before the end marker; a reply without it is an incomplete transfer. */
function framed(connection: SshConnection, stdout: string, kind: string, id: string): string[] {
  const lines = stdout.replaceAll("\r", "").split("\n");
  const end = lines.indexOf(`WL-${kind}-${id}`);
  if (end === -1) {
    throw new WlError(
      "ssh_transfer_incomplete",
      `the reply from ${connection.target.host} came back without its end marker (empty or cut short)`,
      "run again (wl-push retries it); through a gateway, try the other PTY setting (pod.ssh.pty)",
    );
  }
  return lines.slice(0, end);
}

/** The remote folder as an absolute path: `~/x`, `~` and relative paths are in the user's home. */
export async function absoluteRemoteDir(
  connection: SshConnection,
  dir: string,
  pty: boolean,
): Promise<string> {
  if (dir.startsWith("/")) return dir;
  const id = nonce();
  const result = await exec(connection, shCommand(HOME_SCRIPT, [id]), { pty });
  const home = framed(connection, result.stdout, "HOME", id).at(-1)?.trim() ?? "";
  if (!home.startsWith("/")) {
    throw new WlError(
      "push.remote_home_unknown",
      `${connection.target.host} did not say where the user's home is (got ${JSON.stringify(home)})`,
      "pass an absolute --remote-dir",
    );
  }
  const rest = dir.replace(/^~(\/|$)/, "");
  return rest === "" ? home : `${home.replace(/\/$/, "")}/${rest}`;
}

/** Makes the run folder on the host. */
export async function prepareRemoteDir(
  connection: SshConnection,
  dir: string,
  pty: boolean,
): Promise<void> {
  const result = await exec(connection, shCommand(PREPARE_SCRIPT, [dir]), { pty });
  if (result.exitCode !== 0) {
    throw new WlError(
      "push.remote_dir_failed",
      `cannot make ${dir} on ${connection.target.host}: ${result.stderr.trim().split("\n").at(-1) ?? `exit ${result.exitCode}`}`,
      "check that the user may write there, or pass another --remote-dir",
    );
  }
}

/** The sha256 of each of `files` (relative to `dir`) that exists on the host. */
export async function remoteSums(
  connection: SshConnection,
  dir: string,
  files: readonly string[],
  pty: boolean,
): Promise<Map<string, string>> {
  const id = nonce();
  const result = await exec(connection, shCommand(SUMS_SCRIPT, [dir, id, ...files]), { pty });
  const sums = new Map<string, string>();
  for (const line of framed(connection, result.stdout, "SUMS", id)) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match?.[1] && match[2]) sums.set(match[2], match[1]);
  }
  return sums;
}

/** Unpacks the trainer's tarball into `dir/trainer` unless (without force) that very tarball is unpacked there. */
export async function unpackTrainer(
  connection: SshConnection,
  dir: string,
  tarball: string,
  sha256: string,
  options: { pty: boolean; force: boolean },
): Promise<void> {
  const args = [dir, tarball, sha256, options.force ? "force" : "keep"];
  await execOk(connection, shCommand(UNPACK_SCRIPT, args), { pty: options.pty });
}

/** Removes the upload proof `file` on the host before anything in its folder changes. */
export async function removeProof(
  connection: SshConnection,
  file: string,
  pty: boolean,
): Promise<void> {
  await execOk(connection, shCommand(UNPROVE_SCRIPT, [file]), { pty });
}
