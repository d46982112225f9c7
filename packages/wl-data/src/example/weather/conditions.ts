// Sky conditions: what a tool reports, the kind of weather each is, and the mood it sets.

/** The kinds of weather a condition falls into. */
export type Kind = "clear" | "cloudy" | "rain" | "storm" | "snow" | "fog" | "wind" | "haze";

/** The feeling a reply's closing line answers to. */
export type Mood =
  | "storm"
  | "snow"
  | "rain"
  | "fog"
  | "wind"
  | "hot"
  | "cold"
  | "clear"
  | "cloudy"
  | "mild";

/** A sky condition as a tool names it, and how a reply words it. */
export interface Condition {
  name: string;
  /** What follows a temperature: "14°C with light rain". */
  with: string;
  kind: Kind;
}

function condition(name: string, withPhrase: string, kind: Kind): Condition {
  return { name, with: withPhrase, kind };
}

/** Every condition the simulated weather service reports. */
export const SKY = {
  clear: condition("clear", "under clear skies", "clear"),
  sunny: condition("sunny", "and sunny", "clear"),
  partlyCloudy: condition("partly cloudy", "with a few clouds", "cloudy"),
  overcast: condition("overcast", "under overcast skies", "cloudy"),
  drizzle: condition("drizzle", "with drizzle", "rain"),
  lightRain: condition("light rain", "with light rain", "rain"),
  rain: condition("rain", "with steady rain", "rain"),
  showers: condition("showers", "with scattered showers", "rain"),
  heavyRain: condition("heavy rain", "with heavy rain", "rain"),
  thunderstorms: condition("thunderstorms", "with thunderstorms", "storm"),
  lightSnow: condition("light snow", "with light snow", "snow"),
  snow: condition("snow", "with snow falling", "snow"),
  sleet: condition("sleet", "with sleet", "snow"),
  fog: condition("fog", "in thick fog", "fog"),
  mist: condition("mist", "in a light mist", "fog"),
  windy: condition("windy", "and windy", "wind"),
  dust: condition("blowing dust", "with blowing dust", "wind"),
  haze: condition("haze", "under a haze", "haze"),
} as const;

/** Conditions by the name a tool result carries. */
export const CONDITION_BY_NAME = new Map(Object.values(SKY).map((sky) => [sky.name, sky]));

/** The mood of a temperature under a sky. */
export function mood(tempC: number, sky: Condition): Mood {
  if (sky.kind === "storm" || sky.kind === "snow" || sky.kind === "rain") return sky.kind;
  if (sky.kind === "fog" || sky.kind === "wind") return sky.kind;
  if (tempC >= 30) return "hot";
  if (tempC <= 3) return "cold";
  if (sky.kind === "clear") return tempC >= 12 ? "clear" : "mild";
  if (sky.kind === "cloudy" || sky.kind === "haze") return "cloudy";
  return "mild";
}
