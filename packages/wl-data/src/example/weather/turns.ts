// User turns and the assistant's answers: each asks, calls the tools it needs, and replies.
import {
  ADVICE_ASKS,
  type Advice,
  BEST_DAY_ASKS,
  CHAT_ASKS,
  type Chat,
  CITIES_ASKS,
  COMPARE_ASKS,
  CONDITIONAL_ASKS,
  CONFIRMATIONS,
  CONVERT_ASKS,
  CONVERT_LAST_ASKS,
  type ConvertAsk,
  CURRENT_ASKS,
  CURRENT_IN_UNIT_ASKS,
  context,
  FORECAST_ASKS,
  INSTEAD_ASKS,
  NEXT_DAYS_FOLLOW_UPS,
  NOW_AND_FORECAST_ASKS,
  NOW_ASKS,
  OTHER_CITY_ASKS,
  RAIN_ASKS,
  RECIPE_ASKS,
  RETRY_ASKS,
  THEN_CONVERT_ASKS,
  TOMORROW_ASKS,
  TOMORROW_FOLLOW_UPS,
  TWO_CITIES_ASKS,
} from "./asks.ts";
import { at } from "./at.ts";
import type { City } from "./cities.ts";
import { CONDITION_BY_NAME, mood } from "./conditions.ts";
import {
  type Conversation,
  callOne,
  callTools,
  convertCall,
  currentCall,
  forecastCall,
  reply,
  say,
  unitFor,
} from "./conversation.ts";
import {
  ADVICE_REPLIES,
  citiesReply,
  compareReply,
  currentReply,
  flourish,
  forecastReply,
} from "./replies.ts";
import {
  celsiusOf,
  degrees,
  type TempUnit,
  UNIT_NAMES,
  UNIT_SHORT,
  type Unit,
} from "./temperature.ts";
import {
  type ConversionResult,
  type CurrentResult,
  type ErrorResult,
  type ForecastDay,
  type ForecastResult,
  OUTAGES,
} from "./tool-results.ts";
import { misspell } from "./typos.ts";
import { conditionOf, view } from "./view.ts";
import { ONION_ADVICE } from "./voices/onion.ts";
import { VOICES } from "./voices.ts";

/** Asks for one city's weather now (sometimes in a named unit) and answers it. */
export function askCurrent(conv: Conversation, city: City, greet: string, text?: string): void {
  const rng = conv.rng;
  let unit: Unit;
  let question: string;
  if (text === undefined && rng.chance(0.15)) {
    unit = rng.chance(0.5) ? "fahrenheit" : "celsius";
    conv.unit = unit;
    question = rng.pick(CURRENT_IN_UNIT_ASKS)(city.name, UNIT_NAMES[unit]);
  } else {
    unit = unitFor(conv, city);
    question = text ?? `${context(rng, 0.15)}${rng.pick(CURRENT_ASKS)(city.name)}`;
  }
  say(conv, greet + question);
  answerCurrent(conv, city, unit);
}

function answerCurrent(conv: Conversation, city: City, unit: Unit): void {
  const result = callOne<CurrentResult>(conv, currentCall(conv, city, unit));
  reply(conv, currentReply(conv, result));
  conv.last = { kind: "current", city, result };
}

/** Asks about another city, or the same one now, after what came before. */
export function askOtherCity(
  conv: Conversation,
  city: City,
  how: "other" | "now" | "instead" = "other",
) {
  const asks = how === "now" ? NOW_ASKS : how === "instead" ? INSTEAD_ASKS : OTHER_CITY_ASKS;
  askCurrent(conv, city, "", conv.rng.pick(asks)(city.name));
}

/** Asks for a city's forecast (or whether it will rain) and answers it. */
export function askForecast(conv: Conversation, city: City, days: number, greet: string): void {
  const rng = conv.rng;
  const rain = rng.chance(0.2);
  const asks = rain ? RAIN_ASKS : days === 1 ? TOMORROW_ASKS : FORECAST_ASKS;
  say(conv, greet + context(rng, 0.15) + rng.pick(asks)(city.name, days));
  answerForecast(conv, city, days, rain);
}

function answerForecast(conv: Conversation, city: City, days: number, rain: boolean): void {
  const unit = unitFor(conv, city);
  const result = callOne<ForecastResult>(conv, forecastCall(conv, city, days, unit));
  reply(conv, forecastReply(conv, result, rain));
  conv.last = { kind: "forecast", city, result };
}

/** Asks for tomorrow in the city just discussed. */
export function askTomorrow(conv: Conversation, city: City): void {
  say(conv, conv.rng.pick(TOMORROW_FOLLOW_UPS));
  answerForecast(conv, city, 1, false);
}

/** Asks for the next few days in the city just discussed. */
export function askForecastNext(conv: Conversation, city: City): void {
  const days = conv.rng.pick([2, 3, 3, 5, 7]);
  say(conv, conv.rng.pick(NEXT_DAYS_FOLLOW_UPS)(days));
  answerForecast(conv, city, days, false);
}

/** Asks for the same forecast in another city. */
export function askForecastOther(conv: Conversation, city: City, days: number): void {
  say(conv, conv.rng.pick(OTHER_CITY_ASKS)(city.name));
  answerForecast(conv, city, days, false);
}

/** Asks about two to four cities at once: parallel calls, one reply. */
export function askCities(conv: Conversation, cities: City[], greet: string): void {
  const rng = conv.rng;
  const names = cities.map((city) => city.name);
  const asks = names.length === 2 ? [...CITIES_ASKS, ...TWO_CITIES_ASKS] : CITIES_ASKS;
  say(conv, greet + rng.pick(asks)(names));
  const unit = unitFor(conv, at(cities, 0));
  const results = callTools(
    conv,
    cities.map((city) => currentCall(conv, city, unit)),
  ) as CurrentResult[];
  reply(conv, citiesReply(conv, results));
  conv.last = { kind: "cities", cities };
}

/** Asks for a city now and its forecast: two parallel calls. */
export function askNowAndForecast(
  conv: Conversation,
  city: City,
  days: number,
  greet: string,
): void {
  const rng = conv.rng;
  say(conv, greet + rng.pick(NOW_AND_FORECAST_ASKS)(city.name, days));
  const unit = unitFor(conv, city);
  const [now, ahead] = callTools(conv, [
    currentCall(conv, city, unit),
    forecastCall(conv, city, days, unit),
  ]) as [CurrentResult, ForecastResult];
  reply(conv, `${currentReply(conv, now, false)}\n\n${forecastReply(conv, ahead, false)}`);
  conv.last = { kind: "forecast", city, result: ahead };
}

/** Sequential: the second city is looked up only after the first answer is in. */
export function askCompare(conv: Conversation, cities: City[], greet: string): void {
  const rng = conv.rng;
  const [a, b] = [at(cities, 0), at(cities, 1)];
  say(conv, greet + rng.pick(COMPARE_ASKS)(a.name, b.name));
  const unit = unitFor(conv, a);
  const first = callOne<CurrentResult>(conv, currentCall(conv, a, unit));
  const second = callOne<CurrentResult>(conv, currentCall(conv, b, unit));
  reply(conv, compareReply(conv, first, second));
  conv.last = { kind: "cities", cities };
}

/** Sequential: the conversion needs the temperature the first call returns. */
export function askThenConvert(conv: Conversation, city: City, greet: string): void {
  const rng = conv.rng;
  const unit = unitFor(conv, city);
  const to: TempUnit = rng.chance(0.2) ? "kelvin" : unit === "celsius" ? "fahrenheit" : "celsius";
  say(conv, greet + rng.pick(THEN_CONVERT_ASKS)(city.name, UNIT_NAMES[to]));
  const now = callOne<CurrentResult>(conv, currentCall(conv, city, unit));
  const converted = callOne<ConversionResult>(conv, convertCall(now.temperature, unit, to));
  const tail = rng.pick(VOICES[conv.persona].convert)(
    degrees(now.temperature, unit),
    degrees(converted.result, to),
  );
  reply(conv, `${currentReply(conv, now, false)} ${tail}`);
  conv.last = { kind: "current", city, result: now };
}

/** Sequential, and the second call depends on what the first returned. */
export function askConditional(conv: Conversation, cities: City[], greet: string): void {
  const rng = conv.rng;
  const [a, b] = [at(cities, 0), at(cities, 1)];
  say(conv, greet + rng.pick(CONDITIONAL_ASKS)(a.name, b.name));
  const unit = unitFor(conv, a);
  const first = callOne<CurrentResult>(conv, currentCall(conv, a, unit));
  const sky = conditionOf(first);
  if (sky.kind !== "rain" && sky.kind !== "storm") {
    reply(conv, rng.pick(VOICES[conv.persona].dry)(view(first), b.name));
    conv.last = { kind: "current", city: a, result: first };
    return;
  }
  const second = callOne<CurrentResult>(conv, currentCall(conv, b, unit));
  reply(conv, rng.pick(VOICES[conv.persona].wet)(view(first), view(second)));
  conv.last = { kind: "cities", cities };
}

/** Asks for a plain temperature conversion. */
export function askConvert(conv: Conversation, greet: string): void {
  const rng = conv.rng;
  const [from, to, value, asks] = rng.weighted<[TempUnit, TempUnit, number, readonly ConvertAsk[]]>(
    [
      [["celsius", "fahrenheit", rng.int(-15, 40), CONVERT_ASKS], 4],
      [["fahrenheit", "celsius", rng.int(0, 110), CONVERT_ASKS], 4],
      [["celsius", "fahrenheit", rng.pick([160, 180, 200, 220]), RECIPE_ASKS], 1],
      [["celsius", "kelvin", rng.int(-20, 40), CONVERT_ASKS], 1],
      [["kelvin", "celsius", rng.int(250, 310), CONVERT_ASKS], 1],
    ],
  );
  say(conv, greet + rng.pick(asks)(value, UNIT_SHORT[from], UNIT_NAMES[to]));
  const result = callOne<ConversionResult>(conv, convertCall(value, from, to));
  reply(
    conv,
    rng.pick(VOICES[conv.persona].convert)(degrees(value, from), degrees(result.result, to)),
  );
  conv.last = { kind: "conversion", result };
}

/** Asks for the temperature just reported in another unit. */
export function askConvertLast(conv: Conversation, last: CurrentResult): void {
  const rng = conv.rng;
  const to: TempUnit = rng.chance(0.15)
    ? "kelvin"
    : last.unit === "celsius"
      ? "fahrenheit"
      : "celsius";
  say(conv, rng.pick(CONVERT_LAST_ASKS)(UNIT_NAMES[to]));
  const result = callOne<ConversionResult>(conv, convertCall(last.temperature, last.unit, to));
  reply(
    conv,
    rng.pick(VOICES[conv.persona].convert)(
      degrees(last.temperature, last.unit),
      degrees(result.result, to),
    ),
  );
  conv.last = { kind: "conversion", result };
}

/** Asks about a place that does not exist; the tool says so. */
export function askNowhere(conv: Conversation, place: string, greet: string): void {
  const rng = conv.rng;
  say(conv, greet + rng.pick(CURRENT_ASKS)(place));
  const unit = conv.unit ?? "celsius";
  callOne<ErrorResult>(conv, {
    name: "get_current_weather",
    args: rng.chance(0.5) ? { city: place } : { city: place, unit },
  });
  reply(conv, rng.pick(VOICES[conv.persona].nowhere)(place));
  conv.last = { kind: "nowhere" };
}

/** Asks about a misspelt city; the tool fails and the assistant suggests the real one. */
export function askTypo(conv: Conversation, city: City, greet: string): void {
  const rng = conv.rng;
  const misspelt = misspell(rng, city.name);
  say(conv, greet + rng.pick(CURRENT_ASKS)(misspelt));
  callOne<ErrorResult>(conv, { name: "get_current_weather", args: { city: misspelt } });
  reply(conv, rng.pick(VOICES[conv.persona].typo)(misspelt, city.name));
  conv.last = { kind: "typo", city };
}

/** Confirms the suggested city, which is then looked up. */
export function confirmTypo(conv: Conversation, city: City): void {
  say(conv, conv.rng.pick(CONFIRMATIONS)(city.name));
  answerCurrent(conv, city, unitFor(conv, city));
}

/**
 * The weather service times out; half the time the assistant retries at once (a second,
 * sequential call), otherwise it says so and the user asks again.
 */
export function askOutage(conv: Conversation, city: City, greet: string): void {
  const rng = conv.rng;
  say(conv, greet + rng.pick(CURRENT_ASKS)(city.name));
  const unit = unitFor(conv, city);
  callOne<ErrorResult>(conv, { ...currentCall(conv, city, unit), fail: rng.pick(OUTAGES) });
  if (rng.chance(0.5)) {
    answerCurrent(conv, city, unit);
    return;
  }
  reply(conv, rng.pick(VOICES[conv.persona].outage));
  conv.last = { kind: "outage", city };
}

/** Asks again after an outage, and this time the call succeeds. */
export function retryOutage(conv: Conversation, city: City): void {
  say(conv, conv.rng.pick(RETRY_ASKS));
  answerCurrent(conv, city, unitFor(conv, city));
}

/** Answered from the weather already fetched: no tool call, no new numbers. */
export function advise(conv: Conversation, city: City, named: boolean): void {
  const rng = conv.rng;
  const question = rng.pick<Advice>(["umbrella", "jacket", "walk", "shorts"]);
  say(conv, rng.pick(ADVICE_ASKS[question])(named ? ` in ${city.name}` : ""));
  const weather = conv.world.current(city);
  const kind = weather.condition.kind;
  const wet = kind === "rain" || kind === "storm";
  const yes = {
    umbrella: wet,
    jacket: weather.tempC < 15 || wet || kind === "wind" || kind === "snow",
    walk: !wet && kind !== "snow" && weather.tempC >= 5 && weather.tempC <= 30,
    shorts: !wet && weather.tempC >= 24,
  }[question];
  const answer = yes ? "yes" : "no";
  const core = ADVICE_REPLIES[question][answer](city.name, weather.condition.name, wet);
  if (conv.persona === "onion") reply(conv, `${ONION_ADVICE[question][answer]} ${core}`);
  else if (conv.persona === "neutral") reply(conv, core);
  else reply(conv, `${core} ${flourish(conv, mood(weather.tempC, weather.condition))}`);
}

/** Asks which day of the forecast just given is best to be outside. */
export function bestDay(conv: Conversation, result: ForecastResult): void {
  const rng = conv.rng;
  say(conv, rng.pick(BEST_DAY_ASKS));
  // Dry first, then closest to a comfortable 22 °C, and not windy.
  const discomfort = (day: ForecastDay) =>
    day.precipitation_chance +
    2 * Math.abs(celsiusOf(day.high, result.unit) - 22) +
    (CONDITION_BY_NAME.get(day.conditions)?.kind === "wind" ? 15 : 0);
  const best = [...result.forecast].sort((a, b) => discomfort(a) - discomfort(b))[0];
  if (best === undefined) throw new Error("a forecast with no days");
  reply(
    conv,
    rng.pick(VOICES[conv.persona].bestDay)(
      best.day,
      best.conditions,
      degrees(best.high, result.unit),
    ),
  );
}

/** Small talk: no tool is called, so no number appears. */
export function smallTalk(conv: Conversation, chat: Chat): void {
  say(conv, conv.rng.pick(CHAT_ASKS[chat]));
  reply(conv, conv.rng.pick(VOICES[conv.persona].chat[chat]));
  if (chat !== "bye") conv.last = { kind: "chat" };
}
