// What a model folder holds: a full Hugging Face model, a PEFT adapter, or neither (and why).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export type ModelDirKind =
  | { kind: "model"; weights: string[]; tokenizer: string[] }
  | { kind: "adapter"; base: string | undefined; weights: string }
  | { kind: "invalid"; reason: string; missing: string[] };

const TOKENIZER_SETS: readonly (readonly string[])[] = [
  ["tokenizer.json"],
  ["tokenizer.model"],
  ["vocab.json", "merges.txt"],
  ["vocab.txt"],
];
const SINGLE_WEIGHTS = ["model.safetensors", "pytorch_model.bin"];
const SHARD_INDEXES = ["model.safetensors.index.json", "pytorch_model.bin.index.json"];
const ADAPTER_WEIGHTS = ["adapter_model.safetensors", "adapter_model.bin"];

/** Classifies `dir`; an invalid folder says exactly which files are missing. */
export function classifyModelDir(dir: string): ModelDirKind {
  if (!existsSync(dir)) return invalid("does not exist", []);
  if (!statSync(dir).isDirectory()) return invalid("is not a folder", []);
  const has = (name: string) => existsSync(join(dir, name));
  if (has("adapter_config.json")) {
    const weights = ADAPTER_WEIGHTS.find(has);
    if (!weights)
      return invalid("is a PEFT adapter without weights", ["adapter_model.safetensors"]);
    return { kind: "adapter", base: adapterBase(join(dir, "adapter_config.json")), weights };
  }
  if (!has("config.json")) {
    return invalid(
      "is neither a Hugging Face model (no config.json) nor a PEFT adapter (no adapter_config.json)",
      ["config.json"],
    );
  }
  const tokenizer = TOKENIZER_SETS.find((set) => set.every(has));
  const weights = modelWeights(dir, has);
  const missing = [
    ...(tokenizer ? [] : ["tokenizer.json (or tokenizer.model)"]),
    ...(Array.isArray(weights) ? [] : [weights.missing]),
  ];
  if (missing.length > 0 || !tokenizer || !Array.isArray(weights)) {
    return invalid(`is an incomplete model: missing ${missing.join(", ")}`, missing);
  }
  return { kind: "model", weights, tokenizer: [...tokenizer] };
}

/** The weight files of a model, single or sharded (every shard named in the index must exist). */
function modelWeights(dir: string, has: (name: string) => boolean): string[] | { missing: string } {
  const single = SINGLE_WEIGHTS.find(has);
  if (single) return [single];
  const index = SHARD_INDEXES.find(has);
  if (!index) {
    const stray = readdirSync(dir).filter((name) => name.endsWith(".safetensors"));
    return stray.length > 0 ? stray : { missing: "model.safetensors (or a sharded index)" };
  }
  const shards = shardNames(join(dir, index));
  const absent = shards.filter((shard) => !has(shard));
  return absent.length === 0
    ? shards
    : { missing: `shards ${absent.join(", ")} named in ${index}` };
}

function shardNames(indexFile: string): string[] {
  try {
    const index = JSON.parse(readFileSync(indexFile, "utf8")) as {
      weight_map?: Record<string, string>;
    };
    return [...new Set(Object.values(index.weight_map ?? {}))].sort();
  } catch {
    return [indexFile];
  }
}

function adapterBase(configFile: string): string | undefined {
  try {
    const config = JSON.parse(readFileSync(configFile, "utf8")) as {
      base_model_name_or_path?: string;
    };
    return config.base_model_name_or_path;
  } catch {
    return undefined;
  }
}

function invalid(reason: string, missing: string[]): ModelDirKind {
  return { kind: "invalid", reason, missing };
}
