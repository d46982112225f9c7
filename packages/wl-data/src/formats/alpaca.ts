// Alpaca records ({instruction, input?, output}, optionally system) → chat: the user turn is the
// instruction, followed by a blank line and the input when there is one; the assistant turn is the
// output. The app's cleanup rule lives here too: no instruction or no output, no record.
import { kindOf, type Problem, problem } from "../screen/problem.ts";
import type { ChatMessage, ChatRecord } from "./chat.ts";

/** The fields of a usable alpaca record. */
export interface AlpacaRecord {
  instruction: string;
  input: string;
  output: string;
  system?: string;
}

/** Reads an alpaca record: instruction and output must be non-empty text, input text or absent. */
export function readAlpaca(value: Readonly<Record<string, unknown>>): AlpacaRecord | Problem {
  const instruction = requiredText(value, "instruction", "missing_instruction");
  if (typeof instruction !== "string") return instruction;
  const output = requiredText(value, "output", "missing_output");
  if (typeof output !== "string") return output;
  const input = optionalText(value, "input");
  if (typeof input === "object") return input;
  const system = optionalText(value, "system");
  if (typeof system === "object") return system;
  return { instruction, input: input ?? "", output, ...(system ? { system } : {}) };
}

/** An alpaca record as a chat record. */
export function alpacaToChat(record: AlpacaRecord): ChatRecord {
  const user =
    record.input === "" ? record.instruction : `${record.instruction}\n\n${record.input}`;
  const messages: ChatMessage[] = [
    { role: "user", content: user },
    { role: "assistant", content: record.output },
  ];
  if (record.system) messages.unshift({ role: "system", content: record.system });
  return { messages };
}

function requiredText(
  value: Readonly<Record<string, unknown>>,
  field: string,
  reason: "missing_instruction" | "missing_output",
): string | Problem {
  const text = value[field];
  if (text === undefined || text === null || (typeof text === "string" && text.trim() === "")) {
    const how = text === undefined ? "absent" : text === null ? "null" : "empty";
    return problem(reason, `${field} is ${how}`);
  }
  if (typeof text !== "string")
    return problem("wrong_type", `${field} is ${kindOf(text)}, expected a string`);
  return text;
}

function optionalText(
  value: Readonly<Record<string, unknown>>,
  field: string,
): string | undefined | Problem {
  const text = value[field];
  if (text === undefined || text === null) return undefined;
  if (typeof text !== "string")
    return problem("wrong_type", `${field} is ${kindOf(text)}, expected a string`);
  return text;
}
