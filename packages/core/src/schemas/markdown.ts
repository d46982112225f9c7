// Markdown reference tables generated from JSON Schemas, kept inside docs/*.md between markers.
import type { JsonSchema } from "./json-schema.ts";

export const BEGIN = "<!-- generated from the zod schemas by `pnpm gen`: do not edit by hand -->";
export const END = "<!-- end of generated reference -->";

/** A table with one row per field, nested objects flattened to dotted names. */
export function fieldTable(schema: JsonSchema): string {
  const rows = ["| field | type | default | description |", "| --- | --- | --- | --- |"];
  for (const [name, field, required] of walk(schema, "")) {
    const fallback =
      field.default === undefined ? (required ? "required" : "") : code(field.default);
    rows.push(
      `| \`${name}\` | ${typeOf(field)} | ${fallback} | ${escapeCell(field.description ?? "")} |`,
    );
  }
  return rows.join("\n");
}

function* walk(schema: JsonSchema, prefix: string): Generator<[string, JsonSchema, boolean]> {
  const required = new Set(schema.required ?? []);
  for (const [key, field] of Object.entries(schema.properties ?? {})) {
    const name = `${prefix}${key}`;
    yield [name, field, required.has(key)];
    const inner = field.type === "array" && field.items ? field.items : field;
    const suffix = field.type === "array" ? "[]." : ".";
    if (inner.properties) yield* walk(inner, `${name}${suffix}`);
  }
}

function typeOf(field: JsonSchema): string {
  if (field.const !== undefined) return code(field.const);
  if (field.enum) return field.enum.map(code).join(" \\| ");
  if (field.anyOf) return field.anyOf.map(typeOf).join(" \\| ");
  if (field.type === "array") return `${field.items ? typeOf(field.items) : "any"}[]`;
  if (Array.isArray(field.type)) return field.type.join(" \\| ");
  return field.type ?? "any";
}

function code(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** Replaces the generated block of a markdown document (or appends one). */
export function replaceGenerated(markdown: string, table: string): string {
  const block = `${BEGIN}\n\n${table}\n\n${END}`;
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start === -1 || end === -1) return `${markdown.trimEnd()}\n\n${block}\n`;
  return `${markdown.slice(0, start)}${block}${markdown.slice(end + END.length)}`;
}
