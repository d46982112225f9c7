// Conversation shapes: how a record opens, how it goes on, and how many user turns it has.
import type { ChatRecord } from "../../formats/chat.ts";
import { type Chat, GREETINGS } from "./asks.ts";
import { CITIES, NOWHERE, TYPO_CITIES } from "./cities.ts";
import { type Conversation, mentioned, userTurns } from "./conversation.ts";
import type { Persona } from "./personas.ts";
import type { Rng } from "./random.ts";
import { weatherTools } from "./tool-definitions.ts";
import {
  advise,
  askCities,
  askCompare,
  askConditional,
  askConvert,
  askConvertLast,
  askCurrent,
  askForecast,
  askForecastNext,
  askForecastOther,
  askNowAndForecast,
  askNowhere,
  askOtherCity,
  askOutage,
  askThenConvert,
  askTomorrow,
  askTypo,
  bestDay,
  confirmTypo,
  retryOutage,
  smallTalk,
} from "./turns.ts";
import { VOICES } from "./voices.ts";
import { World } from "./world.ts";

type Shape =
  | "current"
  | "forecast"
  | "parallel"
  | "now_and_forecast"
  | "compare"
  | "then_convert"
  | "conditional"
  | "convert"
  | "nowhere"
  | "typo"
  | "outage"
  | "small_talk";

const SHAPES: readonly (readonly [Shape, number])[] = [
  ["current", 22],
  ["forecast", 15],
  ["parallel", 8],
  ["now_and_forecast", 4],
  ["compare", 5],
  ["then_convert", 4],
  ["conditional", 3],
  ["convert", 8],
  ["nowhere", 5],
  ["typo", 4],
  ["outage", 3],
  ["small_talk", 9],
];

const USER_TURNS: readonly (readonly [number, number])[] = [
  [1, 40],
  [2, 30],
  [3, 19],
  [4, 11],
];

const FORECAST_DAYS = [1, 1, 2, 3, 3, 4, 5, 5, 7, 7];
const CITY_COUNTS: readonly (readonly [number, number])[] = [
  [2, 6],
  [3, 3],
  [4, 1],
];

/** One record: `persona`'s system prompt, an opening shape, then follow-ups. */
export function conversation(persona: Persona, rng: Rng): ChatRecord {
  const conv: Conversation = {
    rng,
    persona,
    world: new World(rng),
    messages: [{ role: "system", content: rng.pick(VOICES[persona].systemPrompts) }],
    ids: new Set(),
    objectArguments: rng.chance(0.2),
    unit: undefined,
    last: { kind: "chat" },
    chatOnly: false,
  };
  const turns = rng.weighted(USER_TURNS);
  open(conv, rng.weighted(SHAPES));
  while (userTurns(conv) < turns) followUp(conv, userTurns(conv) === turns - 1);
  return { messages: conv.messages, tools: weatherTools() };
}

function open(conv: Conversation, shape: Shape): void {
  const greet = conv.rng.chance(0.2) ? `${conv.rng.pick(GREETINGS)} ` : "";
  OPENERS[shape](conv, conv.rng, greet);
}

// The first user turn of each shape (`greet` is an optional "Hi! " in front of it).
const OPENERS: Record<Shape, (conv: Conversation, rng: Rng, greet: string) => void> = {
  current: (conv, rng, greet) => askCurrent(conv, rng.pick(CITIES), greet),
  forecast: (conv, rng, greet) =>
    askForecast(conv, rng.pick(CITIES), rng.pick(FORECAST_DAYS), greet),
  parallel: (conv, rng, greet) =>
    askCities(conv, rng.sample(CITIES, rng.weighted(CITY_COUNTS)), greet),
  now_and_forecast: (conv, rng, greet) =>
    askNowAndForecast(conv, rng.pick(CITIES), rng.pick([2, 3, 3, 5]), greet),
  compare: (conv, rng, greet) => askCompare(conv, rng.sample(CITIES, 2), greet),
  then_convert: (conv, rng, greet) => askThenConvert(conv, rng.pick(CITIES), greet),
  conditional: (conv, rng, greet) => askConditional(conv, rng.sample(CITIES, 2), greet),
  convert: (conv, _rng, greet) => askConvert(conv, greet),
  nowhere: (conv, rng, greet) => askNowhere(conv, rng.pick(NOWHERE), greet),
  typo: (conv, rng, greet) => askTypo(conv, rng.pick(TYPO_CITIES), greet),
  outage: (conv, rng, greet) => askOutage(conv, rng.pick(CITIES), greet),
  small_talk: (conv, rng) => {
    conv.chatOnly = rng.chance(0.6);
    smallTalk(conv, rng.pick<Chat>(["greet", "greet", "identity", "joke", "climate", "offtopic"]));
  },
};

// One more user turn that fits what was just said.
function followUp(conv: Conversation, final: boolean): void {
  const rng = conv.rng;
  const options: [() => void, number][] = [];
  const last = conv.last;
  const otherCity = () => rng.pick(CITIES.filter((city) => !mentioned(conv, city)));
  if (conv.chatOnly) {
    options.push([() => smallTalk(conv, rng.pick(["identity", "joke", "climate", "offtopic"])), 3]);
    if (final) options.push([() => smallTalk(conv, "bye"), 3]);
    rng.weighted(options)();
    return;
  }
  switch (last.kind) {
    case "current":
      options.push(
        [() => askConvertLast(conv, last.result), 3],
        [() => askTomorrow(conv, last.city), 2],
        [() => askForecastNext(conv, last.city), 2],
        [() => askOtherCity(conv, otherCity()), 3],
        [() => advise(conv, last.city, false), 3],
      );
      break;
    case "forecast":
      options.push(
        [() => bestDay(conv, last.result), last.result.forecast.length > 1 ? 3 : 0],
        [() => askForecastOther(conv, otherCity(), last.result.forecast.length), 2],
        [() => askOtherCity(conv, last.city, "now"), 2],
      );
      break;
    case "nowhere":
      options.push([() => askOtherCity(conv, rng.pick(CITIES), "instead"), 6]);
      break;
    case "typo":
      options.push([() => confirmTypo(conv, last.city), 10]);
      break;
    case "outage":
      options.push([() => retryOutage(conv, last.city), 10]);
      break;
    case "cities":
    case "conversion":
      options.push([() => askOtherCity(conv, otherCity()), 3]);
      if (last.kind === "conversion") options.push([() => askConvert(conv, ""), 2]);
      else options.push([() => advise(conv, rng.pick(last.cities), true), 2]);
      break;
    case "chat":
      options.push(
        [() => askCurrent(conv, rng.pick(CITIES), ""), 3],
        [() => askForecast(conv, rng.pick(CITIES), rng.pick(FORECAST_DAYS), ""), 2],
      );
      break;
  }
  const mustAnswer = last.kind === "typo" || last.kind === "outage";
  if (final && !mustAnswer) options.push([() => smallTalk(conv, "bye"), 4]);
  rng.weighted(options)();
}
