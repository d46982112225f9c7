// `wl-data convert FILE --out OUT`: alpaca or ShareGPT (or chat) records → checked chat JSONL.
import type { FormatChoice } from "../formats/format.ts";
import { FORMAT_CHOICES } from "../formats/format.ts";
import type { FileCommand } from "../frame/file-command.ts";
import { toChat } from "../screen/rules.ts";
import { screenFiles } from "../screen/screen-files.ts";

/** Options of convert. */
export interface ConvertOptions {
  file: string;
  out: string;
  format: FormatChoice;
  quarantine?: string;
}

/** convert: every record to chat; invalid ones fail it, or go to --quarantine. */
export const convertCommand: FileCommand<ConvertOptions> = {
  name: "convert",
  positionals: "<file>",
  summary: "Convert alpaca or ShareGPT records to chat JSONL (checked like validate)",
  options: (argv) =>
    argv
      .option("out", {
        type: "string",
        demandOption: true,
        describe: "The chat JSONL file to write",
      })
      .option("format", {
        choices: FORMAT_CHOICES,
        default: "auto" as FormatChoice,
        describe: "Input format; auto: the first record decides",
      })
      .option("quarantine", {
        type: "string",
        describe: "Set invalid records aside in FILE and go on",
      }),
  act: async (options, { report }) => {
    const { result, failure } = await screenFiles([options.file], {
      format: options.format,
      rule: toChat,
      invalid: "fail",
      out: options.out,
      report,
      ...(options.quarantine !== undefined ? { quarantine: options.quarantine } : {}),
    });
    return { result, ...(failure ? { failure } : {}) };
  },
};
