// What users type: lower case, no apostrophes, a slipped key, a misspelt word.
import { at } from "./at.ts";
import { CITIES, CITY_BY_NAME, NOWHERE } from "./cities.ts";
import type { Rng } from "./random.ts";

/** Some user messages come out the way people type: lower case, no apostrophes, a slipped key. */
export function roughen(rng: Rng, text: string): string {
  if (!rng.chance(0.12)) return text;
  switch (rng.int(0, 3)) {
    case 0:
      return text.toLowerCase().replace(/[.?!]+$/, "");
    case 1:
      return slip(rng, text);
    case 2:
      return text.replace(/'/g, "");
    default:
      return slip(rng, text).toLowerCase();
  }
}

const CITY_WORDS = new Set(
  [...CITIES.map((city) => city.name), ...NOWHERE].flatMap((name) =>
    name.toLowerCase().split(/[\s-]+/),
  ),
);

// A typo in one ordinary word (never a city's name): two letters swapped, one dropped or doubled.
function slip(rng: Rng, text: string): string {
  const words = text.split(" ");
  const candidates = words
    .map((word, index) => ({ word, index }))
    .filter(({ word }) => /^[A-Za-z]{4,}$/.test(word) && !CITY_WORDS.has(word.toLowerCase()));
  if (candidates.length === 0) return text;
  const { word, index } = rng.pick(candidates);
  words[index] = misspell(rng, word);
  return words.join(" ");
}

/** A misspelling of `word` (two letters swapped, one dropped or doubled) that names no city. */
export function misspell(rng: Rng, word: string): string {
  for (let attempt = 0; attempt < 10; attempt++) {
    const i = rng.int(1, word.length - 2);
    const letters = [...word];
    const kind = rng.int(0, 2);
    if (kind === 0) letters.splice(i, 2, at(letters, i + 1), at(letters, i));
    else if (kind === 1) letters.splice(i, 1);
    else letters.splice(i, 0, at(letters, i));
    const result = letters.join("");
    if (result !== word && !CITY_BY_NAME.has(result.toLowerCase())) return result;
  }
  return `${word}${word.charAt(word.length - 1)}`;
}
