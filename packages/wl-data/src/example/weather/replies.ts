// How the assistant's replies are put together from a persona's templates and the tool results.
import type { Advice } from "./asks.ts";
import { at } from "./at.ts";
import { CONDITION_BY_NAME, type Mood, mood, SKY } from "./conditions.ts";
import type { Conversation } from "./conversation.ts";
import { celsiusOf, degrees } from "./temperature.ts";
import type { CurrentResult, ForecastResult } from "./tool-results.ts";
import { view } from "./view.ts";
import { VOICES } from "./voices.ts";
import { listing, word } from "./words.ts";

/** One city's current weather in the persona's voice, with a closing line unless told not to. */
export function currentReply(
  conv: Conversation,
  result: CurrentResult,
  withFlourish = true,
): string {
  const rng = conv.rng;
  const alt = conv.persona !== "onion" && rng.chance(0.15);
  const facts = view(result, alt);
  const text = rng.pick(VOICES[conv.persona].current)(facts);
  if (!withFlourish) return text;
  const extra = conv.persona === "neutral" && rng.chance(0.5) ? "" : flourish(conv, facts.mood);
  return extra ? `${text} ${extra}` : text;
}

/** A closing line for the mood, in the persona's voice; never a number. */
export function flourish(conv: Conversation, feeling: Mood): string {
  return conv.rng.pick(VOICES[conv.persona].flourishes[feeling]);
}

/** A forecast in the persona's voice, led by a yes or no when the user asked about rain. */
export function forecastReply(
  conv: Conversation,
  result: ForecastResult,
  rainQuestion: boolean,
): string {
  const rng = conv.rng;
  const persona = conv.persona;
  const unit = result.unit;
  const days = result.forecast;
  const first = at(days, 0);
  const lines = days.map((day) => {
    const chance =
      day.precipitation_chance >= 40
        ? `, ${day.precipitation_chance}% chance of ${celsiusOf(day.high, unit) <= 1 ? "snow" : "rain"}`
        : "";
    return `${day.day}: ${day.conditions}, high ${degrees(day.high, unit)}, low ${degrees(day.low, unit)}${chance}`;
  });
  const bullet = persona === "onion" ? "•" : "-";
  let body: string;
  if (days.length === 1) {
    body = rng.pick(VOICES[persona].tomorrow)(
      result.city,
      first.conditions,
      degrees(first.high, unit),
      degrees(first.low, unit),
    );
  } else {
    const intro = rng.pick(VOICES[persona].forecastIntros)(result.city, word(days.length));
    body = `${intro}\n${lines.map((line) => `${bullet} ${line}`).join("\n")}`;
  }
  const feeling = forecastMood(result);
  const extra = persona === "neutral" && rng.chance(0.5) ? "" : flourish(conv, feeling);
  const text = extra ? `${body}\n${extra}` : body;
  if (!rainQuestion) return text;
  const rainy = days
    .filter((day) => {
      const kind = CONDITION_BY_NAME.get(day.conditions)?.kind;
      return kind === "rain" || kind === "storm";
    })
    .map((day) => day.day);
  const lead =
    rainy.length > 0
      ? rng.pick(VOICES[persona].rainYes)(days.length === 1 ? "tomorrow" : `on ${listing(rainy)}`)
      : rng.pick(VOICES[persona].rainNo);
  return `${lead}\n\n${text}`;
}

function forecastMood(result: ForecastResult): Mood {
  const skies = result.forecast.map((day) => CONDITION_BY_NAME.get(day.conditions) ?? SKY.clear);
  for (const kind of ["storm", "rain", "snow"] as const) {
    if (skies.some((sky) => sky.kind === kind)) return kind;
  }
  const highs = result.forecast.map((day) => celsiusOf(day.high, result.unit));
  const lows = result.forecast.map((day) => celsiusOf(day.low, result.unit));
  if (Math.max(...highs) >= 30) return "hot";
  if (Math.min(...lows) <= 0) return "cold";
  const first = at(result.forecast, 0);
  return mood(celsiusOf(first.high, result.unit), at(skies, 0));
}

/** Several cities' current weather as a list, naming the warmest and coldest. */
export function citiesReply(conv: Conversation, results: CurrentResult[]): string {
  const rng = conv.rng;
  const persona = conv.persona;
  const views = results.map((result) => view(result));
  const bullet = persona === "onion" ? "•" : "-";
  const lines = views.map((v) => `${bullet} ${v.city}: ${v.temp}, ${v.conditions}`).join("\n");
  const intro = rng.pick(VOICES[persona].citiesIntros)(word(views.length));
  const sorted = [...views].sort((a, b) => b.tempC - a.tempC);
  const warmest = at(sorted, 0);
  const coldest = at(sorted, sorted.length - 1);
  const second = at(sorted, 1);
  const outro =
    warmest.tempC > second.tempC && warmest.tempC > coldest.tempC
      ? rng.pick(VOICES[persona].citiesOutros)(warmest.city, coldest.city)
      : "";
  return [intro, lines, outro].filter((part) => part !== "").join("\n");
}

/** Two cities compared, the warmer first, or a tie. */
export function compareReply(conv: Conversation, a: CurrentResult, b: CurrentResult): string {
  const rng = conv.rng;
  const [first, second] = [view(a), view(b)];
  if (a.temperature === b.temperature) {
    return rng.pick(VOICES[conv.persona].tie)(first, second);
  }
  const [warm, cold] = a.temperature > b.temperature ? [first, second] : [second, first];
  return rng.pick(VOICES[conv.persona].compare)(warm, cold);
}

/** A plain answer to an advice question. */
export type AdviceReply = (city: string, conditions: string, wet: boolean) => string;

/** Plain answers to each advice question, the same for every persona. */
export const ADVICE_REPLIES: Record<Advice, Record<"yes" | "no", AdviceReply>> = {
  umbrella: {
    yes: (c, w) => `Yes, take an umbrella: ${c} has ${w} right now.`,
    no: (c, w) => `No need; it isn't raining in ${c} right now (${w}).`,
  },
  jacket: {
    yes: (c, w) => `Yes, I'd bring a jacket for ${c} right now (${w}).`,
    no: (c, w) => `You can probably leave the jacket at home; ${c} is warm enough (${w}).`,
  },
  walk: {
    yes: (c, w) => `Yes, it's a good day to be outside in ${c} (${w}).`,
    no: (c, w) => `I'd hold off; ${c} isn't great for being outside right now (${w}).`,
  },
  shorts: {
    yes: (c, w) => `Shorts will do; it's warm in ${c} (${w}).`,
    no: (c, w, wet) => `Not today; ${c} is too ${wet ? "wet" : "cool"} for shorts (${w}).`,
  },
};
