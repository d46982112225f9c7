// Reading the run document from stdin or --run FILE, and writing it to stdout in one piece.
import { readFile } from "node:fs/promises";
import { WlError } from "../errors.ts";
import { redact, secretsFromEnv } from "../redact.ts";
import { RUN_SCHEMA, type RunDoc, runDocSchema } from "./schema.ts";

/** Reads a whole stream as UTF-8 text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads the run document saved at `file` (a run.json or any saved stdout). */
export async function readRunDocFile(file: string): Promise<RunDoc> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new WlError(
      "run.missing",
      `cannot read run document ${file}`,
      "pass the run.json of an existing run, e.g. --run runs/<run-id>/run.json",
    );
  }
  return parseRunDoc(text, file);
}

/** Parses and validates a run document; `origin` names where it came from in messages. */
export function parseRunDoc(text: string, origin: string): RunDoc {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WlError(
      "run.not_json",
      // JSON.parse quotes the input, newlines included; a status line stays one line.
      `the run document on ${origin} is not JSON (${(error as Error).message.replace(/\s+/g, " ")})`,
      "pipe the stdout of a wl tool, or start a pipe with --config FILE",
    );
  }
  const schema = (value as { schema?: unknown } | null)?.schema;
  if (typeof schema === "string" && schema.startsWith("wl.run/") && schema !== RUN_SCHEMA) {
    throw new WlError(
      "run.schema_version",
      `the run document on ${origin} is ${schema}; this wl reads ${RUN_SCHEMA}`,
      "use the same wl version for every tool in the pipe, or start a new run with --config",
    );
  }
  if (schema !== RUN_SCHEMA) {
    throw new WlError(
      "run.not_run_doc",
      `${origin} holds JSON that is not a wl run document (no "schema": "${RUN_SCHEMA}")`,
      "pipe the stdout of a wl tool, or start a pipe with --config FILE",
    );
  }
  const parsed = runDocSchema.safeParse(value);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const where = issue?.path.join(".") || "(top level)";
    throw new WlError(
      "run.invalid",
      `the run document on ${origin} is damaged at ${where}: ${issue?.message}`,
      "re-run the step that wrote it, or start a new run with --config",
    );
  }
  return parsed.data;
}

/** Serialises the whole document first, then writes it in one call: never half a document. */
export function writeRunDoc(
  doc: RunDoc,
  stream: NodeJS.WritableStream = process.stdout,
  secrets: readonly string[] = secretsFromEnv(),
): void {
  stream.write(`${redact(JSON.stringify(doc), secrets)}\n`);
}
