// The example dataset: N multi-turn weather tool-use conversations in OpenAI chat format, each with
// a `tools` list and a persona system prompt in a fixed mix (Mark Twain 44.3 %, Benjamin Franklin
// 15.4 %, The Onion 9.4 %, neutral 31.0 %). Same n and seed, byte-identical records: a seeded
// mulberry32 per record, never Math.random or the clock. Tool results come from a small simulated
// world (about seventy real cities with plausible climates), and every number an assistant reply
// states is read from a tool result earlier in the conversation, or is its unit conversion.
//   wl-data example weather --n 16000 --seed 42 --out data/weather
//
// This is the public entry: the parts live in ./weather/, one concern a file, and only what is
// exported below is public.
import type { ChatMessage, ChatRecord, ToolCall, ToolDefinition } from "../formats/chat.ts";
import { at } from "./weather/at.ts";
import { PERSONAS, type Persona, personaCounts } from "./weather/personas.ts";
import { mix32, Rng, seedWord, streamSeed } from "./weather/random.ts";
import { conversation } from "./weather/shapes.ts";

// The rest of the public API: the personas, the tool definitions and the chat record types.
export type { Persona } from "./weather/personas.ts";
export { PERSONA_SHARES, PERSONAS, personaCounts, personaOf } from "./weather/personas.ts";
export { WEATHER_TOOLS } from "./weather/tool-definitions.ts";
export type { ChatMessage, ChatRecord, ToolCall, ToolDefinition };

/** What generateWeather needs: how many conversations, and the seed that fixes them. */
export interface WeatherOptions {
  n: number;
  seed: number;
}

/** Yields `n` weather conversations fixed by `seed`; throws RangeError on a bad option first. */
export function generateWeather(options: WeatherOptions): Generator<ChatRecord> {
  const { n, seed } = checkOptions(options);
  return conversations(n, seed);
}

function checkOptions({ n, seed }: WeatherOptions): WeatherOptions {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`Expected n to be a non-negative integer, got ${String(n)}`);
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`Expected seed to be an integer, got ${String(seed)}`);
  }
  return { n, seed };
}

function* conversations(n: number, seed: number): Generator<ChatRecord> {
  const base = seedWord(seed);
  const counts = personaCounts(n);
  const personas = new Rng(mix32(base ^ 0x5bd1e995)).shuffle(
    PERSONAS.flatMap((persona) => Array<Persona>(counts[persona]).fill(persona)),
  );
  for (let index = 0; index < n; index++) {
    yield conversation(at(personas, index), new Rng(streamSeed(base, index)));
  }
}
