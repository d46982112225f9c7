// `wl-data stats FILE…`: records, turns, characters, the persona mix and tool use — as text for
// people, or with --json as one JSON object.
import { FORMAT_CHOICES, type FormatChoice } from "../formats/format.ts";
import type { FileCommand } from "../frame/file-command.ts";
import { checkInteger } from "../frame/option-checks.ts";
import { collectStats } from "../stats/collect-stats.ts";
import { statsText } from "../stats/stats-text.ts";

/** Options of stats. */
export interface StatsCommandOptions {
  files: string[];
  format: FormatChoice;
  top: number;
  json: boolean;
}

/** stats: facts about datasets; invalid records are counted, not described. */
export const statsCommand: FileCommand<StatsCommandOptions> = {
  name: "stats",
  positionals: "<files..>",
  summary: "Describe datasets: records, turns, characters, system prompts, tool calls",
  options: (argv) =>
    argv
      .option("format", {
        choices: FORMAT_CHOICES,
        default: "auto" as FormatChoice,
        describe: "Record format; auto: the first record decides",
      })
      .option("top", { type: "number", default: 10, describe: "How many system prompts to list" })
      .option("json", {
        type: "boolean",
        default: false,
        describe: "One JSON object on stdout instead of text",
      }),
  act: async (options, { report }) => {
    const stats = await collectStats(options.files, {
      format: options.format,
      top: checkInteger("--top", options.top, 1),
    });
    if (stats.invalid > 0) {
      report.warning(`${stats.invalid} invalid records are not counted`, {
        fix: `see which with wl-data validate ${options.files.join(" ")}`,
      });
    }
    return options.json ? { result: stats } : { text: statsText(stats) };
  },
};
