// What a persona's voice holds: its system prompts and a template for every kind of reply.
import type { Chat } from "./asks.ts";
import type { Mood } from "./conditions.ts";
import type { View } from "./view.ts";

/** A reply about one city's current weather. */
export type ViewReply = (v: View) => string;

/** A reply about one city's weather tomorrow. */
export type DayReply = (city: string, conditions: string, high: string, low: string) => string;

/** The line above a forecast: the city, and the number of days in words. */
export type IntroReply = (city: string, days: string) => string;

/** A reply about two cities, the warmer first. */
export type PairReply = (warm: View, cold: View) => string;

/** One persona's voice: its system prompts and a template for every kind of reply. */
export interface Voice {
  /** The system prompts a record in this voice starts with, one picked at random. */
  systemPrompts: readonly string[];
  /** One city's current weather. */
  current: readonly ViewReply[];
  /** A closing line for each kind of weather; never a number. */
  flourishes: Record<Mood, readonly string[]>;
  /** Tomorrow's forecast for one city. */
  tomorrow: readonly DayReply[];
  /** The line above a forecast of several days. */
  forecastIntros: readonly IntroReply[];
  /** Leads a forecast when rain is due: "tomorrow" or "on Monday and Friday". */
  rainYes: readonly ((when: string) => string)[];
  /** Leads a forecast when no rain is due. */
  rainNo: readonly string[];
  /** The line above several cities' current weather; the count is in words. */
  citiesIntros: readonly ((count: string) => string)[];
  /** The line below it, naming the warmest and the coldest city. */
  citiesOutros: readonly ((warm: string, cold: string) => string)[];
  /** Two cities compared, the warmer first. */
  compare: readonly PairReply[];
  /** Two cities at the same temperature. */
  tie: readonly PairReply[];
  /** The first city is dry, so the second was not looked up. */
  dry: readonly ((a: View, other: string) => string)[];
  /** The first city is wet, so the second was looked up too. */
  wet: readonly ((a: View, b: View) => string)[];
  /** A temperature converted. */
  convert: readonly ((from: string, to: string) => string)[];
  /** A place the weather service does not know. */
  nowhere: readonly ((place: string) => string)[];
  /** A misspelt city, and the one the user probably meant. */
  typo: readonly ((typed: string, meant: string) => string)[];
  /** The weather service did not answer. */
  outage: readonly string[];
  /** The best day of a forecast. */
  bestDay: readonly ((day: string, conditions: string, high: string) => string)[];
  /** Small talk: no tool is called, so no number appears. */
  chat: Record<Chat, readonly string[]>;
}
