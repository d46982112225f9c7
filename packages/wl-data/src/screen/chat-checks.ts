// The checks a chat record must pass before it is trained on. One problem per record (the first,
// in message order), so every set-aside record is counted once under one reason.
import { CHAT_ROLES } from "../formats/chat.ts";
import { kindOf, type Problem, problem } from "./problem.ts";

type Json = Record<string, unknown>;

/** The first problem of a chat record, or undefined when it can be trained on. */
export function checkChat(record: Readonly<Json>): Problem | undefined {
  const { messages, tools } = record;
  if (messages === undefined) return problem("missing_field", "messages is missing");
  if (!Array.isArray(messages)) {
    return problem("wrong_type", `messages is ${kindOf(messages)}, expected an array`);
  }
  if (messages.length === 0) return problem("missing_field", "messages is empty");
  const toolsProblem = checkTools(tools);
  if (toolsProblem) return toolsProblem;
  const callIds = new Set<string>();
  let assistantTurns = 0;
  for (const [index, message] of messages.entries()) {
    const where = `messages[${index}]`;
    if (!isObject(message)) {
      return problem("wrong_type", `${where} is ${kindOf(message)}, expected an object`);
    }
    const found = checkMessage(message, where, callIds);
    if (found) return found;
    if (message.role === "assistant") assistantTurns += 1;
  }
  if (assistantTurns === 0) {
    return problem("no_assistant_turn", "no message has role assistant: nothing to learn from");
  }
  return undefined;
}

/** One message; the ids of tool calls seen so far are collected in `callIds`. */
function checkMessage(message: Json, where: string, callIds: Set<string>): Problem | undefined {
  const { role } = message;
  if (role === undefined) return problem("missing_field", `${where}.role is missing`);
  if (!CHAT_ROLES.includes(role as (typeof CHAT_ROLES)[number])) {
    return problem(
      "unknown_role",
      `${where}.role ${JSON.stringify(role)} is not one of ${CHAT_ROLES.join(", ")}`,
    );
  }
  if (role === "assistant") return checkAssistant(message, where, callIds);
  const content = checkContent(message, where, true);
  if (content) return content;
  if (role === "tool") return checkToolResult(message, where, callIds);
  return undefined;
}

/** An assistant turn: content, tool calls, or both. */
function checkAssistant(message: Json, where: string, callIds: Set<string>): Problem | undefined {
  const content = checkContent(message, where, false);
  if (content) return content;
  const calls = message.tool_calls;
  if (calls !== undefined && calls !== null && !Array.isArray(calls)) {
    return problem("wrong_type", `${where}.tool_calls is ${kindOf(calls)}, expected an array`);
  }
  const callList = (calls ?? []) as unknown[];
  for (const [index, call] of callList.entries()) {
    const found = checkToolCall(call, `${where}.tool_calls[${index}]`, callIds);
    if (found) return found;
  }
  if (callList.length === 0 && !hasText(message.content)) {
    return problem("empty_assistant_turn", `${where} has neither content nor tool_calls`);
  }
  return undefined;
}

/** One tool call: {id?, type: "function", function: {name, arguments}}. */
function checkToolCall(call: unknown, where: string, callIds: Set<string>): Problem | undefined {
  if (!isObject(call))
    return problem("wrong_type", `${where} is ${kindOf(call)}, expected an object`);
  if (call.type !== undefined && call.type !== "function") {
    return problem(
      "wrong_type",
      `${where}.type is ${JSON.stringify(call.type)}, expected "function"`,
    );
  }
  if (call.id !== undefined && typeof call.id !== "string") {
    return problem("wrong_type", `${where}.id is ${kindOf(call.id)}, expected a string`);
  }
  const fn = call.function;
  if (!isObject(fn) || typeof fn.name !== "string" || fn.name.trim() === "") {
    return problem("tool_call_without_name", `${where}.function.name is missing or empty`);
  }
  const args = checkArguments(fn.arguments, `${where}.function.arguments`);
  if (args) return args;
  if (typeof call.id === "string") callIds.add(call.id);
  return undefined;
}

/** Arguments are a JSON object, or the JSON text of one. */
function checkArguments(args: unknown, where: string): Problem | undefined {
  if (args === undefined) return problem("missing_field", `${where} is missing`);
  if (typeof args === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(args);
    } catch {
      return problem("bad_arguments", `${where} is text that does not parse as JSON`);
    }
    return isObject(parsed)
      ? undefined
      : problem("bad_arguments", `${where} parses to ${kindOf(parsed)}, expected an object`);
  }
  return isObject(args)
    ? undefined
    : problem("bad_arguments", `${where} is ${kindOf(args)}, expected an object or its JSON text`);
}

/** A tool result answers a call made earlier in the conversation. */
function checkToolResult(message: Json, where: string, callIds: Set<string>): Problem | undefined {
  const id = message.tool_call_id;
  if (id === undefined) return problem("missing_field", `${where}.tool_call_id is missing`);
  if (typeof id !== "string") {
    return problem("wrong_type", `${where}.tool_call_id is ${kindOf(id)}, expected a string`);
  }
  if (!callIds.has(id)) {
    return problem(
      "unmatched_tool_result",
      `${where}.tool_call_id ${JSON.stringify(id)} matches no earlier tool call`,
    );
  }
  return undefined;
}

/** Content is text or a list of text parts; only assistant turns may leave it out (or null). */
function checkContent(message: Json, where: string, required: boolean): Problem | undefined {
  const { content } = message;
  if (content === undefined || content === null) {
    if (!required) return undefined;
    if (content === null) {
      return problem("wrong_content_type", `${where}.content is null, expected a string`);
    }
    return problem("missing_field", `${where}.content is missing`);
  }
  if (typeof content === "string") return undefined;
  if (Array.isArray(content)) {
    const bad = content.findIndex(
      (part) => !isObject(part) || part.type !== "text" || typeof part.text !== "string",
    );
    if (bad === -1) return undefined;
    return problem(
      "wrong_content_type",
      `${where}.content[${bad}] is not a {"type": "text", "text"} part`,
    );
  }
  return problem("wrong_content_type", `${where}.content is ${kindOf(content)}, expected a string`);
}

/** The optional tools list: function definitions with names. */
function checkTools(tools: unknown): Problem | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools))
    return problem("wrong_type", `tools is ${kindOf(tools)}, expected an array`);
  for (const [index, tool] of tools.entries()) {
    const fn = isObject(tool) ? tool.function : undefined;
    if (!isObject(fn) || typeof fn.name !== "string" || fn.name === "") {
      return problem("missing_field", `tools[${index}].function.name is missing`);
    }
  }
  return undefined;
}

function hasText(content: unknown): boolean {
  if (typeof content === "string") return content.trim() !== "";
  return (
    Array.isArray(content) &&
    content.some(
      (part) => isObject(part) && typeof part.text === "string" && part.text.trim() !== "",
    )
  );
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
