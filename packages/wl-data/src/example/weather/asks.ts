// What users ask: greetings, trip context and the wording of every kind of question.
import type { Rng } from "./random.ts";
import { listing, word } from "./words.ts";

/** Now and then a reason for asking, in front of the question. */
export function context(rng: Rng, probability: number): string {
  return rng.chance(probability) ? `${rng.pick(CONTEXTS)} ` : "";
}

/** What goes in front of a first question now and then. */
export const GREETINGS = [
  "Hi!",
  "Hello.",
  "Hey there!",
  "Good morning!",
  "Hi there.",
  "Howdy.",
  "Hey!",
];

const CONTEXTS = [
  "I'm packing for a trip.",
  "My flight lands this evening.",
  "Planning a run later.",
  "We're thinking about a picnic.",
  "I have a job interview there.",
  "Deciding what to wear.",
  "My parents are visiting.",
  "Heading out on my bike soon.",
];

/** A question about one city. */
export type Ask = (city: string) => string;

/** Asking for one city's weather now. */
export const CURRENT_ASKS: readonly Ask[] = [
  (c) => `What's the weather like in ${c}?`,
  (c) => `weather in ${c}`,
  (c) => `How's the weather in ${c} right now?`,
  (c) => `What's it like outside in ${c} at the moment?`,
  (c) => `Can you check the current weather in ${c} for me?`,
  (c) => `${c} weather?`,
  (c) => `Current conditions in ${c}, please.`,
  (c) => `What's the temperature in ${c}?`,
  (c) => `whats the weather in ${c} rn`,
  (c) =>
    `Could you tell me the current temperature and conditions in ${c}? I'm trying to decide what to wear today.`,
  (c) => `My sister just moved to ${c}. What's the weather doing there today?`,
  (c) => `Is it nice out in ${c} today?`,
  (c) => `Tell me the weather in ${c}.`,
  (c) => `I land in ${c} in a couple of hours. What's it like there now?`,
  (c) => `how cold is it in ${c}`,
  (c) => `Is it raining in ${c}?`,
];

/** Asking for one city's weather now in a named unit. */
export const CURRENT_IN_UNIT_ASKS: readonly ((city: string, unit: string) => string)[] = [
  (c, u) => `What's the temperature in ${c} in ${u}?`,
  (c, u) => `Weather in ${c} please, in ${u}.`,
  (c, u) => `How warm is it in ${c}? Give it to me in ${u}.`,
  (c, u) => `${c} weather in ${u.toLowerCase()}`,
];

/** Asking the same about another city. */
export const OTHER_CITY_ASKS: readonly Ask[] = [
  (c) => `What about ${c}?`,
  (c) => `And ${c}?`,
  (c) => `how about ${c}`,
  (c) => `Now do ${c}.`,
  (c) => `And what's it like in ${c}?`,
];

/** Asking for the current weather after a forecast. */
export const NOW_ASKS: readonly Ask[] = [
  (c) => `And what's it like in ${c} right now?`,
  (c) => `What about right now in ${c}?`,
  (c) => `ok and currently in ${c}?`,
];

/** Asking about a real city after an unknown one. */
export const INSTEAD_ASKS: readonly Ask[] = [
  (c) => `Ha, fair enough. How about ${c}?`,
  (c) => `Oops. What about ${c} then?`,
  (c) => `ok try ${c}`,
  (c) => `Fine, ${c} then.`,
  (c) => `My mistake. Weather in ${c}?`,
];

/** A question about one city over a number of days. */
export type DaysAsk = (city: string, days: number) => string;

/** Asking for one city's weather tomorrow. */
export const TOMORROW_ASKS: readonly DaysAsk[] = [
  (c) => `What's the forecast for ${c} tomorrow?`,
  (c) => `tomorrow's weather in ${c}?`,
  (c) => `What should I expect in ${c} tomorrow?`,
  (c) => `How will the weather be in ${c} tomorrow? I have an outdoor meeting.`,
];

/** Asking for one city's forecast over several days. */
export const FORECAST_ASKS: readonly DaysAsk[] = [
  (c, n) => `What's the forecast for ${c} for the next ${n} days?`,
  (c, n) => `I'll be in ${c} for ${n} days starting tomorrow. What weather should I pack for?`,
  (c, n) => `${c} forecast, ${n} days`,
  (c, n) => `Can you get me a ${n}-day forecast for ${c}?`,
  (c, n) => `What's the weather going to do in ${c} over the next ${word(n)} days?`,
  (c, n) => (n === 7 ? `What's the week looking like in ${c}?` : `next ${n} days in ${c}?`),
];

/** Asking whether it will rain. */
export const RAIN_ASKS: readonly DaysAsk[] = [
  (c, n) =>
    n === 1 ? `Will it rain in ${c} tomorrow?` : `Will it rain in ${c} in the next ${n} days?`,
  (c, n) =>
    n === 1
      ? `Do I need an umbrella in ${c} tomorrow?`
      : `Any rain coming in ${c} over the next ${word(n)} days?`,
];

/** Asking for tomorrow after today's weather. */
export const TOMORROW_FOLLOW_UPS = [
  "And tomorrow?",
  "What about tomorrow?",
  "how about tomorrow",
  "Will it be any different tomorrow?",
  "And the forecast for tomorrow?",
];

/** Asking for the next few days after today's weather. */
export const NEXT_DAYS_FOLLOW_UPS: readonly ((days: number) => string)[] = [
  (n) => `What's the forecast for the next ${n} days?`,
  (n) => `And the next ${word(n)} days?`,
  (n) =>
    n === 7 ? "What does the rest of the week look like?" : `Can I get a ${n}-day forecast too?`,
];

/** A question about several cities. */
export type CitiesAsk = (cities: readonly string[]) => string;

/** Asking about several cities at once. */
export const CITIES_ASKS: readonly CitiesAsk[] = [
  (cs) => `What's the weather in ${listing(cs)}?`,
  (cs) => `Compare the current weather in ${listing(cs)} for me.`,
  (cs) => `I have layovers in ${listing(cs)}. What's the weather like in each?`,
  (cs) => `Quick check: ${cs.join(", ")}?`,
  (cs) => `Can you get me current conditions for ${listing(cs)}? Trying to plan a trip.`,
];

/** Asking about exactly two cities at once. */
export const TWO_CITIES_ASKS: readonly CitiesAsk[] = [
  (cs) => `weather ${cs.join(" ")}`,
  (cs) => `How's the weather in ${cs[0]} and ${cs[1]} right now?`,
  (cs) => `My team is split between ${cs[0]} and ${cs[1]}. What's the weather in both?`,
];

/** Asking for one city now and its forecast. */
export const NOW_AND_FORECAST_ASKS: readonly DaysAsk[] = [
  (c, n) => `What's it like in ${c} now, and what's the forecast for the next ${n} days?`,
  (c, n) => `Current weather and a ${n}-day forecast for ${c}, please.`,
  (c, n) => `${c}: now and the next ${word(n)} days?`,
];

/** A question naming two things. */
export type PairAsk = (a: string, b: string) => string;

/** Asking which of two cities is warmer. */
export const COMPARE_ASKS: readonly PairAsk[] = [
  (a, b) => `Is it warmer in ${a} or ${b} right now?`,
  (a, b) => `Which is colder at the moment, ${a} or ${b}?`,
  (a, b) => `Where's the warmer weather today: ${a} or ${b}?`,
  (a, b) => `${a} vs ${b}, which one's warmer?`,
];

/** Asking for a city's temperature in another unit. */
export const THEN_CONVERT_ASKS: readonly PairAsk[] = [
  (c, u) => `What's the temperature in ${c}? And what's that in ${u}?`,
  (c, u) => `Check ${c} for me and convert the temperature to ${u}.`,
  (c, u) => `How hot is it in ${c}, in ${u}?`,
];

/** Asking about a second city only if the first is wet. */
export const CONDITIONAL_ASKS: readonly PairAsk[] = [
  (a, b) => `Is it raining in ${a}? If it is, check ${b} too; I might go there instead.`,
  (a, b) => `Check ${a} first. If it's wet there, look up ${b}.`,
  (a, b) =>
    `We're choosing between ${a} and ${b} for the weekend. Is ${a} rainy right now? If so, how's ${b}?`,
];

/** A conversion question: value, the unit's symbol, the target unit's name. */
export type ConvertAsk = (value: number, from: string, to: string) => string;

/** Asking to convert a temperature. */
export const CONVERT_ASKS: readonly ConvertAsk[] = [
  (v, f, t) => `Convert ${v}${f} to ${t}.`,
  (v, f, t) => `what is ${v}${f} in ${t.toLowerCase()}`,
  (v, f, t) => `How much is ${v}${f} in ${t}?`,
  (v, f, t) => `Can you convert ${v}${f} into ${t} for me?`,
  (v, f, t) => `${v}${f} in ${t}?`,
];

/** Asking to convert an oven temperature. */
export const RECIPE_ASKS: readonly ConvertAsk[] = [
  (v, f, t) => `My recipe says to bake at ${v}${f}. What's that in ${t}?`,
  (v, f, t) => `Oven at ${v}${f}: what is that in ${t}?`,
];

/** Asking for the temperature just given in another unit. */
export const CONVERT_LAST_ASKS: readonly ((unit: string) => string)[] = [
  (u) => `What's that in ${u}?`,
  (u) => `in ${u.toLowerCase()} pls`,
  (u) => `Can you convert that to ${u}?`,
  (u) => `How much is that in ${u}?`,
  (u) => `Sorry, I only understand ${u}. What's that?`,
];

/** Saying yes to the city the assistant suggested. */
export const CONFIRMATIONS: readonly Ask[] = [
  () => "yes",
  (c) => `Yes, ${c}.`,
  () => "yep",
  () => "Yes please!",
  (c) => `Right, ${c}. Sorry.`,
];

/** Asking again after an outage. */
export const RETRY_ASKS = [
  "Can you try again?",
  "try again pls",
  "Could you give it another go?",
  "Retry?",
];

/** The advice questions a user asks about the weather just fetched. */
export type Advice = "umbrella" | "jacket" | "walk" | "shorts";

/** Asked right after one city's weather, or about one of several (then the city is named). */
export const ADVICE_ASKS: Record<Advice, readonly ((where: string) => string)[]> = {
  umbrella: [
    (w) => `Should I bring an umbrella${w}?`,
    (w) => `do i need an umbrella${w}`,
    (w) => `Umbrella or no umbrella${w}?`,
  ],
  jacket: [(w) => `Do I need a jacket${w}?`, (w) => `Should I wear a coat${w}?`],
  walk: [(w) => `Is it a good day for a walk${w}?`, (w) => `Good weather for a run${w}?`],
  shorts: [(w) => `Can I wear shorts${w}?`, (w) => `Is it warm enough for shorts${w}?`],
};

/** Asking which day of a forecast is best. */
export const BEST_DAY_ASKS = [
  "Which day looks best for a picnic?",
  "Which day would be best to be outside?",
  "When's the best day for a hike?",
  "which day should i do laundry and hang it out",
];

/** Small-talk topics. */
export type Chat = "greet" | "identity" | "joke" | "climate" | "offtopic" | "bye";

/** Small talk on each topic. */
export const CHAT_ASKS: Record<Chat, readonly string[]> = {
  greet: ["Hi!", "Hello there.", "good morning", "Hey, how are you?", "Howdy!"],
  identity: ["Who are you?", "What can you do?", "What kind of questions can I ask you?"],
  joke: ["Tell me a weather joke.", "Know any jokes about the weather?", "make me laugh"],
  climate: [
    "What's the difference between weather and climate?",
    "Why is it colder in the mountains?",
  ],
  offtopic: ["Can you book me a flight?", "Can you order me a pizza?", "What stock should I buy?"],
  bye: [
    "Thanks!",
    "thank you",
    "Great, thanks for your help.",
    "Perfect, that's all I needed.",
    "cheers",
    "ty",
  ],
};
