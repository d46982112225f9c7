// TypeScript and the Python trainer give every fixture config the same verdict: valid/ passes in
// both, invalid/ fails in both. The trainer validates against the JSON Schema generated from zod.
import { readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findTrainerPython, loadConfig, runTrainer } from "../src/index.ts";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "configs");
const python = findTrainerPython();
const cases = await Promise.all(
  (["valid", "invalid"] as const).map(async (verdict) =>
    (await readdir(join(FIXTURES, verdict)))
      .sort()
      .map((name) => ({ verdict, name, file: join(FIXTURES, verdict, name) })),
  ),
).then((groups) => groups.flat());

async function tsVerdict(file: string): Promise<"valid" | "invalid"> {
  return loadConfig(file).then(
    () => "valid",
    () => "invalid",
  );
}

describe("config verdicts", () => {
  it.each(cases)("TypeScript: $verdict/$name", async ({ verdict, file }) => {
    expect(await tsVerdict(file)).toBe(verdict);
  });

  it.skipIf(!python).each(cases)("Python agrees: $verdict/$name", async ({ verdict, file }) => {
    const run = await runTrainer(python ?? "", ["validate-config", file]);
    expect(run.exitCode === 0 ? "valid" : "invalid", run.stderr).toBe(verdict);
    if (verdict === "invalid") {
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(/❌ ERROR: .* → fix: /);
      expect(run.stderr).not.toContain("Traceback");
    }
  });
});
