// Every generated file and its expected content, for `pnpm gen` and the staleness test.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { TRAINER_DIR } from "../trainer.ts";
import {
  configJsonSchema,
  eventJsonSchema,
  type JsonSchema,
  runDocJsonSchema,
} from "./json-schema.ts";
import { fieldTable, replaceGenerated } from "./markdown.ts";

export const REPO_DIR = resolve(TRAINER_DIR, "..");
const DOCS = join(REPO_DIR, "docs");

const json = (schema: JsonSchema) => `${JSON.stringify(schema, null, 2)}\n`;

/** Generated files: path → content, computed from the current schemas and docs prose. */
export async function generatedFiles(): Promise<Map<string, string>> {
  const config = configJsonSchema();
  const runDoc = runDocJsonSchema();
  const event = eventJsonSchema();
  const files = new Map<string, string>([
    [join(TRAINER_DIR, "wl_trainer", "schema", "config.schema.json"), json(config)],
    [join(DOCS, "schemas", "config.schema.json"), json(config)],
    [join(DOCS, "schemas", "run-document.schema.json"), json(runDoc)],
    [join(DOCS, "schemas", "event.schema.json"), json(event)],
  ]);
  for (const [doc, schema] of [
    ["config.md", config],
    ["run-document.md", runDoc],
    ["events.md", event],
  ] as const) {
    const path = join(DOCS, doc);
    files.set(path, replaceGenerated(await readFile(path, "utf8"), fieldTable(schema)));
  }
  return files;
}
