// A real OpenSSH sshd on 127.0.0.1 at a free port, run in the foreground from a temp folder (its
// own host key, authorized_keys, config and pid file), never as a system service; and user keys
// made with ssh-keygen. Tests skip with the reason in `sshdMissing` when sshd is not installed
// (scripts/setup --dev installs openssh-server).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const SSHD = "/usr/sbin/sshd";

/** Why the sshd tests cannot run here, or undefined when they can. */
export const sshdMissing: string | undefined = !existsSync(SSHD)
  ? `${SSHD} not found: install openssh-server (scripts/setup --dev)`
  : !existsSync("/usr/bin/ssh-keygen")
    ? "ssh-keygen not found: install openssh-client (scripts/setup --dev)"
    : undefined;

const made: string[] = [];

/** A fresh temp folder; removeTempDirs deletes it. */
export async function tempDir(prefix = "wl-ssh-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Deletes every folder tempDir made. */
export async function removeTempDirs(): Promise<void> {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** Makes an ed25519 key pair at `file` (and `file.pub`); with `passphrase`, an encrypted one. */
export async function makeKey(file: string, passphrase = ""): Promise<string> {
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", "wl-test", "-f", file]);
  return file;
}

/** A free TCP port on 127.0.0.1 (free when asked; sshd binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A running sshd; `restart` brings it back on the same port, with another host key if asked. */
export interface Sshd {
  port: number;
  dir: string;
  userKey: string;
  stop(): Promise<void>;
  restart(options?: { newHostKey?: boolean }): Promise<void>;
  log(): string;
}

/** Options for one sshd: `sftp: false` leaves out the sftp subsystem (as RunPod's gateway does). */
export interface SshdOptions {
  sftp?: boolean;
}

/** Starts sshd with a fresh host key and one authorized user key (the returned `userKey`). */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const dir = await tempDir("wl-sshd-");
  const port = await freePort();
  let hostKeys = 0;
  const newHostKey = async () => {
    hostKeys += 1;
    const file = join(dir, `host_ed25519_${hostKeys}`);
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
    return file;
  };
  const userKey = await makeKey(join(dir, "user_ed25519"));
  await run("sh", ["-c", `cat '${userKey}.pub' > '${join(dir, "authorized_keys")}'`]);
  // sshd run as root wants its privilege-separation folder, which the Debian service unit makes.
  if (process.getuid?.() === 0) await mkdir("/run/sshd", { recursive: true, mode: 0o755 });

  let hostKey = await newHostKey();
  let child: ChildProcess | undefined;
  let stderr = "";
  const start = async () => {
    const config = join(dir, "sshd_config");
    await writeFile(
      config,
      [
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        "StrictModes no",
        "UsePAM no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "PermitRootLogin prohibit-password",
        "PrintMotd no",
        "MaxStartups 50",
        "LogLevel ERROR",
        ...(options.sftp === false ? [] : ["Subsystem sftp internal-sftp"]),
        "",
      ].join("\n"),
    );
    child = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await waitForBanner(port, () =>
      child?.exitCode !== null ? stderr || "sshd exited" : undefined,
    );
  };
  const stop = async () => {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGTERM");
    await exited;
  };
  await start();
  return {
    port,
    dir,
    userKey,
    stop,
    async restart(restartOptions = {}) {
      await stop();
      if (restartOptions.newHostKey) hostKey = await newHostKey();
      await start();
    },
    log: () => stderr,
  };
}

/** Waits until something on `port` says `SSH-2.0`; `failed()` names why to stop waiting early. */
async function waitForBanner(port: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const why = failed();
    if (why) throw new Error(`sshd did not start: ${why}`);
    if (await banner(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on port ${port} within 10 s`);
}

function banner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("SSH-"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
