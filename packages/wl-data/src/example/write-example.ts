// `wl-data example weather`: the generated weather conversations written as DIR/train.jsonl and
// DIR/val.jsonl, split like any dataset (seeded, stratified by system prompt, i.e. persona).
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { AtomicFile } from "../jsonl/atomic-file.ts";
import { type SplitResult, splitFile } from "../split/split-file.ts";
import { generateWeather } from "./weather.ts";

/** What to generate and where. */
export interface ExampleOptions {
  n: number;
  seed: number;
  valRatio: number;
  outDir: string;
}

/** What was written: the split, and the persona (system prompt) mix. */
export interface ExampleResult extends SplitResult {
  example: "weather";
  n: number;
}

/** Generates the weather example and splits it into train.jsonl and val.jsonl. */
export async function writeWeatherExample(options: ExampleOptions): Promise<ExampleResult> {
  const dir = resolve(options.outDir);
  const all = join(dir, `.weather-all.${process.pid}.jsonl`);
  const file = await AtomicFile.open(all);
  try {
    for (const record of generateWeather({ n: options.n, seed: options.seed })) {
      const pending = file.writeLine(JSON.stringify(record));
      if (pending) await pending;
    }
    await file.commit();
    const split = await splitFile(all, {
      valRatio: options.valRatio,
      seed: options.seed,
      stratify: "system",
      outDir: dir,
    });
    return { example: "weather", n: options.n, ...split };
  } finally {
    await file.abort();
    await rm(all, { force: true });
  }
}
