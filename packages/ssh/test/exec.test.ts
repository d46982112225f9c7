// exec() and withConnection() against a real sshd: exit codes, both streams drained, stdin, PTY,
// timeouts, a killed connection, and retries that reconnect for connection failures only.
import { userInfo } from "node:os";
import { join } from "node:path";
import { WlError } from "@wl/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backoffDelay,
  connect,
  exec,
  execOk,
  retrying,
  type SshConnection,
  withConnection,
} from "../src/index.ts";
import { removeTempDirs, type Sshd, sshdMissing, startSshd, tempDir } from "./sshd.ts";

const user = userInfo().username;

describe("retrying (no network)", () => {
  it("backs off exponentially up to the cap", () => {
    const none = () => 0;
    const delays = [1, 2, 3, 4, 10].map((n) =>
      backoffDelay(n, { initialDelayMs: 100, maxDelayMs: 500 }, none),
    );
    expect(delays).toEqual([100, 200, 400, 500, 500]);
  });

  it("retries retryable WlErrors only, and stops at the attempt limit", async () => {
    let calls = 0;
    const lost = () => new WlError("ssh_connection_lost", "lost", "again");
    await expect(
      retrying(
        async () => {
          calls += 1;
          throw lost();
        },
        { attempts: 3, initialDelayMs: 1 },
      ),
    ).rejects.toMatchObject({ code: "ssh_connection_lost" });
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      retrying(
        async () => {
          calls += 1;
          throw new WlError("ssh_command_failed", "exit 1", "read it");
        },
        { attempts: 3, initialDelayMs: 1 },
      ),
    ).rejects.toMatchObject({ code: "ssh_command_failed" });
    expect(calls).toBe(1);
  });

  it("gives up when the next wait would pass the deadline", async () => {
    let calls = 0;
    const started = Date.now();
    await expect(
      retrying(
        async () => {
          calls += 1;
          throw new WlError("ssh_timeout", "slow", "wait");
        },
        { attempts: 100, initialDelayMs: 100, deadlineMs: 350 },
      ),
    ).rejects.toMatchObject({ code: "ssh_timeout" });
    expect(calls).toBeLessThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe.skipIf(sshdMissing !== undefined)(`exec over a real sshd ${sshdMissing ?? ""}`, () => {
  let sshd: Sshd;
  let dir: string;
  let connection: SshConnection;
  const target = () => ({ host: "127.0.0.1", port: sshd.port, user });
  const options = () => ({ key: sshd.userKey, knownHostsFile: join(dir, "known_hosts") });
  beforeAll(async () => {
    sshd = await startSshd();
    dir = await tempDir();
    connection = await connect(target(), options());
  });
  afterAll(async () => {
    connection?.end();
    await sshd?.stop();
    await removeTempDirs();
  });

  it("returns the exit code and both streams apart", async () => {
    const result = await exec(connection, "echo out; echo err >&2; exit 7");
    expect(result).toEqual({ exitCode: 7, signal: null, stdout: "out\n", stderr: "err\n" });
  });

  it("drains both streams when each carries megabytes", async () => {
    const result = await exec(
      connection,
      "head -c 3000000 /dev/zero | tr '\\0' a; head -c 2000000 /dev/zero | tr '\\0' b >&2",
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBe(3_000_000);
    expect(result.stderr.length).toBe(2_000_000);
  });

  it("feeds stdin (where secrets go) and runs without a PTY by default", async () => {
    const result = await exec(
      connection,
      'read -r secret; printf %s "$secret" | wc -c; [ -t 0 ] && echo tty || echo notty',
      {
        stdin: "s3cret-value\n",
      },
    );
    expect(result.stdout).toBe("12\nnotty\n");
  });

  it("asks for a PTY when told to", async () => {
    const result = await exec(connection, "[ -t 1 ] && echo tty; exit 3", { pty: true });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe("tty\r\n");
  });

  it("reports a signal as a missing exit code, which execOk treats as failure", async () => {
    const result = await exec(connection, "kill -9 $$");
    expect(result.exitCode).toBeNull();
    await expect(execOk(connection, "kill -9 $$")).rejects.toMatchObject({
      code: "ssh_command_failed",
    });
    await expect(execOk(connection, "echo no >&2; exit 2")).rejects.toThrow(/exited 2: no/);
  });

  it("closes a command that runs past its timeout", async () => {
    await expect(exec(connection, "sleep 20", { timeoutMs: 300 })).rejects.toMatchObject({
      code: "ssh_command_timeout",
    });
    expect((await exec(connection, "echo still up")).stdout).toBe("still up\n");
  });

  it("runs more commands at once than sshd allows sessions, by queueing", async () => {
    const results = await Promise.all(
      Array.from({ length: 14 }, (_, i) => exec(connection, `sleep 0.2; echo ${i}`)),
    );
    expect(results.map((r) => r.stdout.trim())).toEqual(
      Array.from({ length: 14 }, (_, i) => `${i}`),
    );
  });

  it("reports a connection killed mid-command as lost, and withConnection reconnects", async () => {
    const victim = await connect(target(), options());
    // The command kills the sshd process that serves its session: the connection drops for real.
    const running = exec(victim, "sleep 0.2; kill -9 $PPID; sleep 5");
    await expect(running).rejects.toMatchObject({ code: "ssh_connection_lost" });
    victim.end();

    let attempts = 0;
    const out = await withConnection(
      target(),
      { ...options(), retry: { initialDelayMs: 10 } },
      async (c) => {
        attempts += 1;
        if (attempts === 1) c.end();
        return execOk(c, "echo done");
      },
    );
    expect(out.stdout).toBe("done\n");
    expect(attempts).toBe(2);
  });

  it("withConnection waits out a refused connection until sshd is back", async () => {
    await sshd.stop();
    const back = setTimeout(() => void sshd.restart(), 400);
    try {
      const result = await withConnection(
        target(),
        { ...options(), retry: { initialDelayMs: 200, attempts: 6 } },
        (c) => execOk(c, "echo back"),
      );
      expect(result.stdout).toBe("back\n");
    } finally {
      clearTimeout(back);
    }
  });
});
