// English wording: lists with "and", headline capitals, small numbers in words.

/** "A, B and C". */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Capitalises every word, as a headline does. */
export function titleCase(text: string): string {
  return text.replace(/\b([a-z])/g, (letter) => letter.toUpperCase());
}

const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven"];

/** Day and city counts in words: a reply states no number that a tool did not return. */
export function word(count: number): string {
  return NUMBER_WORDS[count] ?? String(count);
}
