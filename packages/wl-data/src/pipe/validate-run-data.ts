// `wl-data validate` in a pipe: checks the run's data (data.train / data.val of the document, else
// of the config). Chat files with no problem are trained on as they are; otherwise the records
// that go on are written as chat to runs/<id>/data/<split>.jsonl, and the document points there.
import { join, resolve } from "node:path";
import { type Reporter, type RunDoc, WlError } from "@wl/core";
import type { DataFormat, FormatChoice } from "../formats/format.ts";
import { AtomicFile } from "../jsonl/atomic-file.ts";
import { sha256File } from "../jsonl/sha256.ts";
import { addReasons, announceProblems, describeInvalid } from "../screen/announce.ts";
import { Quarantine } from "../screen/quarantine.ts";
import { toChat } from "../screen/rules.ts";
import { detectFileFormat, type ScreenReport, screenFile } from "../screen/screen-file.ts";
import { dataSection, mergeDropped, type SplitData } from "./data-section.ts";

/** Options of validate in a pipe. */
export interface ValidateRunOptions {
  /** --format; else the config's data.format. */
  format?: FormatChoice;
  /** --quarantine FILE; "" for runs/<id>/data/quarantine.jsonl; absent: invalid records fail. */
  quarantine?: string;
  report: Reporter;
}

type Split = "train" | "val";

/** A file to check: the file itself, what the user gave, and its format when already known. */
interface Input {
  file: string;
  source: string;
  format: FormatChoice;
}

/** One split after screening: the report, and the copy being written when one is needed. */
interface Screened {
  input: Input;
  format: DataFormat;
  report: ScreenReport;
  copy?: AtomicFile;
}

/** Validates the run's data and records the outcome in the document's `data` section. */
export async function validateRunData(doc: RunDoc, options: ValidateRunOptions): Promise<RunDoc> {
  const inputs = inputsOf(doc, options.format);
  const dataDir = join(doc.paths.run_dir, "data");
  const quarantine =
    options.quarantine === undefined
      ? undefined
      : await Quarantine.open(
          options.quarantine === ""
            ? join(dataDir, "quarantine.jsonl")
            : resolve(options.quarantine),
        );
  const screened: Partial<Record<Split, Screened>> = {};
  try {
    for (const [split, input] of Object.entries(inputs) as [Split, Input][]) {
      screened[split] = await screenSplit(split, input, dataDir, quarantine);
    }
    const train = screened.train as Screened;
    for (const each of [train, screened.val])
      if (each) refuseFailures(each, quarantine, options.report);
    await quarantine?.commit();
    const trainData = await finish(train);
    const valData = screened.val ? await finish(screened.val) : undefined;
    const reasons = addReasons({ ...train.report.reasons }, screened.val?.report.reasons ?? {});
    const dropped = {
      count: train.report.invalid + (screened.val?.report.invalid ?? 0),
      reasons,
      ...(quarantine ? { quarantine_file: quarantine.path } : {}),
    };
    announce(options.report, [train, screened.val], dropped.count, quarantine?.path);
    const section = dataSection(trainData, valData, mergeDropped(doc.data?.dropped, dropped));
    return {
      ...doc,
      data: {
        ...section,
        sources: doc.data?.sources ?? section.sources,
        format: doc.data?.format ?? section.format,
      },
    };
  } finally {
    await quarantine?.abort();
    await screened.train?.copy?.abort();
    await screened.val?.copy?.abort();
  }
}

/** The files to check: the document's data section first, then the config's data. */
function inputsOf(doc: RunDoc, flag: FormatChoice | undefined): { train: Input; val?: Input } {
  if (doc.data) {
    const format = flag ?? "auto";
    const { train, val } = doc.data;
    return {
      train: { file: train, source: doc.data.sources.train, format },
      ...(val ? { val: { file: val, source: doc.data.sources.val ?? val, format } } : {}),
    };
  }
  const data = doc.config?.resolved.data;
  if (!data) {
    throw new WlError(
      "data.none",
      "the run document names no data: no data section and no config",
      "start the pipe with --config FILE (data.train), or with wl-data build",
    );
  }
  const format = flag ?? data.format;
  return {
    train: { file: data.train, source: data.train, format },
    ...(data.val ? { val: { file: data.val, source: data.val, format } } : {}),
  };
}

/** Screens one split; records go to a copy in the run folder unless the file can be used as is. */
async function screenSplit(
  split: Split,
  input: Input,
  dataDir: string,
  quarantine: Quarantine | undefined,
): Promise<Screened> {
  const format =
    input.format === "auto" ? ((await detectFileFormat(input.file)) ?? "chat") : input.format;
  const copy =
    quarantine || format !== "chat"
      ? await AtomicFile.open(join(dataDir, `${split}.jsonl`))
      : undefined;
  const report = await screenFile(input.file, {
    format,
    rule: toChat,
    ...(copy ? { keep: copy } : {}),
    ...(quarantine ? { quarantine } : {}),
  });
  return { input, format, report, ...(copy ? { copy } : {}) };
}

/** Invalid records without a quarantine, or nothing left: the step fails, nothing is written. */
function refuseFailures(
  screened: Screened,
  quarantine: Quarantine | undefined,
  report: Reporter,
): void {
  const { file, invalid, records, reasons, kept } = screened.report;
  if (invalid > 0) announceProblems(report, screened.report);
  if (invalid > 0 && !quarantine) {
    throw new WlError(
      "data.invalid",
      describeInvalid(invalid, records, `invalid in ${file}`, reasons),
      "repair the lines listed above, or set them aside: wl-data validate --quarantine [FILE]",
    );
  }
  if (kept === 0) {
    const why = records === 0 ? "it has no records" : `all ${records} records were set aside`;
    throw new WlError(
      "data.empty",
      `nothing left in ${file}: ${why}`,
      "point the config's data at a JSONL file with valid records",
    );
  }
}

/** Puts the split's copy in place (or drops it when the file can be used as is) and hashes it. */
async function finish(screened: Screened): Promise<SplitData> {
  const { input, format, report, copy } = screened;
  let file = resolve(input.file);
  if (copy && (format !== "chat" || report.invalid > 0)) {
    await copy.commit();
    file = copy.path;
  } else await copy?.abort();
  const base = { source: input.source, format, records: report.kept };
  return { ...base, file, sha256: await sha256File(file) };
}

function announce(
  report: Reporter,
  splits: readonly (Screened | undefined)[],
  setAside: number,
  quarantinePath: string | undefined,
): void {
  for (const screened of splits) {
    if (!screened) continue;
    const { file, records, invalid, reasons } = screened.report;
    const { format } = screened;
    if (invalid === 0) {
      report.success(`${file} (${format}): ${records} records, all valid`, { event: "data.file" });
    } else {
      const what = `set aside in ${quarantinePath}`;
      report.warning(`${file} (${format}): ${describeInvalid(invalid, records, what, reasons)}`, {
        event: "data.file",
      });
    }
  }
  const [train, val] = splits;
  const counts = `${train?.report.kept ?? 0} train${val ? `, ${val.report.kept} val` : ""} records`;
  report.success(`data ready: ${counts}, ${setAside} set aside`, {
    event: "data.done",
    data: { set_aside: setAside },
  });
}
