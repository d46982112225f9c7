// Gateway edge cases against an in-process ssh2 server: empty stdout, a stream cut short, and a
// PTY-only gateway that echoes and translates newlines. Each is detected, never trusted; retries
// with a new connection recover.
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { connect, download, type SshConnection, upload, withConnection } from "../src/index.ts";
import { type Behaviour, type Gateway, startGateway } from "./gateway-server.ts";
import { makeKey, removeTempDirs, tempDir } from "./sshd.ts";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("gateway transfers through a misbehaving gateway", () => {
  let dir: string;
  let key: string;
  let data: Buffer;
  let local: string;
  let remoteFile: string;
  const open: { gateway?: Gateway; connection?: SshConnection } = {};
  beforeAll(async () => {
    dir = await tempDir();
    key = await makeKey(join(dir, "user_key"));
    data = randomBytes(1024 * 1024 + 5);
    local = join(dir, "local.bin");
    remoteFile = join(dir, "on-host.bin");
    await writeFile(local, data);
    await writeFile(remoteFile, data);
    return removeTempDirs;
  });
  afterEach(async () => {
    open.connection?.end();
    await open.gateway?.close();
  });
  const options = (gateway: Gateway) => ({
    key,
    knownHostsFile: join(dir, `known_hosts_${gateway.port}`),
  });
  async function through(behaviour: Behaviour): Promise<[Gateway, SshConnection]> {
    const gateway = await startGateway(behaviour);
    open.gateway = gateway;
    open.connection = await connect(
      { host: "127.0.0.1", port: gateway.port, user: "pod-1" },
      options(gateway),
    );
    return [gateway, open.connection];
  }

  it("an empty stdout on download is an incomplete transfer, and no file appears", async () => {
    const [, connection] = await through({ dropStdout: () => true });
    const back = join(dir, "empty-back.bin");
    await expect(download(connection, remoteFile, back, { mode: "gateway" })).rejects.toMatchObject(
      {
        code: "ssh_transfer_incomplete",
        message: expect.stringContaining("sent nothing back"),
      },
    );
    expect(await readdir(dir)).not.toContain("empty-back.bin");
  });

  it("an upload whose confirmation is lost is confirmed by asking the host again", async () => {
    const [gateway, connection] = await through({ dropStdout: (n) => n === 1 });
    const remote = join(dir, "confirmed-later.bin");
    expect(await upload(connection, local, remote, { mode: "gateway" })).toEqual({
      bytes: data.length,
      sha256: sha256(data),
    });
    expect(gateway.execs).toBe(2);
    expect(sha256(await readFile(remote))).toBe(sha256(data));
  });

  it("an upload that never gets confirmed fails as incomplete", async () => {
    const [, connection] = await through({ dropStdout: () => true, truncateAt: () => 0 });
    await expect(
      upload(connection, local, join(dir, "never.bin"), { mode: "gateway" }),
    ).rejects.toMatchObject({
      code: "ssh_transfer_incomplete",
    });
  });

  it("a stream cut short is detected with how much arrived, and no file appears", async () => {
    const [, connection] = await through({ truncateAt: () => 100_000 });
    const back = join(dir, "short-back.bin");
    const error = await download(connection, remoteFile, back, { mode: "gateway" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "ssh_transfer_incomplete" });
    expect((error as Error).message).toMatch(/stopped after \d+ of 1048581 bytes/);
    expect(await readdir(dir)).not.toContain("short-back.bin");
  });

  it("withConnection retries an empty stream on a new connection and then succeeds", async () => {
    let calls = 0;
    const gateway = await startGateway({ dropStdout: () => calls === 1 });
    open.gateway = gateway;
    const back = join(dir, "retried-back.bin");
    const proof = await withConnection(
      { host: "127.0.0.1", port: gateway.port, user: "pod-1" },
      { ...options(gateway), retry: { initialDelayMs: 10 } },
      (connection) => {
        calls += 1;
        return download(connection, remoteFile, back, { mode: "gateway" });
      },
    );
    expect(calls).toBe(2);
    expect(proof.sha256).toBe(sha256(data));
    expect((await readFile(back)).equals(data)).toBe(true);
  });

  it("a PTY-only gateway: both ways with echo and \\r\\n, only the framed region is trusted", async () => {
    const [, connection] = await through({ ptyOnly: true });
    const remote = join(dir, "pty-up.bin");
    await expect(
      upload(connection, local, join(dir, "no-pty.bin"), { mode: "gateway" }),
    ).rejects.toMatchObject({
      code: "ssh_transfer_incomplete",
      message: expect.stringContaining("doesn't support PTY"),
    });
    expect(await upload(connection, local, remote, { mode: "gateway", pty: true })).toEqual({
      bytes: data.length,
      sha256: sha256(data),
    });
    expect(sha256(await readFile(remote))).toBe(sha256(data));
    const back = join(dir, "pty-back.bin");
    expect((await download(connection, remote, back, { mode: "gateway", pty: true })).sha256).toBe(
      sha256(data),
    );
    expect((await readFile(back)).equals(data)).toBe(true);
  });
});
