// data/weather is what `wl-data example weather --n 16000 --seed 42` writes, byte for byte, as its
// README promises; a change to the generator or the split must regenerate it.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { writeWeatherExample } from "../src/example/write-example.ts";
import { removeTempDirs, tempDir } from "./helpers.ts";

const DATA = fileURLToPath(new URL("../../../data/weather", import.meta.url));

afterAll(removeTempDirs);

async function sha256(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

describe("the committed weather dataset", () => {
  it("is exactly what the generator writes, and the samples are its first lines", async () => {
    const out = await tempDir();
    await writeWeatherExample({ n: 16_000, seed: 42, valRatio: 0.1, outDir: out });
    for (const split of ["train", "val"]) {
      expect(await sha256(join(out, `${split}.jsonl`)), split).toBe(
        await sha256(join(DATA, `${split}.jsonl`)),
      );
    }
    for (const [sample, full, lines] of [
      ["sample-train.jsonl", "train.jsonl", 180],
      ["sample-val.jsonl", "val.jsonl", 20],
    ] as const) {
      const head = (await readFile(join(DATA, full), "utf8")).split("\n").slice(0, lines);
      expect(await readFile(join(DATA, sample), "utf8"), sample).toBe(`${head.join("\n")}\n`);
    }
  });
});
