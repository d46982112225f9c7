// A record's system prompt — its persona — in any format: what split stratifies by and what
// stats counts.

/** The label of records without a system prompt. */
export const NO_SYSTEM_PROMPT = "(none)";

/** The system prompt of a chat, ShareGPT or alpaca record; NO_SYSTEM_PROMPT when it has none. */
export function systemPromptOf(record: Readonly<Record<string, unknown>>): string {
  const { messages, conversations, system } = record;
  if (Array.isArray(messages)) return firstSystem(messages, "role", "content");
  if (typeof system === "string" && system !== "") return system;
  if (Array.isArray(conversations)) return firstSystem(conversations, "from", "value");
  return NO_SYSTEM_PROMPT;
}

/** The text of a message's content: a string, or its text parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (typeof part?.text === "string" ? (part.text as string) : ""))
    .join("");
}

function firstSystem(turns: readonly unknown[], roleKey: string, textKey: string): string {
  for (const turn of turns) {
    const fields = turn as Record<string, unknown> | null;
    if (fields?.[roleKey] === "system") return contentText(fields[textKey]) || NO_SYSTEM_PROMPT;
  }
  return NO_SYSTEM_PROMPT;
}
