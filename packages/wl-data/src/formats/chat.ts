// The shape every dataset becomes: OpenAI chat records, with tool calls and an optional tools list.
// wl-data writes these; the trainer renders them with the model's own chat template.

/** A function the assistant may call, as the OpenAI `tools` list declares it. */
export interface ToolDefinition {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** One call in an assistant turn; `arguments` is a JSON object or its JSON text. */
export interface ToolCall {
  id?: string;
  type: "function";
  function: { name: string; arguments: string | Record<string, unknown> };
}

/** A part of a message's content when it is a list (text only for now). */
export interface TextPart {
  type: "text";
  text: string;
}

/** One message of a conversation. */
export type ChatMessage =
  | { role: "system" | "user"; content: string | TextPart[] }
  | { role: "assistant"; content?: string | TextPart[] | null; tool_calls?: ToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string | TextPart[]; name?: string };

/** One training record: a conversation and the tools it may use. */
export interface ChatRecord {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
}

/** The roles a chat message may have. */
export const CHAT_ROLES = ["system", "user", "assistant", "tool"] as const;
