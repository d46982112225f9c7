import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { generatedFiles, REPO_DIR } from "../src/schemas/outputs.ts";

describe("generated schemas and docs", () => {
  it("are current (run `pnpm gen` after changing a zod schema)", async () => {
    for (const [path, expected] of await generatedFiles()) {
      const actual = await readFile(path, "utf8").catch(() => "(missing)");
      expect(actual, `${relative(REPO_DIR, path)} is stale: run pnpm gen`).toBe(expected);
    }
  });

  it("forbid unknown keys at every level of the config", async () => {
    const files = await generatedFiles();
    const schema = JSON.parse(
      [...files.entries()].find(([path]) =>
        path.endsWith("docs/schemas/config.schema.json"),
      )?.[1] ?? "{}",
    );
    const objects: unknown[] = [];
    const walk = (node: unknown) => {
      if (node === null || typeof node !== "object") return;
      const record = node as Record<string, unknown>;
      if (record.type === "object" && record.properties) objects.push(record.additionalProperties);
      for (const value of Object.values(record)) walk(value);
    };
    walk(schema);
    expect(objects.length).toBeGreaterThan(10);
    expect(new Set(objects)).toEqual(new Set([false]));
  });
});
