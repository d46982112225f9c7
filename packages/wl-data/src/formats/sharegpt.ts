// ShareGPT records ({conversations: [{from, value}]}, optionally system and tools) → chat.
// Tool use in ShareGPT comes as `function_call` turns (the value is {"name", "arguments"} as JSON)
// answered by `observation` / `tool` turns; calls get ids call_1, call_2, … and each result is
// matched to the oldest call not yet answered.
import { kindOf, type Problem, problem } from "../screen/problem.ts";
import type { ChatMessage, ChatRecord, ToolCall, ToolDefinition } from "./chat.ts";

/** What each `from` becomes. */
const ROLE_OF: Readonly<Record<string, "system" | "user" | "assistant" | "tool" | "call">> = {
  system: "system",
  human: "user",
  user: "user",
  gpt: "assistant",
  assistant: "assistant",
  function_call: "call",
  tool: "tool",
  observation: "tool",
  function_response: "tool",
};

/** Converts a ShareGPT record to chat, or says why it cannot be. */
export function sharegptToChat(value: Readonly<Record<string, unknown>>): ChatRecord | Problem {
  const turns = value.conversations;
  if (turns === undefined) return problem("missing_field", "conversations is missing");
  if (!Array.isArray(turns)) {
    return problem("wrong_type", `conversations is ${kindOf(turns)}, expected an array`);
  }
  const tools = toolsOf(value.tools);
  if (tools !== undefined && !Array.isArray(tools)) return tools;
  const system = value.system;
  if (system !== undefined && system !== null && typeof system !== "string") {
    return problem("wrong_type", `system is ${kindOf(system)}, expected a string`);
  }
  const conversion = new Conversion();
  if (typeof system === "string" && system !== "")
    conversion.messages.push({ role: "system", content: system });
  for (const [index, turn] of turns.entries()) {
    const trouble = conversion.add(turn, `conversations[${index}]`);
    if (trouble) return trouble;
  }
  return { messages: conversion.messages, ...(tools ? { tools } : {}) };
}

/** The chat messages built so far, and the tool calls still waiting for a result. */
class Conversion {
  readonly messages: ChatMessage[] = [];
  private readonly waiting: string[] = [];
  private calls = 0;

  /** Adds one ShareGPT turn; returns the problem that stops it. */
  add(turn: unknown, where: string): Problem | undefined {
    if (turn === null || typeof turn !== "object" || Array.isArray(turn)) {
      return problem("wrong_type", `${where} is ${kindOf(turn)}, expected an object`);
    }
    const { from, value } = turn as Record<string, unknown>;
    if (from === undefined) return problem("missing_field", `${where}.from is missing`);
    const role = typeof from === "string" ? ROLE_OF[from] : undefined;
    if (role === undefined) {
      const known = Object.keys(ROLE_OF).join(", ");
      return problem(
        "unknown_role",
        `${where}.from ${JSON.stringify(from)} is not one of ${known}`,
      );
    }
    if (value === undefined) return problem("missing_field", `${where}.value is missing`);
    if (typeof value !== "string") {
      return problem("wrong_content_type", `${where}.value is ${kindOf(value)}, expected a string`);
    }
    if (role === "call") return this.addCall(value, where);
    if (role === "tool") {
      const id = this.waiting.shift();
      if (id === undefined) {
        return problem(
          "unmatched_tool_result",
          `${where} (${from}) answers no function_call before it`,
        );
      }
      this.messages.push({ role: "tool", tool_call_id: id, content: value });
    } else this.messages.push({ role, content: value });
    return undefined;
  }

  /** A function_call turn: a tool call on the assistant turn before it, or a new one. */
  private addCall(value: string, where: string): Problem | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return problem("bad_arguments", `${where}.value of a function_call is not JSON`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      return problem(
        "bad_arguments",
        `${where}.value of a function_call is ${kindOf(parsed)}, expected {"name", "arguments"}`,
      );
    }
    const { name, arguments: args } = parsed as Record<string, unknown>;
    this.calls += 1;
    const id = `call_${this.calls}`;
    this.waiting.push(id);
    const call = { id, type: "function", function: { name, arguments: args ?? {} } } as ToolCall;
    const last = this.messages.at(-1);
    if (last?.role === "assistant" && last.tool_calls && !last.content) last.tool_calls.push(call);
    else this.messages.push({ role: "assistant", content: null, tool_calls: [call] });
    return undefined;
  }
}

/** The tools list: an array, or JSON text of one (LLaMA-Factory writes it as text). */
function toolsOf(tools: unknown): ToolDefinition[] | undefined | Problem {
  if (tools === undefined || tools === null || tools === "") return undefined;
  let list = tools;
  if (typeof tools === "string") {
    try {
      list = JSON.parse(tools);
    } catch {
      return problem("wrong_type", "tools is text that is not JSON, expected a list of tools");
    }
  }
  if (!Array.isArray(list))
    return problem("wrong_type", `tools is ${kindOf(list)}, expected an array`);
  return list.map((tool) =>
    tool !== null && typeof tool === "object" && !("type" in tool) && "name" in tool
      ? ({ type: "function", function: tool } as ToolDefinition)
      : (tool as ToolDefinition),
  );
}
