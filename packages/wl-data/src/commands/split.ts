// `wl-data split FILE --out DIR`: train.jsonl + val.jsonl, deterministic by seed, stratified by
// system prompt on request.
import type { FileCommand } from "../frame/file-command.ts";
import { checkInteger, checkRatio } from "../frame/option-checks.ts";
import { type Stratify, splitFile } from "../split/split-file.ts";

/** Options of split. */
export interface SplitCommandOptions {
  file: string;
  out: string;
  valRatio: number;
  seed: number;
  stratify?: Stratify;
}

/** split: a seeded, content-keyed train/val split written atomically. */
export const splitCommand: FileCommand<SplitCommandOptions> = {
  name: "split",
  positionals: "<file>",
  summary: "Split a JSONL file into train.jsonl and val.jsonl, deterministically by seed",
  options: (argv) =>
    argv
      .option("out", {
        type: "string",
        demandOption: true,
        describe: "Folder for train.jsonl and val.jsonl",
      })
      .option("val-ratio", { type: "number", default: 0.1, describe: "Share of records for val" })
      .option("seed", {
        type: "number",
        default: 42,
        describe: "Seed of the content hash that places each record",
      })
      .option("stratify", {
        choices: ["system"] as const,
        describe: "Keep each system prompt's (persona's) share in both files",
      }),
  act: async (options, { report }) => {
    const result = await splitFile(options.file, {
      valRatio: checkRatio("--val-ratio", options.valRatio),
      seed: checkInteger("--seed", options.seed, 0),
      outDir: options.out,
      ...(options.stratify ? { stratify: options.stratify } : {}),
    });
    const how = options.stratify
      ? `, stratified by system prompt (${Object.keys(result.groups).length} groups)`
      : "";
    report.success(
      `split ${options.file}: ${result.train.records} train, ${result.val.records} val (seed ${result.seed}${how})`,
      { event: "data.split" },
    );
    if (result.val.records === 0) {
      report.warning(
        `val.jsonl is empty: ${result.train.records} records × ${result.val_ratio} rounds to 0`,
        {
          fix: "raise --val-ratio or add records",
        },
      );
    }
    return { result };
  },
};
