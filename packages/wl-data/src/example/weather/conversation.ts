// A conversation under construction: its state, and the messages and tool calls it grows by.
import type { ChatMessage, ToolCall } from "../../formats/chat.ts";
import { at } from "./at.ts";
import type { City } from "./cities.ts";
import type { Persona } from "./personas.ts";
import type { Rng } from "./random.ts";
import type { TempUnit, Unit } from "./temperature.ts";
import {
  type Call,
  type ConversionResult,
  type CurrentResult,
  type ForecastResult,
  runTool,
} from "./tool-results.ts";
import { roughen } from "./typos.ts";
import type { World } from "./world.ts";

/** What the conversation last talked about: what a follow-up can refer to. */
export type Last =
  | { kind: "current"; city: City; result: CurrentResult }
  | { kind: "forecast"; city: City; result: ForecastResult }
  | { kind: "cities"; cities: City[] }
  | { kind: "conversion"; result: ConversionResult }
  | { kind: "nowhere" }
  | { kind: "typo"; city: City }
  | { kind: "outage"; city: City }
  | { kind: "chat" };

/** One record while it is written. */
export interface Conversation {
  rng: Rng;
  persona: Persona;
  world: World;
  messages: ChatMessage[];
  ids: Set<string>;
  /** This record writes call arguments as objects rather than JSON text. */
  objectArguments: boolean;
  unit: Unit | undefined;
  last: Last;
  /** Small talk only, never a tool call. */
  chatOnly: boolean;
}

/** How many user turns the conversation has so far. */
export function userTurns(conv: Conversation): number {
  return conv.messages.filter((message) => message.role === "user").length;
}

/** Whether any message so far names `city`. */
export function mentioned(conv: Conversation, city: City): boolean {
  return conv.messages.some(
    (message) => typeof message.content === "string" && message.content.includes(city.name),
  );
}

/** A user turn, sometimes typed roughly. */
export function say(conv: Conversation, text: string): void {
  conv.messages.push({ role: "user", content: roughen(conv.rng, text) });
}

/** An assistant turn in words. */
export function reply(conv: Conversation, text: string): void {
  conv.messages.push({ role: "assistant", content: text });
}

/** One assistant turn calling `calls` in parallel, then one tool message per call, in order. */
export function callTools(conv: Conversation, calls: Call[]): unknown[] {
  const toolCalls: ToolCall[] = calls.map((call) => ({
    id: newId(conv),
    type: "function",
    function: {
      name: call.name,
      arguments: conv.objectArguments ? { ...call.args } : JSON.stringify(call.args),
    },
  }));
  conv.messages.push({ role: "assistant", content: null, tool_calls: toolCalls });
  return calls.map((call, index) => {
    const result = call.fail === undefined ? runTool(conv.world, call) : { error: call.fail };
    conv.messages.push({
      role: "tool",
      tool_call_id: at(toolCalls, index).id ?? "",
      content: JSON.stringify(result),
    });
    return result;
  });
}

/** One assistant turn with a single call; the tool's result. */
export function callOne<T>(conv: Conversation, call: Call): T {
  return at(callTools(conv, [call]), 0) as T;
}

const ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// Nine letters and digits: unique in the conversation, and the shape Mistral's template demands.
function newId(conv: Conversation): string {
  for (;;) {
    let id = "";
    for (let i = 0; i < 9; i++) id += ID_CHARACTERS.charAt(conv.rng.int(0, 61));
    if (!conv.ids.has(id)) {
      conv.ids.add(id);
      return id;
    }
  }
}

/** The unit the user wants: asked for explicitly, else what the first city's locals use. */
export function unitFor(conv: Conversation, city: City): Unit {
  conv.unit ??= city.fahrenheit ? "fahrenheit" : "celsius";
  return conv.unit;
}

/** A get_current_weather call, sometimes leaving out the default unit. */
export function currentCall(conv: Conversation, city: City, unit: Unit): Call {
  // `unit` is optional with a celsius default: the assistant sometimes leaves it out.
  const omit = unit === "celsius" && conv.rng.chance(0.4);
  return {
    name: "get_current_weather",
    args: omit ? { city: city.name } : { city: city.name, unit },
  };
}

/** A get_forecast call, sometimes leaving out the default unit. */
export function forecastCall(conv: Conversation, city: City, days: number, unit: Unit): Call {
  const omit = unit === "celsius" && conv.rng.chance(0.4);
  return {
    name: "get_forecast",
    args: omit ? { city: city.name, days } : { city: city.name, days, unit },
  };
}

/** A convert_temperature call. */
export function convertCall(value: number, from: TempUnit, to: TempUnit): Call {
  return { name: "convert_temperature", args: { value, from, to } };
}
