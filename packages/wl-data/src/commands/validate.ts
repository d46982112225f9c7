// `wl-data validate FILE…` checks files and prints a JSON report; `wl-data validate` without FILE
// works in a pipe (the core tool frame): it checks the run's data and records the `data` section.
import { runTool, type ToolIO, type ToolSpec, WlError } from "@wl/core";
import yargs from "yargs";
import { FORMAT_CHOICES, type FormatChoice } from "../formats/format.ts";
import { type FileCommand, runFileCommand } from "../frame/file-command.ts";
import { validateRunData } from "../pipe/validate-run-data.ts";
import { toChat } from "../screen/rules.ts";
import { screenFiles } from "../screen/screen-files.ts";

/** Options of validate on files. */
export interface ValidateFilesOptions {
  files: string[];
  format: FormatChoice;
  out?: string;
  quarantine?: string;
}

/** Options of validate in a pipe. */
export interface ValidatePipeOptions {
  format?: FormatChoice;
  quarantine?: string;
}

const FORMAT_HELP =
  "Record format; auto: the first record decides (messages, conversations or instruction)";

/** validate FILE…: a report on stdout; exit 1 on any invalid record unless --quarantine. */
export const validateFilesCommand: FileCommand<ValidateFilesOptions> = {
  name: "validate",
  positionals: "<files..>",
  summary: "Check every record of JSONL files (chat, alpaca, ShareGPT), with line numbers",
  epilogue: [
    "Without FILE, validate works in a pipe: it checks the run's data.train and data.val (else the",
    "config's), from a run document on stdin, --run FILE or a new run from --config FILE ($WL_CONFIG,",
    "./wl.yaml; --set, --runs-dir), and writes the document with its data section to stdout.",
    "There, --quarantine takes an optional FILE (default runs/<id>/data/quarantine.jsonl).",
  ].join(" "),
  options: (argv) =>
    argv
      .option("format", {
        choices: FORMAT_CHOICES,
        default: "auto" as FormatChoice,
        describe: FORMAT_HELP,
      })
      .option("quarantine", {
        type: "string",
        describe:
          "Set invalid records aside in FILE ({file, line, reason, detail, record} lines) and go on",
      })
      .option("out", {
        type: "string",
        describe: "Write the valid records, as chat, to FILE (one input FILE)",
      }),
  act: async (options, { report }) => {
    if (options.out !== undefined && options.files.length > 1) {
      throw new WlError(
        "usage",
        `--out takes one input file, got ${options.files.length}`,
        "validate the files one at a time, each with its own --out",
      );
    }
    if (options.quarantine === "") {
      throw new WlError(
        "usage",
        "--quarantine needs a FILE when validating files",
        "pass --quarantine bad.jsonl",
      );
    }
    const { result, failure } = await screenFiles(options.files, {
      format: options.format,
      rule: toChat,
      invalid: "fail",
      report,
      ...(options.out !== undefined ? { out: options.out } : {}),
      ...(options.quarantine !== undefined ? { quarantine: options.quarantine } : {}),
    });
    return { result, ...(failure ? { failure } : {}) };
  },
};

/** validate in a pipe: the run's data.train / data.val (else the config's) → the `data` section. */
export const validateTool: ToolSpec<ValidatePipeOptions> = {
  tool: "wl-data",
  summary: "validate: every record of the run's data, with line numbers",
  startsPipe: true,
  options: (argv) =>
    argv
      .option("format", {
        choices: FORMAT_CHOICES,
        describe: `${FORMAT_HELP} (default: the config's data.format)`,
      })
      .option("quarantine", {
        type: "string",
        describe:
          "Set invalid records aside in FILE (no FILE: runs/<id>/data/quarantine.jsonl); the rest go on",
      }),
  act: (doc, { options, report }) =>
    validateRunData(doc, {
      report,
      ...(options.format !== undefined ? { format: options.format } : {}),
      ...(options.quarantine !== undefined ? { quarantine: options.quarantine } : {}),
    }),
};

/** Runs validate: on the files named, or — with none — in a pipe; --help describes both. */
export function runValidate(io: ToolIO): Promise<number> {
  const fileMode = namesFiles(io.argv) || io.argv.includes("--help");
  return fileMode ? runFileCommand(validateFilesCommand, io) : runTool(validateTool, io);
}

/** True when argv has a positional argument (a FILE), options and their values aside. */
function namesFiles(argv: readonly string[]): boolean {
  const parsed = yargs([...argv])
    .help(false)
    .version(false)
    .boolean(["debug", "help"])
    .string(["format", "quarantine", "out", "config", "run", "runs-dir", "log-format"])
    .array("set")
    .parseSync();
  return parsed._.length > 0;
}
