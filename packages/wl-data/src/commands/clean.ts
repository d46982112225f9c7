// `wl-data clean FILE --out OUT`: the app's alpaca cleanup — keep instruction, input and output,
// drop (and count, by reason) the records missing an instruction or an output, and refuse to
// leave nothing.
import type { FileCommand } from "../frame/file-command.ts";
import { alpacaCleanup } from "../screen/rules.ts";
import { screenFiles } from "../screen/screen-files.ts";

/** Options of clean. */
export interface CleanOptions {
  file: string;
  out: string;
  quarantine?: string;
}

/** clean: alpaca records in, alpaca records with three fields out; samples_used counted. */
export const cleanCommand: FileCommand<CleanOptions> = {
  name: "clean",
  positionals: "<file>",
  summary:
    "Clean alpaca records: keep instruction/input/output, drop those missing instruction or output",
  options: (argv) =>
    argv
      .option("out", {
        type: "string",
        demandOption: true,
        describe: "The cleaned alpaca JSONL file to write",
      })
      .option("quarantine", {
        type: "string",
        describe: "Keep the dropped records in FILE, with line and reason",
      }),
  act: async (options, { report }) => {
    const { result, failure } = await screenFiles([options.file], {
      format: "auto",
      rule: alpacaCleanup,
      invalid: "drop",
      out: options.out,
      report,
      ...(options.quarantine !== undefined ? { quarantine: options.quarantine } : {}),
    });
    const cleaned = {
      ok: result.ok,
      file: options.file,
      records: result.records,
      samples_used: result.kept,
      dropped: {
        count: result.invalid,
        reasons: result.reasons,
        ...(result.quarantine_file ? { quarantine_file: result.quarantine_file } : {}),
      },
      ...(result.out ? { out: result.out } : {}),
    };
    return { result: cleaned, ...(failure ? { failure } : {}) };
  },
};
