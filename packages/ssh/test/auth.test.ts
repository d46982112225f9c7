// Key paths, without a network (encrypted and wrong keys are in connect.test.ts, against sshd).
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandHome } from "../src/auth.ts";

describe("key paths", () => {
  it("expand a leading ~/ to the home folder, and nothing else", () => {
    expect(expandHome("~/.ssh/id")).toBe(join(homedir(), ".ssh/id"));
    expect(expandHome("/a/~/b")).toBe("/a/~/b");
  });
});
