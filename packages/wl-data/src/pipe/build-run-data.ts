// `wl-data build`: the daily app case. Runs the user's dataset builder (or takes a file), then
// cleans, converts and validates what it made, sets bad records aside in the run folder, splits
// off a validation set on request, and records it all in the document's `data` section.
import { existsSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { type Reporter, type RunDoc, WlError } from "@wl/core";
import { runBuilder } from "../build/run-builder.ts";
import type { DataFormat, FormatChoice } from "../formats/format.ts";
import { AtomicFile } from "../jsonl/atomic-file.ts";
import { sha256File } from "../jsonl/sha256.ts";
import { announceProblems, describeInvalid } from "../screen/announce.ts";
import { describeReasons } from "../screen/problem.ts";
import { Quarantine } from "../screen/quarantine.ts";
import { toChat } from "../screen/rules.ts";
import { type ScreenReport, screenFile } from "../screen/screen-file.ts";
import { type Stratify, splitFile } from "../split/split-file.ts";
import { type Dropped, dataSection, type SplitData } from "./data-section.ts";

/** Options of build. */
export interface BuildOptions {
  /** A builder command line, or a .jsonl / .json data file. */
  from: string;
  shell: boolean;
  /** The file the builder writes (else its stdout). */
  output?: string;
  format?: FormatChoice;
  /** 0: no validation set. */
  valRatio: number;
  seed: number;
  stratify?: Stratify;
  /** Fail on any bad record instead of setting it aside. */
  strict: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  report: Reporter;
}

const DATA_FILE = /^\.jsonl?$/i;

/** Builds the run's data and records it in the document. */
export async function buildRunData(doc: RunDoc, options: BuildOptions): Promise<RunDoc> {
  const dataDir = join(doc.paths.run_dir, "data");
  const source = isDataFile(options.from, options.cwd)
    ? resolve(options.cwd, options.from)
    : await runBuilder({
        command: options.from,
        shell: options.shell,
        ...(options.output ? { output: options.output } : {}),
        stdoutFile: join(dataDir, "built.jsonl"),
        cwd: options.cwd,
        env: options.env,
        report: options.report,
      });
  const format = options.format ?? doc.config?.resolved.data.format ?? "auto";
  const { screened, dropped } = await cleanSource(source, format, dataDir, options);
  const sourceFormat = screened.format ?? "chat";
  const splits: { train: SplitData; val?: SplitData } =
    options.valRatio > 0
      ? await splitCleaned(dataDir, sourceFormat, options)
      : {
          train: await splitData(
            join(dataDir, "train.jsonl"),
            sourceFormat,
            screened.kept,
            options.from,
          ),
        };
  options.report.success(
    `data built: ${splits.train.records} train${splits.val ? `, ${splits.val.records} val` : ""} records from ${options.from}, ${dropped.count} set aside`,
    { event: "data.done", data: { set_aside: dropped.count } },
  );
  return { ...doc, data: dataSection(splits.train, splits.val, dropped) };
}

/** An existing .jsonl / .json file is data; anything else is a command. */
function isDataFile(from: string, cwd: string): boolean {
  const path = resolve(cwd, from);
  return DATA_FILE.test(extname(path)) && existsSync(path) && statSync(path).isFile();
}

/** Screens the built records into chat: clean.jsonl (to split) or train.jsonl. */
async function cleanSource(
  source: string,
  format: FormatChoice,
  dataDir: string,
  options: BuildOptions,
): Promise<{ screened: ScreenReport; dropped: Dropped }> {
  const target = join(dataDir, options.valRatio > 0 ? "clean.jsonl" : "train.jsonl");
  const out = await AtomicFile.open(target);
  const quarantine = options.strict
    ? undefined
    : await Quarantine.open(join(dataDir, "build-quarantine.jsonl"));
  try {
    const screened = await screenFile(source, {
      format,
      rule: toChat,
      keep: out,
      ...(quarantine ? { quarantine } : {}),
    });
    refuse(screened, options);
    await out.commit();
    if (quarantine && screened.invalid > 0) {
      await quarantine.commit();
      options.report.warning(
        describeInvalid(
          screened.invalid,
          screened.records,
          `set aside in ${quarantine.path}`,
          screened.reasons,
        ),
        { event: "data.file" },
      );
    }
    const dropped: Dropped = {
      count: screened.invalid,
      reasons: screened.reasons,
      ...(quarantine && screened.invalid > 0 ? { quarantine_file: quarantine.path } : {}),
    };
    return { screened, dropped };
  } finally {
    await out.abort();
    await quarantine?.abort();
  }
}

/** --strict with bad records, or nothing left: the step fails, nothing is written. */
function refuse(screened: ScreenReport, options: BuildOptions): void {
  const { invalid, records, reasons, kept } = screened;
  if (invalid > 0) announceProblems(options.report, screened);
  if (invalid > 0 && options.strict) {
    throw new WlError(
      "data.invalid",
      describeInvalid(invalid, records, `invalid in what ${options.from} built`, reasons),
      "repair the builder, or drop --strict to set bad records aside",
    );
  }
  if (kept > 0) return;
  if (records === 0) {
    throw new WlError(
      "data.empty",
      `nothing to train on: ${options.from} built no records`,
      options.output
        ? `check that the builder writes records to ${options.output}`
        : "make the builder print JSONL records on stdout, or pass --output FILE for the file it writes",
    );
  }
  throw new WlError(
    "data.empty",
    `nothing left: all ${records} records built by ${options.from} were set aside (${describeReasons(reasons)})`,
    "repair the builder's records (the lines above name the problems)",
  );
}

/** Splits clean.jsonl into train.jsonl and val.jsonl. */
async function splitCleaned(
  dataDir: string,
  format: DataFormat,
  options: BuildOptions,
): Promise<{ train: SplitData; val: SplitData }> {
  const clean = join(dataDir, "clean.jsonl");
  const result = await splitFile(clean, {
    valRatio: options.valRatio,
    seed: options.seed,
    outDir: dataDir,
    ...(options.stratify ? { stratify: options.stratify } : {}),
  });
  await rm(clean, { force: true });
  const part = (split: "train" | "val"): SplitData => ({
    source: options.from,
    format,
    ...result[split],
  });
  return { train: part("train"), val: part("val") };
}

async function splitData(
  file: string,
  format: DataFormat,
  records: number,
  source: string,
): Promise<SplitData> {
  return { source, format, file, records, sha256: await sha256File(file) };
}
