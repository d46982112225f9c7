// Turns zod issues on a config into lines that name the key, its YAML line and the fix.
import type { z } from "zod";
import { closest } from "../did-you-mean.ts";

/** One problem in a config, ready to print. */
export interface ConfigProblem {
  path: string;
  line?: number;
  message: string;
  fix: string;
}

/** Describes each zod issue as a problem; unknown keys get a did-you-mean from the schema. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  lineOf: (path: readonly PropertyKey[]) => number | undefined,
): ConfigProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      const valid = keysAt(schema, issue.path);
      return issue.keys.map((key) =>
        unknownKey(issue.path, key, valid, lineOf([...issue.path, key])),
      );
    }
    return [describeIssue(issue, lineOf(issue.path))];
  });
}

function unknownKey(
  parent: readonly PropertyKey[],
  key: string,
  valid: string[],
  line: number | undefined,
): ConfigProblem {
  const where = parent.length > 0 ? `in ${dotted(parent)}` : "at the top level";
  const guess = closest(key, valid);
  return {
    path: dotted([...parent, key]),
    line,
    message: `unknown key "${key}" ${where}`,
    fix: guess
      ? `did you mean "${guess}"?`
      : `remove it; valid keys here: ${valid.join(", ") || "(none)"}`,
  };
}

function describeIssue(issue: z.core.$ZodIssue, line: number | undefined): ConfigProblem {
  const path = dotted(issue.path) || "(config)";
  const received = "input" in issue ? issue.input : undefined;
  if (issue.code === "invalid_type" && received === undefined) {
    return {
      path,
      line,
      message: `missing required key ${path}`,
      fix: `add ${path} (${issue.expected}); see configs/cpu-smoke.yaml`,
    };
  }
  if (issue.code === "invalid_value") {
    const choices = issue.values.map((value) => JSON.stringify(value)).join(", ");
    return {
      path,
      line,
      message: `${path} is ${JSON.stringify(received)}, expected one of ${choices}`,
      fix: `set ${path} to one of ${choices}`,
    };
  }
  if (issue.code === "invalid_type") {
    return {
      path,
      line,
      message: `${path} is ${JSON.stringify(received)}, expected ${issue.expected}`,
      fix: `set ${path} to a value of type ${issue.expected}`,
    };
  }
  if (issue.code === "too_small" || issue.code === "too_big") {
    const bound = issue.code === "too_small" ? "at least" : "at most";
    const limit = issue.code === "too_small" ? issue.minimum : issue.maximum;
    const exclusive = issue.inclusive === false ? " (exclusive)" : "";
    return {
      path,
      line,
      message: `${path} is ${JSON.stringify(received)}: ${issue.message}`,
      fix: `set ${path} to ${bound} ${String(limit)}${exclusive}`,
    };
  }
  return { path, line, message: `${path}: ${issue.message}`, fix: `correct ${path}` };
}

/** The valid keys of the object schema found at `path`, unwrapping defaults and optionals. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const node = objectAt(schema, path);
  return node ? Object.keys(node) : [];
}

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> };

function objectAt(
  schema: z.ZodType,
  path: readonly PropertyKey[],
): Record<string, z.ZodType> | undefined {
  const def = schema._zod.def as unknown as Def;
  if (def.innerType) return objectAt(def.innerType, path);
  if (def.type !== "object" || !def.shape) return undefined;
  const [head, ...rest] = path;
  if (head === undefined) return def.shape;
  const child = def.shape[String(head)];
  return child ? objectAt(child, rest) : undefined;
}

/** `["lora", "r"]` → `"lora.r"`; array indexes as `[0]`. */
export function dotted(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === "number" ? `[${segment}]` : `${index > 0 ? "." : ""}${String(segment)}`,
    )
    .join("");
}
