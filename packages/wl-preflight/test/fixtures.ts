// Real files for the tests: temp folders, model folders classified by their files, JSONL data,
// configs and check contexts. Nothing here imitates wl's own code.
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type Config, type ConfigInput, configSchema, dataFilesOf } from "@wl/core";
import { execa } from "execa";
import type { CheckContext } from "../src/checks/check.ts";

/** Temp folders made by one test file; `removeTempDirs` deletes them all. */
const made: string[] = [];

/** A fresh folder under the OS temp dir. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "wl-preflight-test-"));
  made.push(dir);
  return dir;
}

/** Deletes every folder `tempDir` made (call from afterAll/afterEach). */
export async function removeTempDirs(): Promise<void> {
  const dirs = made.splice(0);
  for (const dir of dirs) {
    // A test may have made a folder read-only; give it back before deleting.
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `files` (name → content) under `dir`, creating folders as needed. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    const file = join(dir, name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return dir;
}

/** A complete (if tiny and fake) Hugging Face model folder: config, tokenizer, weights. */
export const FULL_MODEL: Record<string, string> = {
  // A tiny Llama's shape, so the trainer can estimate memory from config.json alone.
  "config.json": JSON.stringify({
    architectures: ["LlamaForCausalLM"],
    model_type: "llama",
    hidden_size: 64,
    intermediate_size: 128,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    num_hidden_layers: 2,
    vocab_size: 512,
    max_position_embeddings: 1024,
    tie_word_embeddings: false,
    torch_dtype: "float32",
  }),
  "tokenizer.json": "{}",
  "model.safetensors": "weights",
};

/** Writes a complete fake model folder at `dir`. */
export function writeModelDir(dir: string): Promise<string> {
  return writeFiles(dir, FULL_MODEL);
}

/** A chat record in the shape wl-data writes. */
export function chatRecord(user: string, assistant: string): Record<string, unknown> {
  return {
    messages: [
      { role: "user", content: user },
      { role: "assistant", content: assistant },
    ],
  };
}

/** Writes records as JSONL. */
export async function writeJsonl(file: string, records: readonly unknown[]): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${records.map((record) => JSON.stringify(record)).join("\n")}\n`);
  return file;
}

/** The parsed config of `input` (defaults filled in); paths in it must already be absolute. */
export function config(input: ConfigInput): Config {
  return configSchema.parse(input);
}

/** A check context over a config; the config file is taken to live in `dir`. */
export function context(
  dir: string,
  input: ConfigInput,
  extra: Partial<Omit<CheckContext, "config">> = {},
): CheckContext {
  const resolved = config(input);
  return {
    config: resolved,
    configPath: join(dir, "wl.yaml"),
    dataFiles: dataFilesOf({}, resolved),
    runDir: join(dir, "runs", "test-run"),
    env: {},
    home: join(dir, "home"),
    ...extra,
  };
}

/** True when ssh-keygen is on PATH (tests that generate keys are skipped without it). */
export const hasSshKeygen = ["/usr/bin", "/bin", "/usr/local/bin", ...pathDirs()].some((dir) =>
  existsSync(join(dir, "ssh-keygen")),
);

function pathDirs(): string[] {
  return (process.env.PATH ?? "").split(":").filter((dir) => dir !== "");
}

/** Generates an ed25519 key pair at `file` (and `file`.pub); an empty passphrase by default. */
export async function sshKeygen(file: string, passphrase = ""): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", "wl-test", "-f", file]);
  return file;
}

/** Every check wl-preflight reports when the trainer is not set up, in order. */
export const CHECK_NAMES = [
  "config",
  "settings",
  "data",
  "output_dir",
  "disk",
  "model",
  "credentials",
  "trainer",
];
