// `wl-data build --from CMD|FILE`: first in a pipe (with the config) or reading the document —
// runs the dataset builder, cleans / converts / validates what it made, and records `data`.
import type { ToolSpec } from "@wl/core";
import { FORMAT_CHOICES, type FormatChoice } from "../formats/format.ts";
import { checkInteger, checkRatio } from "../frame/option-checks.ts";
import { buildRunData } from "../pipe/build-run-data.ts";
import type { Stratify } from "../split/split-file.ts";

/** Options of build. */
export interface BuildCommandOptions {
  from: string;
  shell: boolean;
  output?: string;
  format?: FormatChoice;
  /** yargs also sets valRatio, but its types know only the dashed name. */
  "val-ratio": number;
  seed?: number;
  stratify?: Stratify;
  strict: boolean;
}

/** build: the builder's records become the run's data. */
export const buildTool: ToolSpec<BuildCommandOptions> = {
  tool: "wl-data",
  summary: "build: run the dataset builder, then clean, convert and validate what it made",
  startsPipe: true,
  options: (argv) =>
    argv
      .option("from", {
        type: "string",
        demandOption: true,
        describe: "The builder command line (its stdout is the dataset), or a .jsonl file",
      })
      .option("shell", {
        type: "boolean",
        default: false,
        describe: "Run --from through the shell",
      })
      .option("output", {
        type: "string",
        describe: "The file the builder writes, instead of its stdout",
      })
      .option("format", {
        choices: FORMAT_CHOICES,
        describe: "Record format (default: the config's data.format)",
      })
      .option("val-ratio", {
        type: "number",
        default: 0,
        describe: "Split this share off as val (0: none)",
      })
      .option("seed", {
        type: "number",
        describe: "Seed of the split (default: the config's training.seed)",
      })
      .option("stratify", {
        choices: ["system"] as const,
        describe: "Keep each system prompt's share in both splits",
      })
      .option("strict", {
        type: "boolean",
        default: false,
        describe: "Fail on any bad record instead of setting it aside",
      }),
  act: (doc, { options, report, env }) =>
    buildRunData(doc, {
      from: options.from,
      shell: options.shell,
      ...(options.output !== undefined ? { output: options.output } : {}),
      ...(options.format !== undefined ? { format: options.format } : {}),
      valRatio: checkRatio("--val-ratio", options["val-ratio"], true),
      seed: checkInteger("--seed", options.seed ?? doc.config?.resolved.training.seed ?? 42, 0),
      ...(options.stratify ? { stratify: options.stratify } : {}),
      strict: options.strict,
      cwd: process.cwd(),
      env,
      report,
    }),
};
