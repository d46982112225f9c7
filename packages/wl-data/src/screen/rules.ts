// What happens to one parsed record: the line written in its place, or the problem that sets it
// aside. `toChat` is validate / convert / build; `alpacaCleanup` is the app's alpaca cleanup.
import { WlError } from "@wl/core";
import { alpacaToChat, readAlpaca } from "../formats/alpaca.ts";
import type { DataFormat } from "../formats/format.ts";
import { sharegptToChat } from "../formats/sharegpt.ts";
import { checkChat } from "./chat-checks.ts";
import type { Problem } from "./problem.ts";

/** A record's fate: the line to write (a string), or why it cannot go on. */
export type RecordRule = (value: Record<string, unknown>, text: string) => string | Problem;

/** Chooses the rule for a file in `format`; may refuse a format it does not take. */
export type RuleFor = (format: DataFormat, file: string) => RecordRule;

/** True when a rule's answer is a problem. */
export function isProblem(verdict: unknown): verdict is Problem {
  return typeof verdict === "object" && verdict !== null && "reason" in verdict;
}

/** A record of `format` as a checked chat record, or why it cannot be one. */
export function chatRecordOf(
  value: Record<string, unknown>,
  format: DataFormat,
): Record<string, unknown> | Problem {
  if (format === "chat") return checkChat(value) ?? value;
  if (format === "alpaca") {
    const record = readAlpaca(value);
    return isProblem(record)
      ? record
      : (alpacaToChat(record) as unknown as Record<string, unknown>);
  }
  const record = sharegptToChat(value);
  if (isProblem(record)) return record;
  const chat = record as unknown as Record<string, unknown>;
  return checkChat(chat) ?? chat;
}

/** Every format → checked chat; chat records are written exactly as they were. */
export const toChat: RuleFor = (format) => (value, text) => {
  const record = chatRecordOf(value, format);
  if (isProblem(record)) return record;
  return format === "chat" ? text : JSON.stringify(record);
};

/** Alpaca records with only instruction, input ("" when absent) and output; the rest set aside. */
export const alpacaCleanup: RuleFor = (format, file) => {
  if (format !== "alpaca") {
    throw new WlError(
      "data.not_alpaca",
      `${file} holds ${format} records; clean takes alpaca records ({instruction, input, output})`,
      `check it with wl-data validate ${file}, or convert it with wl-data convert`,
    );
  }
  return (value) => {
    const record = readAlpaca(value);
    if (isProblem(record)) return record;
    const { instruction, input, output } = record;
    return JSON.stringify({ instruction, input, output });
  };
};
