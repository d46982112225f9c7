// JSON Schemas generated from the zod schemas: what the trainer validates configs against and
// what docs/ publishes. `pnpm gen` writes them; a test fails when a committed copy is stale.
import { z } from "zod";
import { configSchema } from "../config/schema.ts";
import { eventSchema } from "../events.ts";
import { runDocSchema } from "../run-doc/schema.ts";

export type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  $id?: string;
};

const BASE_ID = "https://wl.dev/schemas";

function toJson(schema: z.ZodType, id: string, io: "input" | "output"): JsonSchema {
  return {
    $id: `${BASE_ID}/${id}`,
    ...(z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      unrepresentable: "any",
    }) as JsonSchema),
  };
}

/** The config schema as a user writes it (defaults optional). */
export const configJsonSchema = (): JsonSchema =>
  toJson(configSchema, "config.schema.json", "input");
/** The run document as tools write it. */
export const runDocJsonSchema = (): JsonSchema =>
  toJson(runDocSchema, "run-document.schema.json", "output");
/** One NDJSON event. */
export const eventJsonSchema = (): JsonSchema => toJson(eventSchema, "event.schema.json", "output");
