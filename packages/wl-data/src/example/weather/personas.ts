// The four personas: their shares of the records, how many each gets, and which one wrote a record.
import type { ChatRecord } from "../../formats/chat.ts";

/** The four system-prompt voices of the example. */
export type Persona = "twain" | "franklin" | "onion" | "neutral";

/** The personas, in the order their counts are allocated. */
export const PERSONAS: readonly Persona[] = ["twain", "franklin", "onion", "neutral"];

/** Target share of each persona in percent (as specified; they sum to 100.1, so they are normalised). */
export const PERSONA_SHARES: Readonly<Record<Persona, number>> = {
  twain: 44.3,
  franklin: 15.4,
  onion: 9.4,
  neutral: 31.0,
};

/** The persona a record was written in, read from its system prompt; undefined without one. */
export function personaOf(record: ChatRecord): Persona | undefined {
  const system = record.messages.find((message) => message.role === "system");
  if (system === undefined || typeof system.content !== "string") return undefined;
  if (system.content.includes("Mark Twain")) return "twain";
  if (system.content.includes("Benjamin Franklin")) return "franklin";
  if (system.content.includes("The Onion")) return "onion";
  return "neutral";
}

/** How many of `n` records each persona gets: largest remainder over the normalised shares. */
export function personaCounts(n: number): Record<Persona, number> {
  const total = PERSONAS.reduce((sum, persona) => sum + PERSONA_SHARES[persona], 0);
  return largestRemainder(
    n,
    PERSONAS.map((persona) => PERSONA_SHARES[persona] / total),
    PERSONAS,
  );
}

function largestRemainder<K extends string>(
  total: number,
  shares: readonly number[],
  keys: readonly K[],
): Record<K, number> {
  const exact = shares.map((share) => share * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((sum, count) => sum + count, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
    left--;
  }
  return Object.fromEntries(keys.map((key, index) => [key, counts[index] ?? 0])) as Record<
    K,
    number
  >;
}
