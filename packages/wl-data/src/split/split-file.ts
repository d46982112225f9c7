// train / val split of a JSONL file, deterministic by seed: within each group (one group, or one
// per system prompt with --stratify system) the records with the lowest seeded hashes go to val —
// round(n × ratio) in all, shared out by largest remainder — so every persona keeps its share in
// both files. Two streamed passes: hashes first, then the records to train.jsonl and val.jsonl
// (both written atomically).
import { join, resolve } from "node:path";
import { WlError } from "@wl/core";
import { systemPromptOf } from "../formats/system-prompt.ts";
import { AtomicFile } from "../jsonl/atomic-file.ts";
import { isBlank, readLines } from "../jsonl/lines.ts";
import { readRecords } from "../jsonl/records.ts";
import { sha256File } from "../jsonl/sha256.ts";
import { recordHash } from "./record-hash.ts";

/** What to stratify by. */
export type Stratify = "system";

/** How to split. */
export interface SplitOptions {
  valRatio: number;
  seed: number;
  stratify?: Stratify;
  /** Folder of train.jsonl and val.jsonl. */
  outDir: string;
}

/** One output file. */
export interface SplitPart {
  file: string;
  records: number;
  sha256: string;
}

/** What a split wrote. */
export interface SplitResult {
  train: SplitPart;
  val: SplitPart;
  seed: number;
  val_ratio: number;
  stratify: Stratify | null;
  /** Records per group in each file (stratified splits: group = system prompt). */
  groups: Record<string, { train: number; val: number }>;
}

/** The group of every record and its hash, in file order. */
interface Keys {
  hashes: number[];
  groups: number[];
  names: string[];
}

/** Splits `file` into train.jsonl and val.jsonl under options.outDir. */
export async function splitFile(file: string, options: SplitOptions): Promise<SplitResult> {
  const keys = await readKeys(file, options);
  const toVal = chooseVal(keys, options.valRatio);
  const dir = resolve(options.outDir);
  const train = await AtomicFile.open(join(dir, "train.jsonl"));
  const val = await AtomicFile.open(join(dir, "val.jsonl"));
  const groups = Object.fromEntries(keys.names.map((name) => [name, { train: 0, val: 0 }]));
  try {
    let index = 0;
    // The first pass proved every non-blank line a valid record: copy them, in order, unparsed.
    for await (const { bytes } of readLines(file)) {
      if (isBlank(bytes)) continue;
      const chosen = toVal[index] === 1;
      const counts = groups[keys.names[keys.groups[index] ?? 0] ?? ""];
      if (counts) counts[chosen ? "val" : "train"] += 1;
      const pending = (chosen ? val : train).writeLine(bytes.toString("utf8"));
      if (pending) await pending;
      index += 1;
    }
    await train.commit();
    await val.commit();
  } finally {
    await train.abort();
    await val.abort();
  }
  const count = (part: "train" | "val") =>
    Object.values(groups).reduce((sum, group) => sum + group[part], 0);
  return {
    train: { file: train.path, records: count("train"), sha256: await sha256File(train.path) },
    val: { file: val.path, records: count("val"), sha256: await sha256File(val.path) },
    seed: options.seed,
    val_ratio: options.valRatio,
    stratify: options.stratify ?? null,
    groups,
  };
}

/** First pass: every record's hash and group; an invalid record stops the split. */
async function readKeys(file: string, options: SplitOptions): Promise<Keys> {
  const keys: Keys = { hashes: [], groups: [], names: [] };
  const groupIndex = new Map<string, number>();
  for await (const record of readRecords(file)) {
    if (record.value === undefined) {
      throw new WlError(
        "data.invalid",
        `${file}:${record.line}: ${record.problem.reason}: ${record.problem.detail}`,
        `split takes valid records: wl-data validate ${file} --quarantine BAD.jsonl --out GOOD.jsonl first`,
      );
    }
    const name = options.stratify === "system" ? systemPromptOf(record.value) : "all";
    let group = groupIndex.get(name);
    if (group === undefined) {
      group = keys.names.push(name) - 1;
      groupIndex.set(name, group);
    }
    keys.groups.push(group);
    keys.hashes.push(recordHash(record.text, options.seed));
  }
  if (keys.hashes.length === 0) {
    throw new WlError(
      "data.empty",
      `no records in ${file}`,
      "point at a JSONL file with one record per line",
    );
  }
  return keys;
}

/** 1 for each record that goes to val: each group's quota of its lowest hashes. */
function chooseVal(keys: Keys, ratio: number): Uint8Array {
  const members: number[][] = keys.names.map(() => []);
  for (const [index, group] of keys.groups.entries()) members[group]?.push(index);
  const quotas = valQuotas(
    members.map((indexes) => indexes.length),
    ratio,
  );
  const toVal = new Uint8Array(keys.hashes.length);
  for (const [group, indexes] of members.entries()) {
    indexes.sort((a, b) => (keys.hashes[a] ?? 0) - (keys.hashes[b] ?? 0) || a - b);
    for (const index of indexes.slice(0, quotas[group])) toVal[index] = 1;
  }
  return toVal;
}

/** How many records of each group go to val: round(total × ratio) in all, shared out by largest
 * remainder, so every group keeps its share and the total is exact. */
export function valQuotas(sizes: readonly number[], ratio: number): number[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const exact = sizes.map((size) => size * ratio);
  const quotas = exact.map(Math.floor);
  let left = Math.round(total * ratio) - quotas.reduce((sum, quota) => sum + quota, 0);
  const byRemainder = exact
    .map((value, group) => ({ group, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.group - b.group);
  for (const { group } of byRemainder) {
    if (left <= 0) break;
    if ((quotas[group] ?? 0) < (sizes[group] ?? 0)) {
      quotas[group] = (quotas[group] ?? 0) + 1;
      left -= 1;
    }
  }
  return quotas;
}
