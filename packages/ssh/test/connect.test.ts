// connect() against a real sshd: key auth, refusals with fixes, host keys pinned on first use and
// a changed one refused.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { WlError } from "@wl/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, exec, knownHostsName, parseKnownHosts } from "../src/index.ts";
import {
  freePort,
  makeKey,
  removeTempDirs,
  type Sshd,
  sshdMissing,
  startSshd,
  tempDir,
} from "./sshd.ts";

const user = (await import("node:os")).userInfo().username;

async function caught(promise: Promise<unknown>): Promise<WlError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WlError);
  return error as WlError;
}

describe.skipIf(sshdMissing !== undefined)(`connect over a real sshd ${sshdMissing ?? ""}`, () => {
  let sshd: Sshd;
  let dir: string;
  beforeAll(async () => {
    sshd = await startSshd();
    dir = await tempDir();
  });
  afterAll(async () => {
    await sshd?.stop();
    await removeTempDirs();
  });
  const target = () => ({ host: "127.0.0.1", port: sshd.port, user });

  it("authenticates with a key file, pins the host key on first use and accepts it later", async () => {
    const knownHostsFile = join(dir, "pin", "known_hosts");
    const first = await connect(target(), { key: sshd.userKey, knownHostsFile });
    try {
      const result = await exec(first, "echo hello");
      expect(result).toMatchObject({ exitCode: 0, stdout: "hello\n" });
    } finally {
      first.end();
    }
    const entries = parseKnownHosts(await readFile(knownHostsFile, "utf8"));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ hosts: `[127.0.0.1]:${sshd.port}`, keyType: "ssh-ed25519" });
    const hostPub = await readFile(join(sshd.dir, "host_ed25519_1.pub"), "utf8");
    expect(hostPub.split(" ")[1]).toBe(entries[0]?.key);

    const second = await connect(target(), { key: sshd.userKey, knownHostsFile });
    second.end();
    expect(parseKnownHosts(await readFile(knownHostsFile, "utf8"))).toHaveLength(1);
  });

  it("refuses a changed host key with the file and line to delete, and never pins over it", async () => {
    const knownHostsFile = join(dir, "changed", "known_hosts");
    (await connect(target(), { key: sshd.userKey, knownHostsFile })).end();
    const before = await readFile(knownHostsFile, "utf8");
    const withComment = `# wl pins\n${before}`;
    await writeFile(knownHostsFile, withComment);
    await sshd.restart({ newHostKey: true });
    try {
      const error = await caught(connect(target(), { key: sshd.userKey, knownHostsFile }));
      expect(error.code).toBe("ssh_host_key_changed");
      expect(error.message).toContain(`${knownHostsFile} line 2`);
      expect(error.message).not.toContain("\n");
      expect(error.fix).toContain(`delete line 2 of ${knownHostsFile}`);
      expect(await readFile(knownHostsFile, "utf8")).toBe(withComment);
    } finally {
      await sshd.restart();
    }
  });

  it("uses the SSH agent when no key file is given", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const run = promisify(execFile);
    const socket = join(dir, "agent.sock");
    const agent = await run("ssh-agent", ["-a", socket]);
    const pid = /SSH_AGENT_PID=(\d+)/.exec(agent.stdout)?.[1];
    try {
      await run("ssh-add", [sshd.userKey], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      const knownHostsFile = join(dir, "agent", "known_hosts");
      const connection = await connect(target(), {
        knownHostsFile,
        env: { SSH_AUTH_SOCK: socket },
      });
      connection.end();
    } finally {
      if (pid) process.kill(Number(pid));
    }
  });

  it("says which key was refused and how to fix it", async () => {
    const wrong = await makeKey(join(dir, "wrong_key"));
    const error = await caught(
      connect(target(), { key: wrong, knownHostsFile: join(dir, "wrong", "known_hosts") }),
    );
    expect(error.code).toBe("ssh_auth_failed");
    expect(error.message).toContain(wrong);
    expect(error.fix).toContain("authorized_keys");
  });

  it("refuses an encrypted key before connecting, naming the fix", async () => {
    const encrypted = await makeKey(join(dir, "encrypted_key"), "secret passphrase");
    const error = await caught(
      connect(target(), { key: encrypted, knownHostsFile: join(dir, "x") }),
    );
    expect(error.code).toBe("ssh_key_encrypted");
    expect(error.fix).toContain(`ssh-add ${encrypted}`);
  });

  it("maps a refused port to a WlError with a fix", async () => {
    const port = await freePort();
    const error = await caught(
      connect(
        { host: "127.0.0.1", port, user },
        { key: sshd.userKey, knownHostsFile: join(dir, "y") },
      ),
    );
    expect(error.code).toBe("ssh_connection_refused");
    expect(error.fix).toMatch(/sshd/);
  });

  it("maps a handshake that never comes to a timeout", async () => {
    const { createServer } = await import("node:net");
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const error = await caught(
        connect(
          { host: "127.0.0.1", port, user },
          { key: sshd.userKey, knownHostsFile: join(dir, "z"), readyTimeoutMs: 500 },
        ),
      );
      expect(error.code).toBe("ssh_timeout");
    } finally {
      silent.close();
    }
  });

  it("writes OpenSSH's name for a host on port 22 and on another port", () => {
    expect(knownHostsName({ host: "h.example", port: 22 })).toBe("h.example");
    expect(knownHostsName({ host: "h.example", port: 2222 })).toBe("[h.example]:2222");
  });
});
