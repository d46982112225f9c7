// Temperature units: conversions, and how a temperature and a unit are written.

/** The units a weather tool reports in. */
export type Unit = "celsius" | "fahrenheit";

/** The units convert_temperature knows. */
export type TempUnit = Unit | "kelvin";

/** °C to whole °F. */
export function toFahrenheit(celsius: number): number {
  return Math.round((celsius * 9) / 5 + 32);
}

/** What convert_temperature returns: to 0.1 degree, or 0.01 in Kelvin. */
export function convert(value: number, from: TempUnit, to: TempUnit): number {
  const celsius =
    from === "celsius" ? value : from === "fahrenheit" ? ((value - 32) * 5) / 9 : value - 273.15;
  const result =
    to === "celsius" ? celsius : to === "fahrenheit" ? (celsius * 9) / 5 + 32 : celsius + 273.15;
  return to === "kelvin" ? Math.round(result * 100) / 100 : Math.round(result * 10) / 10;
}

/** A reported temperature back in whole °C. */
export function celsiusOf(value: number, unit: Unit): number {
  return unit === "celsius" ? value : Math.round(((value - 32) * 5) / 9);
}

/** A temperature as a reply writes it: "14°C", "57°F", "287.15 K". */
export function degrees(value: number, unit: TempUnit): string {
  if (unit === "kelvin") return `${value} K`;
  return `${value}°${unit === "celsius" ? "C" : "F"}`;
}

/** Unit names as a user writes them: "Fahrenheit". */
export const UNIT_NAMES: Record<TempUnit, string> = {
  celsius: "Celsius",
  fahrenheit: "Fahrenheit",
  kelvin: "Kelvin",
};

/** Unit symbols that follow a number: "°C", " K". */
export const UNIT_SHORT: Record<TempUnit, string> = {
  celsius: "°C",
  fahrenheit: "°F",
  kelvin: " K",
};
