// A current-weather result as reply templates read it: units written out, mood worked out.
import { CONDITION_BY_NAME, type Condition, type Mood, mood, SKY } from "./conditions.ts";
import { celsiusOf, degrees, toFahrenheit, type Unit } from "./temperature.ts";
import type { CurrentResult } from "./tool-results.ts";

/** What a reply template may say about one city's current weather. */
export interface View {
  city: string;
  /** "14°C", sometimes with the other unit: "14°C (about 57°F)". */
  temp: string;
  with: string;
  conditions: string;
  humidity: string;
  wind: string;
  mood: Mood;
  tempC: number;
}

/** The condition a result names. */
export function conditionOf(result: CurrentResult): Condition {
  return CONDITION_BY_NAME.get(result.conditions) ?? SKY.clear;
}

/** A result as templates read it; `alt` adds the temperature in the other unit. */
export function view(result: CurrentResult, alt = false): View {
  const sky = conditionOf(result);
  const tempC = celsiusOf(result.temperature, result.unit);
  const other = result.unit === "celsius" ? toFahrenheit(result.temperature) : tempC;
  const otherUnit: Unit = result.unit === "celsius" ? "fahrenheit" : "celsius";
  const temp = degrees(result.temperature, result.unit);
  return {
    city: result.city,
    temp: alt ? `${temp} (about ${degrees(other, otherUnit)})` : temp,
    with: sky.with,
    conditions: result.conditions,
    humidity: `${result.humidity}%`,
    wind: `${result.wind_speed} ${result.wind_unit}`,
    mood: mood(tempC, sky),
    tempC,
  };
}
