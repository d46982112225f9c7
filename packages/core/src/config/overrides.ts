// `--set a.b=c` overrides, applied to the parsed YAML so they are validated exactly like the file.
import { type Document, parse } from "yaml";
import { WlError } from "../errors.ts";

/** One parsed `--set` override. */
export interface Override {
  text: string;
  path: string[];
  value: unknown;
}

/** Parses `a.b=c`; the value is read as a YAML scalar or flow collection (`[q_proj, v_proj]`). */
export function parseOverride(text: string): Override {
  const equals = text.indexOf("=");
  const key = equals > 0 ? text.slice(0, equals).trim() : "";
  const path = key.split(".");
  if (equals <= 0 || path.some((segment) => segment === "")) {
    throw new WlError(
      "config.override",
      `--set "${text}" is not of the form key.path=value`,
      "write it like --set training.learning_rate=1e-4",
    );
  }
  const raw = text.slice(equals + 1);
  try {
    return { text, path, value: raw === "" ? "" : parse(raw) };
  } catch {
    throw new WlError(
      "config.override",
      `--set "${text}": the value is not valid YAML`,
      "quote it, e.g. --set 'data.system_prompt=\"Be brief: {date}\"'",
    );
  }
}

/** Writes each override into the document, creating intermediate sections when missing. */
export function applyOverrides(document: Document, overrides: readonly Override[]): void {
  for (const { path, value } of overrides) document.setIn(path, value);
}
