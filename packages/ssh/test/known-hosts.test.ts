// known_hosts parsing and checks, without a network.
import { createHmac, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkHostKey,
  defaultKnownHostsFile,
  fingerprint,
  keyTypeOf,
  parseKnownHosts,
  pinHostKey,
} from "../src/known-hosts.ts";
import { removeTempDirs, tempDir } from "./sshd.ts";

/** A fake public-key blob of `type` (SSH wire format: a length-prefixed type, then bytes). */
function blob(type: string, seed = randomBytes(32)): Buffer {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, seed]);
}

afterAll(removeTempDirs);

describe("known_hosts", () => {
  const key = blob("ssh-ed25519");
  const other = blob("ssh-ed25519");

  it("defaults under the XDG config folder, and $WL_KNOWN_HOSTS overrides it", () => {
    expect(defaultKnownHostsFile({ XDG_CONFIG_HOME: "/c" })).toBe("/c/wl/known_hosts");
    expect(defaultKnownHostsFile({ WL_KNOWN_HOSTS: "/k", XDG_CONFIG_HOME: "/c" })).toBe("/k");
  });

  it("reads the key type and the fingerprint of a blob", () => {
    expect(keyTypeOf(key)).toBe("ssh-ed25519");
    expect(fingerprint(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it.each([
    [
      "known",
      `# c\n[h]:2222 ssh-ed25519 ${key.toString("base64")}\n`,
      { status: "known", line: 2 },
    ],
    ["unknown", `other ssh-ed25519 ${other.toString("base64")}\n`, { status: "unknown" }],
    [
      "changed",
      `\n[h]:2222 ssh-ed25519 ${other.toString("base64")}\n`,
      { status: "changed", line: 2, pinnedType: "ssh-ed25519" },
    ],
    [
      "revoked",
      `@revoked [h]:2222 ssh-ed25519 ${key.toString("base64")}\n`,
      { status: "revoked", line: 1 },
    ],
    [
      "in a list",
      `a,[h]:2222,b ssh-ed25519 ${key.toString("base64")}\n`,
      { status: "known", line: 1 },
    ],
  ])("%s", (_name, text, expected) => {
    expect(checkHostKey(parseKnownHosts(text), "[h]:2222", key)).toEqual(expected);
  });

  it("matches OpenSSH's hashed host names", () => {
    const salt = randomBytes(20);
    const hash = createHmac("sha1", salt).update("[h]:2222").digest("base64");
    const text = `|1|${salt.toString("base64")}|${hash} ssh-ed25519 ${key.toString("base64")}\n`;
    expect(checkHostKey(parseKnownHosts(text), "[h]:2222", key)).toEqual({
      status: "known",
      line: 1,
    });
  });

  it("pins once, keeping what the file already holds", async () => {
    const file = join(await tempDir(), "sub", "known_hosts");
    await pinHostKey(file, "[h]:2222", key);
    await pinHostKey(file, "[h]:2222", key);
    await writeFile(file, `${await readFile(file, "utf8")}# mine`);
    await pinHostKey(file, "other", other);
    const entries = parseKnownHosts(await readFile(file, "utf8"));
    expect(entries.map((e) => [e.line, e.hosts])).toEqual([
      [1, "[h]:2222"],
      [3, "other"],
    ]);
  });
});
