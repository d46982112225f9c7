// Every persona's voice, by persona.
import type { Persona } from "./personas.ts";
import type { Voice } from "./voice.ts";
import { FRANKLIN } from "./voices/franklin.ts";
import { NEUTRAL } from "./voices/neutral.ts";
import { ONION } from "./voices/onion.ts";
import { TWAIN } from "./voices/twain.ts";

/** The voice each persona writes in. */
export const VOICES: Record<Persona, Voice> = {
  twain: TWAIN,
  franklin: FRANKLIN,
  onion: ONION,
  neutral: NEUTRAL,
};
