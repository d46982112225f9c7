// The weather example generator: deterministic, the persona mix the issue asks for, valid OpenAI
// chat structure with tool calls, every conversation shape, and replies whose numbers come from the
// tools. Each check reads the records from outside, as wl-data validate and a trainer would.
import { describe, expect, it } from "vitest";
import {
  type ChatMessage,
  type ChatRecord,
  generateWeather,
  PERSONA_SHARES,
  PERSONAS,
  type Persona,
  personaCounts,
  personaOf,
  WEATHER_TOOLS,
} from "../src/example/weather.ts";

const BIG = [...generateWeather({ n: 16_000, seed: 42 })];
const CHECKED = [...generateWeather({ n: 2_000, seed: 7 })];

function jsonl(records: readonly ChatRecord[]): string {
  return records.map((record) => JSON.stringify(record)).join("\n");
}

function text(message: ChatMessage): string | undefined {
  return typeof message.content === "string" ? message.content : undefined;
}

function callsOf(message: ChatMessage) {
  return message.role === "assistant" ? (message.tool_calls ?? []) : [];
}

function argumentsOf(argumentsField: string | Record<string, unknown>): unknown {
  return typeof argumentsField === "string" ? JSON.parse(argumentsField) : argumentsField;
}

describe("determinism", () => {
  it("gives byte-identical JSON for the same seed (500 records)", () => {
    const first = jsonl([...generateWeather({ n: 500, seed: 1234 })]);
    const second = jsonl([...generateWeather({ n: 500, seed: 1234 })]);
    expect(second).toBe(first);
  });

  it("gives different records for a different seed", () => {
    const a = [...generateWeather({ n: 500, seed: 1234 })];
    const b = [...generateWeather({ n: 500, seed: 1235 })];
    expect(jsonl(b)).not.toBe(jsonl(a));
    const same = a.filter((record, index) => JSON.stringify(record) === JSON.stringify(b[index]));
    expect(same.length).toBeLessThan(25);
  });

  it("rejects a bad n or seed, saying what it expected", () => {
    expect(() => generateWeather({ n: -1, seed: 1 })).toThrow(
      "Expected n to be a non-negative integer, got -1",
    );
    expect(() => generateWeather({ n: 2.5, seed: 1 })).toThrow(RangeError);
    expect(() => generateWeather({ n: 10, seed: Number.NaN })).toThrow(
      "Expected seed to be an integer, got NaN",
    );
    expect([...generateWeather({ n: 0, seed: 1 })]).toEqual([]);
  });
});

describe("persona mix", () => {
  it("hits each target share within ±0.1 percentage points over 16,000", () => {
    const counts = countPersonas(BIG);
    for (const persona of PERSONAS) {
      const share = (100 * counts[persona]) / BIG.length;
      expect(Math.abs(share - PERSONA_SHARES[persona]), persona).toBeLessThanOrEqual(0.1);
    }
  });

  it("recovers the allocated persona of every record with personaOf", () => {
    expect(BIG.every((record) => personaOf(record) !== undefined)).toBe(true);
    expect(countPersonas(BIG)).toEqual(personaCounts(BIG.length));
  });

  it("allocates within one record of the (normalised) target for any n", () => {
    const total = PERSONAS.reduce((sum, persona) => sum + PERSONA_SHARES[persona], 0);
    for (const n of [1, 7, 100, 999, 2_000, 16_000, 100_003]) {
      const counts = personaCounts(n);
      expect(PERSONAS.reduce((sum, persona) => sum + counts[persona], 0)).toBe(n);
      for (const persona of PERSONAS) {
        expect(Math.abs(counts[persona] - (n * PERSONA_SHARES[persona]) / total)).toBeLessThan(1);
      }
    }
    expect(countPersonas([...generateWeather({ n: 999, seed: 3 })])).toEqual(personaCounts(999));
  });

  it("names exactly one voice in each persona's system prompts", () => {
    const prompts = new Set(BIG.map((record) => text(record.messages[0] as ChatMessage) ?? ""));
    const voices = ["Mark Twain", "Benjamin Franklin", "The Onion"];
    for (const prompt of prompts) {
      const named = voices.filter((voice) => prompt.includes(voice));
      expect(named.length, prompt).toBeLessThanOrEqual(1);
    }
    expect(prompts.size).toBeGreaterThanOrEqual(PERSONAS.length * 3);
  });
});

function countPersonas(records: readonly ChatRecord[]): Record<Persona, number> {
  const counts: Record<Persona, number> = { twain: 0, franklin: 0, onion: 0, neutral: 0 };
  for (const record of records) {
    const persona = personaOf(record);
    if (persona) counts[persona] += 1;
  }
  return counts;
}

describe("structure of every record (2,000)", () => {
  it("follows the OpenAI chat format with matched tool calls", () => {
    const problems = CHECKED.flatMap((record, index) =>
      structureProblems(record).map((problem) => `record ${index}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it("writes call arguments mostly as JSON text and sometimes as objects", () => {
    const forms = CHECKED.flatMap((record) =>
      record.messages.flatMap(callsOf).map((call) => typeof call.function.arguments),
    );
    const strings = forms.filter((form) => form === "string").length;
    const objects = forms.filter((form) => form === "object").length;
    expect(strings + objects).toBe(forms.length);
    expect(objects).toBeGreaterThan(forms.length * 0.1);
    expect(strings).toBeGreaterThan(forms.length * 0.6);
  });
});

function structureProblems(record: ChatRecord): string[] {
  const problems: string[] = [];
  if (JSON.stringify(record.tools) !== JSON.stringify(WEATHER_TOOLS)) problems.push("tools list");
  const messages = record.messages;
  if (messages[0]?.role !== "system" || !text(messages[0])) problems.push("no system prompt first");
  const ids = new Set<string>();
  const calls = new Map<string, string>();
  const pending = new Set<string>();
  let previous: ChatMessage | undefined;
  for (const [position, message] of messages.entries()) {
    const where = `message ${position} (${message.role})`;
    if (message.role !== "tool" && pending.size > 0) problems.push(`${where}: calls unanswered`);
    if (message.role === "user" && (!text(message) || previous?.role === "user")) {
      problems.push(`${where}: empty, or a second user turn in a row`);
    }
    if (message.role === "assistant") {
      const toolCalls = callsOf(message);
      if (toolCalls.length > 0 && message.content !== null && message.content !== "") {
        problems.push(`${where}: tool-call turn with content`);
      }
      if (toolCalls.length === 0 && !text(message)) problems.push(`${where}: no content`);
      for (const call of toolCalls) {
        const id = call.id ?? "";
        if (id === "" || ids.has(id)) problems.push(`${where}: missing or repeated id ${id}`);
        ids.add(id);
        calls.set(id, call.function.name);
        pending.add(id);
        if (call.type !== "function") problems.push(`${where}: call type ${call.type}`);
        problems.push(
          ...argumentProblems(call.function.name, call.function.arguments).map(
            (problem) => `${where}: ${call.function.name}: ${problem}`,
          ),
        );
      }
    }
    if (message.role === "tool") {
      if (!calls.has(message.tool_call_id)) problems.push(`${where}: unknown tool_call_id`);
      if (!pending.delete(message.tool_call_id)) problems.push(`${where}: answered twice`);
      const content = text(message);
      if (content === undefined || typeof JSON.parse(content) !== "object") {
        problems.push(`${where}: content is not a JSON object string`);
      }
    }
    previous = message;
  }
  const last = messages[messages.length - 1];
  if (last?.role !== "assistant" || !text(last))
    problems.push("does not end with an assistant reply");
  const users = messages.filter((message) => message.role === "user").length;
  if (users < 1 || users > 4) problems.push(`${users} user turns`);
  return problems;
}

interface PropertySchema {
  type: "string" | "number" | "integer";
  enum?: string[];
  minimum?: number;
  maximum?: number;
}

// Checks arguments against the tool's JSON Schema: an object, required keys, no others, types,
// enums and bounds.
function argumentProblems(name: string, raw: string | Record<string, unknown>): string[] {
  const tool = WEATHER_TOOLS.find((candidate) => candidate.function.name === name);
  if (!tool) return [`unknown tool ${name}`];
  const schema = tool.function.parameters as {
    properties: Record<string, PropertySchema>;
    required: string[];
  };
  let args: unknown;
  try {
    args = argumentsOf(raw);
  } catch {
    return [`arguments are not JSON: ${String(raw)}`];
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) return ["not an object"];
  const values = args as Record<string, unknown>;
  const problems = schema.required.filter((key) => !(key in values)).map((key) => `missing ${key}`);
  for (const [key, value] of Object.entries(values)) {
    const property = schema.properties[key];
    if (!property) {
      problems.push(`unexpected ${key}`);
      continue;
    }
    const typeOk =
      property.type === "string"
        ? typeof value === "string" && value !== ""
        : typeof value === "number" && (property.type === "number" || Number.isInteger(value));
    if (!typeOk) problems.push(`${key} is not ${property.type}`);
    if (property.enum && !property.enum.includes(value as string)) problems.push(`${key} enum`);
    if (property.minimum !== undefined && (value as number) < property.minimum)
      problems.push(`${key} < min`);
    if (property.maximum !== undefined && (value as number) > property.maximum)
      problems.push(`${key} > max`);
  }
  return problems;
}

// --- shapes

type Shape =
  | "current_weather"
  | "multi_day_forecast"
  | "several_cities"
  | "parallel_calls"
  | "sequential_calls"
  | "unit_conversion"
  | "follow_up"
  | "tool_error"
  | "small_talk";

// What a conversation does, read from its structure alone.
function shapesOf(record: ChatRecord): Set<Shape> {
  const shapes = new Set<Shape>();
  const results = new Map<string, Record<string, unknown>>();
  for (const message of record.messages) {
    if (message.role === "tool")
      results.set(message.tool_call_id, JSON.parse(text(message) ?? "{}"));
  }
  const cities = new Set<string>();
  let callTurnsSinceUser = 0;
  let users = 0;
  for (const message of record.messages) {
    if (message.role === "user") {
      users += 1;
      callTurnsSinceUser = 0;
    }
    const calls = callsOf(message);
    if (calls.length > 0) callTurnsSinceUser += 1;
    if (callTurnsSinceUser >= 2) shapes.add("sequential_calls");
    if (calls.length >= 2) shapes.add("parallel_calls");
    for (const call of calls) {
      const args = argumentsOf(call.function.arguments) as Record<string, unknown>;
      const result = results.get(call.id ?? "") ?? {};
      if ("error" in result) shapes.add("tool_error");
      else if (call.function.name !== "convert_temperature") cities.add(String(args.city));
      if (call.function.name === "get_current_weather" && !("error" in result)) {
        shapes.add("current_weather");
      }
      if (call.function.name === "get_forecast" && Number(args.days) >= 2) {
        shapes.add("multi_day_forecast");
      }
      if (call.function.name === "convert_temperature") shapes.add("unit_conversion");
    }
  }
  if (cities.size >= 2) shapes.add("several_cities");
  if (users >= 2) shapes.add("follow_up");
  if (!record.messages.some((message) => callsOf(message).length > 0)) shapes.add("small_talk");
  return shapes;
}

describe("conversation shapes (16,000)", () => {
  it("include every shape, each in at least 2 % of conversations", () => {
    const counts = new Map<Shape, number>();
    for (const record of BIG) {
      for (const shape of shapesOf(record)) counts.set(shape, (counts.get(shape) ?? 0) + 1);
    }
    const shapes: Shape[] = [
      "current_weather",
      "multi_day_forecast",
      "several_cities",
      "parallel_calls",
      "sequential_calls",
      "unit_conversion",
      "follow_up",
      "tool_error",
      "small_talk",
    ];
    for (const shape of shapes) expect(counts.get(shape) ?? 0, shape).toBeGreaterThan(320);
  });

  it("has one to four user turns, every count occurring", () => {
    const turns = new Set(
      BIG.map((record) => record.messages.filter((message) => message.role === "user").length),
    );
    expect([...turns].sort()).toEqual([1, 2, 3, 4]);
  });

  it("asks about real cities all over the world, and some that do not exist", () => {
    const cities = new Set<string>();
    const missing = new Set<string>();
    for (const record of BIG) {
      for (const message of record.messages) {
        if (message.role !== "tool") continue;
        const result = JSON.parse(text(message) ?? "{}") as { city?: string; error?: string };
        if (result.city) cities.add(result.city);
        const match = /^city not found: (.+)$/.exec(result.error ?? "");
        if (match?.[1]) missing.add(match[1]);
      }
    }
    expect(cities.size).toBeGreaterThanOrEqual(60);
    expect(missing).toContain("Atlantis");
  });
});

// --- consistency of replies with tool results

const NUMBER = /-?\d+(?:\.\d+)?/g;

function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(numbersIn);
  return [];
}

// A value as given, and its Celsius ⇄ Fahrenheit conversion rounded as a person would.
function withConversions(values: readonly number[]): Set<number> {
  const allowed = new Set<number>();
  for (const value of values) {
    allowed.add(value);
    allowed.add(Math.round((value * 9) / 5 + 32));
    allowed.add(Math.round(((value - 32) * 5) / 9));
  }
  return allowed;
}

function expectedConversion(value: number, from: string, to: string): number {
  const celsius =
    from === "celsius" ? value : from === "fahrenheit" ? ((value - 32) * 5) / 9 : value - 273.15;
  return to === "celsius"
    ? celsius
    : to === "fahrenheit"
      ? (celsius * 9) / 5 + 32
      : celsius + 273.15;
}

interface Turn {
  results: { name: string; args: Record<string, unknown>; result: Record<string, unknown> }[];
  reply: string;
}

// Each assistant reply with the tool results that came since the last user message.
function turnsOf(record: ChatRecord): Turn[] {
  const names = new Map<string, { name: string; args: Record<string, unknown> }>();
  const turns: Turn[] = [];
  let results: Turn["results"] = [];
  for (const message of record.messages) {
    if (message.role === "user") results = [];
    for (const call of callsOf(message)) {
      names.set(call.id ?? "", {
        name: call.function.name,
        args: argumentsOf(call.function.arguments) as Record<string, unknown>,
      });
    }
    if (message.role === "tool") {
      const call = names.get(message.tool_call_id);
      if (call) results.push({ ...call, result: JSON.parse(text(message) ?? "{}") });
    }
    if (message.role === "assistant" && callsOf(message).length === 0) {
      turns.push({ results, reply: text(message) ?? "" });
    }
  }
  return turns;
}

describe("replies agree with the tool results", () => {
  it("states only numbers from this turn's results (or their unit conversion) after a current-weather call", () => {
    let checked = 0;
    for (const record of CHECKED) {
      for (const turn of turnsOf(record)) {
        const current = turn.results.filter(
          (entry) => entry.name === "get_current_weather" && !("error" in entry.result),
        );
        if (current.length === 0) continue;
        checked += 1;
        const allowed = withConversions(turn.results.flatMap((entry) => numbersIn(entry.result)));
        for (const number of turn.reply.match(NUMBER) ?? []) {
          expect(allowed.has(Number(number)), `${number} in "${turn.reply}"`).toBe(true);
        }
        for (const entry of current) {
          expect(turn.reply).toContain(String(entry.result.temperature));
        }
      }
    }
    expect(checked).toBeGreaterThan(1_000);
  });

  it("states no number in any reply that no earlier tool result holds", () => {
    for (const record of CHECKED) {
      const seen: number[] = [];
      for (const turn of turnsOf(record)) {
        seen.push(...turn.results.flatMap((entry) => numbersIn(entry.result)));
        const allowed = withConversions(seen);
        for (const number of turn.reply.match(NUMBER) ?? []) {
          expect(allowed.has(Number(number)), `${number} in "${turn.reply}"`).toBe(true);
        }
      }
    }
  });

  it("converts temperatures correctly and reports the converted value", () => {
    let checked = 0;
    for (const record of CHECKED) {
      for (const turn of turnsOf(record)) {
        for (const entry of turn.results) {
          if (entry.name !== "convert_temperature") continue;
          checked += 1;
          const { value, from, to } = entry.args as { value: number; from: string; to: string };
          const result = entry.result.result as number;
          expect(Math.abs(result - expectedConversion(value, from, to))).toBeLessThanOrEqual(0.05);
          expect(turn.reply).toContain(String(result));
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("returns plausible weather in the unit asked for", () => {
    for (const record of CHECKED) {
      for (const turn of turnsOf(record)) {
        for (const { name, args, result } of turn.results) {
          if (name === "convert_temperature" || "error" in result) continue;
          const unit = (args.unit as string | undefined) ?? "celsius";
          expect(result.unit).toBe(unit);
          const [low, high] = unit === "celsius" ? [-45, 50] : [-49, 122];
          const days = (result.forecast as { high: number; low: number }[] | undefined) ?? [];
          for (const day of days) expect(day.high).toBeGreaterThanOrEqual(day.low);
          const temperatures =
            name === "get_current_weather"
              ? [result.temperature as number]
              : days.flatMap((day) => [day.high, day.low]);
          for (const temperature of temperatures) {
            expect(temperature).toBeGreaterThanOrEqual(low);
            expect(temperature).toBeLessThanOrEqual(high);
          }
          if (name === "get_forecast") expect(days).toHaveLength(args.days as number);
        }
      }
    }
  });

  it("answers a tool error gracefully, without inventing weather", () => {
    let checked = 0;
    for (const record of CHECKED) {
      for (const turn of turnsOf(record)) {
        const last = turn.results[turn.results.length - 1];
        if (!last || !("error" in last.result)) continue;
        checked += 1;
        expect(turn.reply.match(NUMBER)).toBeNull();
        expect(turn.reply.length).toBeGreaterThan(20);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
