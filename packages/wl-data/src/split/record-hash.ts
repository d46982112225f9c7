// Where a record falls in a split: a seeded hash of its content (the record's JSON text), not
// Math.random and not its position, so the same records and seed always split the same way,
// whatever their order.
import { createHash } from "node:crypto";

/** A 48-bit seeded hash of a record's JSON text. */
export function recordHash(text: string, seed: number): number {
  return createHash("sha256").update(`${seed}:`).update(text).digest().readUIntBE(0, 6);
}
