// The three weather tools every record declares, as OpenAI function definitions.
import type { ToolDefinition } from "../../formats/chat.ts";

/** The tools every record declares (real JSON Schema parameters). */
export const WEATHER_TOOLS: readonly ToolDefinition[] = weatherTools();

/** A fresh copy for each record (a literal is many times cheaper than structuredClone). */
export function weatherTools(): ToolDefinition[] {
  return [
    {
      type: "function",
      function: {
        name: "get_current_weather",
        description: "Get the current weather in a city.",
        parameters: {
          type: "object",
          properties: {
            city: { type: "string", description: "City name, e.g. Paris" },
            unit: { type: "string", enum: ["celsius", "fahrenheit"], default: "celsius" },
          },
          required: ["city"],
        },
      },
    },
    {
      type: "function",
      function: {
        name: "get_forecast",
        description: "Get the daily forecast for a city, starting tomorrow.",
        parameters: {
          type: "object",
          properties: {
            city: { type: "string", description: "City name, e.g. Paris" },
            days: { type: "integer", minimum: 1, maximum: 7, description: "Number of days" },
            unit: { type: "string", enum: ["celsius", "fahrenheit"], default: "celsius" },
          },
          required: ["city", "days"],
        },
      },
    },
    {
      type: "function",
      function: {
        name: "convert_temperature",
        description: "Convert a temperature between units.",
        parameters: {
          type: "object",
          properties: {
            value: { type: "number" },
            from: { type: "string", enum: ["celsius", "fahrenheit", "kelvin"] },
            to: { type: "string", enum: ["celsius", "fahrenheit", "kelvin"] },
          },
          required: ["value", "from", "to"],
        },
      },
    },
  ];
}
