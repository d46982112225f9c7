// `wl-data example weather --out DIR`: the generated weather tool-use dataset, split 90/10 by
// persona, with a JSON summary on stdout.

import { writeWeatherExample } from "../example/write-example.ts";
import type { FileCommand } from "../frame/file-command.ts";
import { checkInteger, checkRatio } from "../frame/option-checks.ts";

/** Options of example. */
export interface ExampleCommandOptions {
  name: "weather";
  n: number;
  seed: number;
  out: string;
  valRatio: number;
}

/** example: writes an example dataset. */
export const exampleCommand: FileCommand<ExampleCommandOptions> = {
  name: "example",
  positionals: "<name>",
  summary: "Write an example dataset (weather: multi-turn tool-use conversations with personas)",
  options: (argv) =>
    argv
      .positional("name", { choices: ["weather"] as const, describe: "Which example" })
      .option("n", { type: "number", default: 16_000, describe: "How many conversations" })
      .option("seed", {
        type: "number",
        default: 42,
        describe: "Seed of the generator and of the split",
      })
      .option("out", {
        type: "string",
        demandOption: true,
        describe: "Folder for train.jsonl and val.jsonl",
      })
      .option("val-ratio", {
        type: "number",
        default: 0.1,
        describe: "Share of conversations for val",
      }),
  act: async (options, { report }) => {
    const result = await writeWeatherExample({
      n: checkInteger("--n", options.n, 1),
      seed: checkInteger("--seed", options.seed, 0),
      valRatio: checkRatio("--val-ratio", options.valRatio),
      outDir: options.out,
    });
    report.success(
      `wrote the weather example: ${result.train.records} train, ${result.val.records} val conversations in ${options.out}`,
      { event: "data.example" },
    );
    return { result };
  },
};
