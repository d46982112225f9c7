// wl-push through the real bin against real OpenSSH sshd processes on 127.0.0.1: one with sftp
// (direct mode) and one without (gateway mode, exec only). The "host" is this machine, so the
// tests read what arrived straight from the remote folder.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createConnection, createServer, type Server } from "node:net";
import { userInfo } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunDoc, runDocSchema } from "@wl/core";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  makeKey,
  makeTrainer,
  records,
  removeTempDirs,
  type Sshd,
  sshdMissing,
  startSshd,
  TRAINER_FILES,
  tempDir,
  user,
} from "./fixtures.ts";

const BIN = fileURLToPath(new URL("../bin/wl-push.js", import.meta.url));
const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/**
 * A TCP relay to `port` that cuts the first connection to carry more than `limit` bytes from the
 * client, as a dropped network would; later connections pass.
 */
async function droppingRelay(
  port: number,
  limit: number,
): Promise<{ port: number; server: Server }> {
  let dropped = false;
  const server = createServer((client) => {
    const upstream = createConnection({ host: "127.0.0.1", port });
    const cut = !dropped;
    let sent = 0;
    client.on("data", (chunk: Buffer) => {
      sent += chunk.length;
      if (cut && !dropped && sent > limit) {
        dropped = true;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { port: typeof address === "object" && address ? address.port : 0, server };
}

interface BinRun {
  exitCode: number | undefined;
  doc: RunDoc;
  lines: string[];
  errors: string[];
}

describe.skipIf(sshdMissing !== undefined)(`wl-push over a real sshd ${sshdMissing ?? ""}`, () => {
  let direct: Sshd;
  let gateway: Sshd;
  let ws: string;
  let trainer: string;
  let config: string;
  let remote: string;

  async function wlPush(args: string[], options: { input?: string; env?: object } = {}) {
    const { SSH_AUTH_SOCK: _agent, ...env } = process.env;
    const result = await execa(process.execPath, [BIN, ...args], {
      reject: false,
      extendEnv: false,
      env: {
        ...env,
        NO_COLOR: "1",
        WL_RUNS_DIR: join(ws, "runs"),
        WL_KNOWN_HOSTS: join(ws, "known_hosts"),
        WL_TRAINER_DIR: trainer,
        ...options.env,
      },
      input: options.input ?? "",
      cwd: ws,
    });
    const lines = String(result.stderr)
      .split("\n")
      .filter((line) => line !== "");
    if (String(result.stdout) === "")
      throw new Error(`no document on stdout; stderr:\n${result.stderr}`);
    const out = String(result.stdout).split("\n");
    expect(out).toHaveLength(1);
    return {
      exitCode: result.exitCode,
      doc: runDocSchema.parse(JSON.parse(out[0] ?? "")),
      lines,
      errors: lines.filter((line) => line.includes("❌ ERROR")),
    } satisfies BinRun;
  }

  /** The config of a workspace whose compute.ssh is `sshd`. */
  async function writeConfig(file: string, sshd: Sshd | undefined, port?: number) {
    const ssh = sshd
      ? `compute: {backend: ssh, ssh: {host: 127.0.0.1, port: ${port ?? sshd.port}, user: ${user}, key: ${sshd.userKey}}}\n`
      : "";
    await writeFile(
      file,
      `model: {base: org/model}\ndata: {train: train.jsonl, val: val.jsonl}\n${ssh}`,
    );
    return file;
  }

  /** upload.ok in `dir`, each entry checked against the file that is really there. */
  async function expectProof(dir: string, names: string[]) {
    const proof = JSON.parse(await readFile(join(dir, "upload.ok"), "utf8"));
    expect(proof.schema).toBe("wl.upload/1");
    expect(proof.files.map((file: { path: string }) => file.path)).toEqual(names);
    for (const file of proof.files) {
      const data = await readFile(join(dir, file.path));
      expect(file).toEqual({ path: file.path, bytes: data.length, sha256: sha256(data) });
    }
  }

  beforeAll(async () => {
    [direct, gateway, ws] = await Promise.all([
      startSshd(),
      startSshd({ sftp: false }),
      tempDir("wl-push-test-"),
    ]);
    trainer = await makeTrainer(join(ws, "trainer"));
    remote = join(ws, "host");
    await writeFile(join(ws, "train.jsonl"), records(40, "train"));
    await writeFile(join(ws, "val.jsonl"), records(5, "val"));
    config = await writeConfig(join(ws, "wl.yaml"), direct);
  });
  afterAll(async () => {
    await Promise.all([direct?.stop(), gateway?.stop()]);
    await removeTempDirs();
  });

  const NAMES = ["data/train.jsonl", "data/val.jsonl", "config.json", "trainer.tar.gz"];
  let first: RunDoc;

  it("first push: uploads data, config.json and the trainer, unpacks it, writes upload.ok", async () => {
    const dir = join(remote, "run1");
    const run = await wlPush(["--config", config, "--remote-dir", dir]);
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    first = run.doc;
    const push = run.doc.push;
    expect(push).toBeDefined();
    if (!push) return;
    expect(push.host).toEqual({ host: "127.0.0.1", port: direct.port, user, mode: "direct" });
    expect(push.remote_dir).toBe(dir);
    expect(push.files.map((file) => file.remote_path)).toEqual(NAMES.map((n) => join(dir, n)));
    expect(push.files.every((file) => file.action === "uploaded")).toBe(true);
    const total = push.files.reduce((sum, file) => sum + file.bytes, 0);
    expect(push.bytes_uploaded).toBe(total);
    expect(push.verification).toEqual({
      ok: true,
      proof_path: join(dir, "upload.ok"),
      trainer_files: TRAINER_FILES.length,
    });
    for (const file of push.files) {
      expect(sha256(await readFile(file.remote_path))).toBe(file.sha256);
      expect(sha256(await readFile(file.path))).toBe(file.sha256);
    }
    await expectProof(dir, NAMES);
    // The trainer is unpacked on the host, file for file, without the bytecode cache.
    for (const name of TRAINER_FILES) {
      const there = await readFile(join(dir, "trainer", name));
      expect(there.equals(await readFile(join(trainer, name)))).toBe(true);
    }
    await expect(stat(join(dir, "trainer/wl_trainer/data/__pycache__"))).rejects.toThrow();
    // config.json is the resolved config with the data paths on the host.
    const sent = JSON.parse(await readFile(join(dir, "config.json"), "utf8"));
    expect(sent.data.train).toBe(join(dir, "data/train.jsonl"));
    expect(sent.data.val).toBe(join(dir, "data/val.jsonl"));
    expect(sent.model).toEqual(run.doc.config?.resolved.model);
    expect(run.lines.some((line) => line.includes("✅ SUCCESS") && line.includes("4 of 4"))).toBe(
      true,
    );
  });

  it("second push: nothing changed, 0 bytes uploaded, upload.ok left as it was", async () => {
    const dir = join(remote, "run1");
    const before = await stat(join(dir, "upload.ok"));
    const runFile = join(first.paths.run_dir, "run.json");
    const run = await wlPush(["--run", runFile, "--remote-dir", dir]);
    expect(run.exitCode).toBe(0);
    expect(run.doc.push?.bytes_uploaded).toBe(0);
    expect(run.doc.push?.files.map((file) => file.action)).toEqual(NAMES.map(() => "skipped"));
    expect((await stat(join(dir, "upload.ok"))).mtimeMs).toBe(before.mtimeMs);
    await expectProof(dir, NAMES);
  });

  it("a changed data file: only that file is uploaded again, and the proof follows", async () => {
    const dir = join(remote, "run1");
    await writeFile(join(ws, "val.jsonl"), records(7, "val2"));
    const run = await wlPush(["--run", join(first.paths.run_dir, "run.json"), "--remote-dir", dir]);
    expect(run.exitCode).toBe(0);
    const push = run.doc.push;
    expect(push?.files.map((file) => file.action)).toEqual([
      "skipped",
      "uploaded",
      "skipped",
      "skipped",
    ]);
    expect(push?.bytes_uploaded).toBe(Buffer.byteLength(records(7, "val2")));
    expect(await readFile(join(dir, "data/val.jsonl"), "utf8")).toBe(records(7, "val2"));
    await expectProof(dir, NAMES);
  });

  it("a trainer file changed on the host is restored by the next push", async () => {
    const dir = join(remote, "run1");
    await rm(join(dir, "trainer/wl_trainer/data/render.py"));
    await writeFile(join(dir, "trainer/requirements.txt"), "tampered\n");
    const run = await wlPush(["--run", join(first.paths.run_dir, "run.json"), "--remote-dir", dir]);
    expect(run.exitCode).toBe(0);
    expect(run.doc.push?.bytes_uploaded).toBe(0);
    for (const name of TRAINER_FILES) {
      const there = await readFile(join(dir, "trainer", name));
      expect(there.equals(await readFile(join(trainer, name)))).toBe(true);
    }
    await expectProof(dir, NAMES);
  });

  it("a connection dropped mid-upload reconnects and sends only what had not arrived", async () => {
    const dir = join(remote, "dropped");
    const sub = join(ws, "dropped");
    await mkdir(sub, { recursive: true });
    await writeFile(join(sub, "train.jsonl"), records(20, "small"));
    const big = randomBytes(300_000).toString("hex");
    await writeFile(join(sub, "val.jsonl"), `${JSON.stringify({ text: big })}\n`);
    const relay = await droppingRelay(direct.port, 200_000);
    try {
      const cfg = await writeConfig(join(sub, "wl.yaml"), direct, relay.port);
      const run = await wlPush(["--config", cfg, "--remote-dir", dir]);
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.lines.filter((line) => line.includes("reconnecting"))).toHaveLength(1);
      // train.jsonl arrived before the cut: the second attempt skipped it.
      expect(run.lines.filter((line) => line.includes("uploading data/train.jsonl"))).toHaveLength(
        1,
      );
      expect(run.lines.filter((line) => line.includes("uploading data/val.jsonl"))).toHaveLength(2);
      expect(run.doc.push?.files.every((file) => file.action === "uploaded")).toBe(true);
      await expectProof(dir, NAMES);
      expect((await readdir(join(dir, "data"))).sort()).toEqual(["train.jsonl", "val.jsonl"]);
    } finally {
      relay.server.close();
    }
  });

  it("gateway mode (pod.ssh, exec only): the same push through an sshd without sftp", async () => {
    const dir = join(remote, "gateway");
    const { push: _push, ...doc } = first;
    const pod = {
      id: "pod1",
      ssh: { host: "127.0.0.1", port: gateway.port, user, mode: "gateway", key: gateway.userKey },
    };
    const input = JSON.stringify({ ...doc, pod });
    // Given as ~/…: the host's home is asked for, so the folder is absolute in the document.
    const tilde = `~/${relative(userInfo().homedir, dir)}`;
    const run = await wlPush(["--remote-dir", tilde], { input });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.doc.push?.remote_dir).toMatch(/^\//);
    expect(resolve(run.doc.push?.remote_dir ?? "")).toBe(dir);
    expect(run.doc.push?.host).toEqual({
      host: "127.0.0.1",
      port: gateway.port,
      user,
      mode: "gateway",
    });
    expect(run.doc.push?.files.every((file) => file.action === "uploaded")).toBe(true);
    await expectProof(dir, NAMES);
    for (const name of TRAINER_FILES) {
      const there = await readFile(join(dir, "trainer", name));
      expect(there.equals(await readFile(join(trainer, name)))).toBe(true);
    }
    const again = await wlPush(["--remote-dir", tilde], { input });
    expect(again.exitCode).toBe(0);
    expect(again.doc.push?.bytes_uploaded).toBe(0);
  });

  it("a changed host key: one clear error, a failed document, exit 1", async () => {
    const other = await makeKey(join(ws, "other_host_key"));
    const pub = (await readFile(`${other}.pub`, "utf8")).split(" ").slice(0, 2).join(" ");
    const knownHosts = join(ws, "pinned_other");
    await writeFile(knownHosts, `[127.0.0.1]:${direct.port} ${pub}\n`);
    const run = await wlPush(["--config", config, "--remote-dir", join(remote, "x")], {
      env: { WL_KNOWN_HOSTS: knownHosts },
    });
    expect(run.exitCode).toBe(1);
    expect(run.doc.status).toBe("failed");
    expect(run.doc.error).toMatchObject({ step: "wl-push", code: "ssh_host_key_changed" });
    expect(run.doc.error?.fix).toMatch(/delete line 1/);
    expect(run.doc.push).toBeUndefined();
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^\[WL-PUSH\] ❌ ERROR: host key of .* changed/);
  });

  it("an unreachable host: one clear error after the attempts, a failed document, exit 1", async () => {
    const closed = await writeConfig(join(ws, "closed.yaml"), direct, await freePort());
    const run = await wlPush(["--config", closed, "--attempts", "2"]);
    expect(run.exitCode).toBe(1);
    expect(run.doc.error).toMatchObject({ step: "wl-push", code: "ssh_connection_refused" });
    expect(run.errors).toHaveLength(1);
    expect(run.lines.some((line) => line.includes("reconnecting"))).toBe(true);
  });

  it("no host anywhere: one line saying where a host comes from", async () => {
    const none = await writeConfig(join(ws, "none.yaml"), undefined);
    const run = await wlPush(["--config", none]);
    expect(run.exitCode).toBe(1);
    expect(run.doc.error).toMatchObject({ step: "wl-push", code: "push.no_host" });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/no pod\.ssh .* no compute\.ssh → fix: set compute\.ssh/);
  });

  it("a missing data file: one clear error before connecting", async () => {
    const missing = join(ws, "missing.yaml");
    await writeFile(
      missing,
      `model: {base: org/model}\ndata: {train: nope.jsonl}\ncompute: {ssh: {host: 127.0.0.1, port: ${await freePort()}}}\n`,
    );
    const run = await wlPush(["--config", missing]);
    expect(run.exitCode).toBe(1);
    expect(run.doc.error).toMatchObject({ step: "wl-push", code: "push.data_missing" });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/the train data file .*nope\.jsonl cannot be read \(ENOENT\)/);
  });

  it("a document failed upstream passes on untouched, with its exit code", async () => {
    const failed = {
      ...first,
      push: undefined,
      status: "failed",
      error: { step: "wl-preflight", code: "x", message: "no data", fix: "add data", exit_code: 3 },
    };
    const run = await wlPush([], { input: JSON.stringify(failed) });
    expect(run.exitCode).toBe(3);
    expect(run.doc.error?.step).toBe("wl-preflight");
    expect(run.doc.push).toBeUndefined();
  });
});
