// Transfers over a real sshd: direct (sftp) and gateway (exec only, on an sshd without sftp), with
// and without a real PTY, binary files of a few MB both ways, each checked by length and sha256.
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, download, type SshConnection, upload } from "../src/index.ts";
import { removeTempDirs, type Sshd, sshdMissing, startSshd, tempDir } from "./sshd.ts";

const user = userInfo().username;
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe.skipIf(sshdMissing !== undefined)(
  `transfers over a real sshd ${sshdMissing ?? ""}`,
  () => {
    let direct: Sshd;
    let gateway: Sshd;
    let dir: string;
    let data: Buffer;
    let local: string;
    let toDirect: SshConnection;
    let toGateway: SshConnection;
    beforeAll(async () => {
      [direct, gateway, dir] = await Promise.all([
        startSshd(),
        startSshd({ sftp: false }),
        tempDir(),
      ]);
      data = randomBytes(3 * 1024 * 1024 + 17);
      local = join(dir, "local.bin");
      await writeFile(local, data);
      const knownHostsFile = join(dir, "known_hosts");
      toDirect = await connect(
        { host: "127.0.0.1", port: direct.port, user },
        { key: direct.userKey, knownHostsFile },
      );
      toGateway = await connect(
        { host: "127.0.0.1", port: gateway.port, user },
        { key: gateway.userKey, knownHostsFile },
      );
    });
    afterAll(async () => {
      toDirect?.end();
      toGateway?.end();
      await Promise.all([direct?.stop(), gateway?.stop()]);
      await removeTempDirs();
    });

    it("direct: uploads over sftp into new folders and downloads back, sha256 verified", async () => {
      const remote = join(dir, "direct", "sub", "remote.bin");
      const proof = await upload(toDirect, local, remote, { mode: "direct" });
      expect(proof).toEqual({ bytes: data.length, sha256: sha256(data) });
      expect(sha256(await readFile(remote))).toBe(sha256(data));
      expect((await readdir(join(dir, "direct", "sub"))).sort()).toEqual(["remote.bin"]);

      const back = join(dir, "direct-back", "back.bin");
      expect(await download(toDirect, remote, back, { mode: "direct" })).toEqual(proof);
      expect((await readFile(back)).equals(data)).toBe(true);
    });

    it("direct: a missing remote file is one clear error", async () => {
      await expect(
        download(toDirect, join(dir, "nope.bin"), join(dir, "x.bin"), { mode: "direct" }),
      ).rejects.toMatchObject({
        code: "ssh_remote_missing",
      });
    });

    it("direct: a host without sftp says to use gateway mode", async () => {
      await expect(
        upload(toGateway, local, join(dir, "no-sftp.bin"), { mode: "direct" }),
      ).rejects.toMatchObject({
        code: "ssh_sftp_unavailable",
      });
    });

    for (const pty of [false, true]) {
      it(`gateway${pty ? " with a PTY" : ""}: a binary file of a few MB both ways, on a host without sftp`, async () => {
        const remote = join(dir, `gateway-${pty}`, "remote.bin");
        const proof = await upload(toGateway, local, remote, { mode: "gateway", pty });
        expect(proof).toEqual({ bytes: data.length, sha256: sha256(data) });
        expect(sha256(await readFile(remote))).toBe(sha256(data));
        expect(await readdir(join(dir, `gateway-${pty}`))).toEqual(["remote.bin"]);

        const back = join(dir, `gateway-back-${pty}`, "back.bin");
        expect(await download(toGateway, remote, back, { mode: "gateway", pty })).toEqual(proof);
        expect((await readFile(back)).equals(data)).toBe(true);
        expect(await readdir(join(dir, `gateway-back-${pty}`))).toEqual(["back.bin"]);
      });
    }

    it("gateway: quotes paths with spaces and shell metacharacters, and handles an empty file", async () => {
      const empty = join(dir, "empty.bin");
      await writeFile(empty, "");
      const remote = join(dir, "odd $(touch pwned) ';\" name", "e.bin");
      expect(await upload(toGateway, empty, remote, { mode: "gateway" })).toEqual({
        bytes: 0,
        sha256: sha256(Buffer.alloc(0)),
      });
      expect(
        await download(toGateway, remote, join(dir, "e-back.bin"), { mode: "gateway" }),
      ).toMatchObject({ bytes: 0 });
      expect(await readdir(dir)).not.toContain("pwned");
    });

    it("gateway: a missing remote file is one clear error, and no local file appears", async () => {
      const target = join(dir, "missing-back.bin");
      await expect(
        download(toGateway, join(dir, "nope.bin"), target, { mode: "gateway" }),
      ).rejects.toMatchObject({
        code: "ssh_remote_missing",
      });
      expect(await readdir(dir)).not.toContain("missing-back.bin");
    });
  },
);
