// Tool results, as the tools would return them, and the calls that ask for them.
import { CITY_BY_NAME, type City } from "./cities.ts";
import { convert, type TempUnit, toFahrenheit, type Unit } from "./temperature.ts";
import type { World } from "./world.ts";

/** What get_current_weather returns. */
export interface CurrentResult {
  city: string;
  country: string;
  temperature: number;
  unit: Unit;
  conditions: string;
  humidity: number;
  wind_speed: number;
  wind_unit: "km/h" | "mph";
}

/** One day of what get_forecast returns. */
export interface ForecastDay {
  day: string;
  high: number;
  low: number;
  conditions: string;
  precipitation_chance: number;
}

/** What get_forecast returns. */
export interface ForecastResult {
  city: string;
  country: string;
  unit: Unit;
  forecast: ForecastDay[];
}

/** What convert_temperature returns. */
export interface ConversionResult {
  value: number;
  from: TempUnit;
  to: TempUnit;
  result: number;
}

/** What a tool returns when it fails. */
export interface ErrorResult {
  error: string;
}

/** The tools a call can name. */
export type ToolName = "get_current_weather" | "get_forecast" | "convert_temperature";

/** One tool call: the tool, its arguments, and an outage to answer with instead. */
export interface Call {
  name: ToolName;
  args: Record<string, string | number>;
  /** Answer with this error instead of running the tool (a service outage). */
  fail?: string;
}

function currentResult(world: World, city: City, unit: Unit): CurrentResult {
  const weather = world.current(city);
  const fahrenheit = unit === "fahrenheit";
  return {
    city: city.name,
    country: city.country,
    temperature: fahrenheit ? toFahrenheit(weather.tempC) : weather.tempC,
    unit,
    conditions: weather.condition.name,
    humidity: weather.humidity,
    wind_speed: fahrenheit ? Math.round(weather.windKmh / 1.609) : weather.windKmh,
    wind_unit: fahrenheit ? "mph" : "km/h",
  };
}

function forecastResult(world: World, city: City, days: number, unit: Unit): ForecastResult {
  const degrees = (celsius: number) => (unit === "fahrenheit" ? toFahrenheit(celsius) : celsius);
  return {
    city: city.name,
    country: city.country,
    unit,
    forecast: world
      .forecast(city)
      .slice(0, days)
      .map((day) => ({
        day: day.day,
        high: degrees(day.highC),
        low: degrees(day.lowC),
        conditions: day.condition.name,
        precipitation_chance: day.precipitation,
      })),
  };
}

/** Runs a call against `world`; an unknown city gives an error result. */
export function runTool(
  world: World,
  call: Call,
): CurrentResult | ForecastResult | ConversionResult | ErrorResult {
  if (call.name === "convert_temperature") {
    const value = Number(call.args.value);
    const from = call.args.from as TempUnit;
    const to = call.args.to as TempUnit;
    return { value, from, to, result: convert(value, from, to) };
  }
  const name = String(call.args.city);
  const city = CITY_BY_NAME.get(name.toLowerCase());
  if (city === undefined) return { error: `city not found: ${name}` };
  const unit = (call.args.unit as Unit | undefined) ?? "celsius";
  if (call.name === "get_current_weather") return currentResult(world, city, unit);
  return forecastResult(world, city, Number(call.args.days), unit);
}

/** What the weather service says when it times out. */
export const OUTAGES = [
  "weather service unavailable, try again shortly",
  "upstream timeout: weather provider did not respond",
  "service temporarily unavailable",
];
