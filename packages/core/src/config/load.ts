// Reading a config file: YAML or JSON → overrides → strict validation → absolute paths.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Document } from "yaml";
import { WlError } from "../errors.ts";
import { canonicalJson } from "../json.ts";
import { type ConfigProblem, describeIssues } from "./issues.ts";
import { applyOverrides, parseOverride } from "./overrides.ts";
import { resolveConfigPaths } from "./paths.ts";
import { type Config, configSchema } from "./schema.ts";
import { parseYamlSource } from "./yaml-source.ts";

/** A config as the run document records it. */
export interface LoadedConfig {
  path: string;
  sha256: string;
  overrides: string[];
  resolved: Config;
  resolved_sha256: string;
}

/** An invalid config: every problem is kept, the first is the one-line message. */
export class ConfigError extends WlError {
  readonly problems: ConfigProblem[];

  constructor(file: string, problems: ConfigProblem[]) {
    const [first] = problems;
    const where = first?.line ? `${file}:${first.line}` : file;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    super(
      "config.invalid",
      `invalid config ${where}: ${first?.message ?? "unknown problem"}${more}`,
      first?.fix ?? "see configs/cpu-smoke.yaml",
    );
    this.problems = problems;
  }
}

/** Loads, overrides, validates and resolves a config file. */
export async function loadConfig(
  file: string,
  setArgs: readonly string[] = [],
): Promise<LoadedConfig> {
  const path = resolve(file);
  const text = await readConfigText(path, file);
  const source = parseYamlSource(text, file);
  const overrides = setArgs.map(parseOverride);
  applyOverrides(source.document, overrides);
  const raw: unknown = source.document.toJS();
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new WlError(
      "config.not_mapping",
      `${file} is not a mapping of sections (model, data, lora, …)`,
      "start from configs/cpu-smoke.yaml",
    );
  }
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const overridden = new Set(overrides.map((override) => override.path.join(".")));
    const lineOf = (keyPath: readonly PropertyKey[]) =>
      overridden.has(keyPath.join(".")) ? undefined : source.lineOf(keyPath);
    throw new ConfigError(file, describeIssues(parsed.error.issues, configSchema, lineOf));
  }
  const resolved = resolveConfigPaths(parsed.data, dirname(path));
  return {
    path,
    sha256: sha256(text),
    overrides: overrides.map((override) => override.text),
    resolved,
    resolved_sha256: sha256(canonicalJson(resolved)),
  };
}

async function readConfigText(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new WlError(
        "config.missing",
        `config file not found: ${shown}`,
        "pass --config PATH (shipped examples are in configs/)",
      );
    }
    if (code === "EISDIR") {
      throw new WlError("config.missing", `${shown} is a directory`, "pass the YAML file itself");
    }
    throw new WlError(
      "config.unreadable",
      `cannot read ${shown}: ${code}`,
      "check its permissions",
      {
        cause: error,
      },
    );
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Applies `--set` overrides to a config already in a run document, validated like a file. */
export function overrideLoadedConfig(
  loaded: LoadedConfig,
  setArgs: readonly string[],
): LoadedConfig {
  if (setArgs.length === 0) return loaded;
  const document = new Document(loaded.resolved);
  const overrides = setArgs.map(parseOverride);
  applyOverrides(document, overrides);
  const parsed = configSchema.safeParse(document.toJS(), { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(
      "--set",
      describeIssues(parsed.error.issues, configSchema, () => undefined),
    );
  }
  const resolved = resolveConfigPaths(parsed.data, dirname(loaded.path));
  return {
    ...loaded,
    overrides: [...loaded.overrides, ...overrides.map((override) => override.text)],
    resolved,
    resolved_sha256: sha256(canonicalJson(resolved)),
  };
}
