// Checks of numeric options that yargs only types: "Expected …, got …" and how to fix it.
import { WlError } from "@wl/core";

/** A ratio strictly between 0 and 1 (or 0 itself when `zeroMeansNone`). */
export function checkRatio(flag: string, value: number, zeroMeansNone = false): number {
  const low = zeroMeansNone ? value >= 0 : value > 0;
  if (Number.isFinite(value) && low && value < 1) return value;
  const range = zeroMeansNone ? "from 0 (none) to below 1" : "above 0 and below 1";
  throw new WlError("usage", `expected ${flag} ${range}, got ${shown(value)}`, `e.g. ${flag} 0.1`);
}

/** A whole number ≥ `min`. */
export function checkInteger(flag: string, value: number, min: number): number {
  if (Number.isInteger(value) && value >= min) return value;
  throw new WlError(
    "usage",
    `expected ${flag} to be a whole number ≥ ${min}, got ${shown(value)}`,
    `e.g. ${flag} ${Math.max(min, 42)}`,
  );
}

/** yargs turns a non-number into NaN (and JSON into null): say "not a number" instead. */
function shown(value: number): string {
  return Number.isNaN(value) || value === null ? "something that is not a number" : String(value);
}
