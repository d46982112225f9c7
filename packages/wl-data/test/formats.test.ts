// alpaca and ShareGPT → chat: the records convert writes, and the records it cannot convert.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectFormat } from "../src/formats/format.ts";
import { sharegptToChat } from "../src/formats/sharegpt.ts";
import { toChat } from "../src/screen/rules.ts";
import { screenFiles } from "../src/screen/screen-files.ts";
import {
  memoryReporter,
  readJsonl,
  removeTempDirs,
  tempDir,
  writeJsonl,
  writeText,
} from "./helpers.ts";

afterAll(removeTempDirs);

/** Converts `records` with convert's rule; returns what was written and what was set aside. */
async function convert(
  records: readonly unknown[],
  format: "auto" | "alpaca" | "sharegpt" = "auto",
) {
  const dir = await tempDir();
  const file = await writeJsonl(join(dir, "in.jsonl"), records);
  const out = join(dir, "out.jsonl");
  const quarantine = join(dir, "q.jsonl");
  const { report } = memoryReporter();
  const { result, failure } = await screenFiles([file], {
    format,
    rule: toChat,
    invalid: "fail",
    out,
    quarantine,
    report,
  });
  const written = failure ? [] : await readJsonl(out);
  const setAside = failure ? [] : await readJsonl(quarantine);
  return { result, failure, written, setAside };
}

describe("format detection", () => {
  it.each([
    [{ messages: [] }, "chat"],
    [{ conversations: [] }, "sharegpt"],
    [{ instruction: "a", output: "b" }, "alpaca"],
    [{ output: "b" }, "alpaca"],
    [{ prompt: "a", completion: "b" }, undefined],
  ])("%j → %s", (record, format) => {
    expect(detectFormat(record)).toBe(format);
  });
});

describe("alpaca → chat", () => {
  it("joins instruction and input with a blank line; output becomes the assistant turn", async () => {
    const { result, written } = await convert([
      { instruction: "Translate to French.", input: "Good morning", output: "Bonjour" },
      { instruction: "Name a colour.", input: "", output: "Blue" },
      { instruction: "Name a fruit.", output: "Pear" },
      { instruction: "Be brief.", input: null, output: "OK", system: "You are terse." },
    ]);
    expect(result.files[0]?.format).toBe("alpaca");
    expect(written).toEqual([
      {
        messages: [
          { role: "user", content: "Translate to French.\n\nGood morning" },
          { role: "assistant", content: "Bonjour" },
        ],
      },
      {
        messages: [
          { role: "user", content: "Name a colour." },
          { role: "assistant", content: "Blue" },
        ],
      },
      {
        messages: [
          { role: "user", content: "Name a fruit." },
          { role: "assistant", content: "Pear" },
        ],
      },
      {
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: "Be brief." },
          { role: "assistant", content: "OK" },
        ],
      },
    ]);
  });

  it("sets aside records without instruction or output, and non-text fields", async () => {
    const { written, setAside } = await convert([
      { instruction: "Keep me.", output: "Kept." },
      { instruction: "", output: "No instruction." },
      { instruction: "No output." },
      { instruction: "Numbers?", output: 42 },
      { instruction: "Input?", input: ["x"], output: "y" },
    ]);
    expect(written).toHaveLength(1);
    expect(setAside.map((entry) => [entry.line, entry.reason, entry.detail])).toEqual([
      [2, "missing_instruction", "instruction is empty"],
      [3, "missing_output", "output is absent"],
      [4, "wrong_type", "output is a number, expected a string"],
      [5, "wrong_type", "input is an array, expected a string"],
    ]);
  });
});

describe("ShareGPT → chat", () => {
  it("maps from/value to roles and keeps the system prompt", async () => {
    const { written } = await convert([
      {
        system: "You are a weather assistant.",
        conversations: [
          { from: "human", value: "Oslo?" },
          { from: "gpt", value: "Rain, 8 °C." },
          { from: "human", value: "Thanks." },
          { from: "gpt", value: "You're welcome." },
        ],
      },
      {
        conversations: [
          { from: "system", value: "Be terse." },
          { from: "user", value: "Hi" },
          { from: "assistant", value: "Hi." },
        ],
      },
    ]);
    expect(written).toEqual([
      {
        messages: [
          { role: "system", content: "You are a weather assistant." },
          { role: "user", content: "Oslo?" },
          { role: "assistant", content: "Rain, 8 °C." },
          { role: "user", content: "Thanks." },
          { role: "assistant", content: "You're welcome." },
        ],
      },
      {
        messages: [
          { role: "system", content: "Be terse." },
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hi." },
        ],
      },
    ]);
  });

  it("turns function_call / observation turns into tool calls matched by id, tools into a list", () => {
    const tools = [{ name: "get_current_weather", parameters: { type: "object" } }];
    const record = sharegptToChat({
      tools: JSON.stringify(tools),
      conversations: [
        { from: "human", value: "Oslo and Rome?" },
        {
          from: "function_call",
          value: '{"name": "get_current_weather", "arguments": {"city": "Oslo"}}',
        },
        {
          from: "function_call",
          value: '{"name": "get_current_weather", "arguments": {"city": "Rome"}}',
        },
        { from: "observation", value: '{"temperature": 8}' },
        { from: "observation", value: '{"temperature": 21}' },
        { from: "gpt", value: "Oslo 8 °C, Rome 21 °C." },
      ],
    });
    expect(record).toEqual({
      messages: [
        { role: "user", content: "Oslo and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "get_current_weather", arguments: { city: "Oslo" } },
            },
            {
              id: "call_2",
              type: "function",
              function: { name: "get_current_weather", arguments: { city: "Rome" } },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: '{"temperature": 8}' },
        { role: "tool", tool_call_id: "call_2", content: '{"temperature": 21}' },
        { role: "assistant", content: "Oslo 8 °C, Rome 21 °C." },
      ],
      tools: [{ type: "function", function: tools[0] }],
    });
  });

  it("sets aside what cannot be converted or trained on, by line and reason", async () => {
    const turn = (from: string, value: unknown) => ({ from, value });
    const { written, setAside } = await convert([
      { conversations: [turn("human", "Hi"), turn("gpt", "Hello")] },
      { conversations: [turn("human", "Hi"), turn("bot", "Hello")] },
      { conversations: [turn("human", "Hi"), turn("gpt", 7)] },
      { conversations: [turn("human", "Hi"), turn("observation", "{}"), turn("gpt", "ok")] },
      { conversations: [turn("human", "Hi"), turn("function_call", "get_weather(Oslo)")] },
      { conversations: [turn("human", "Only a question")] },
      { conversations: "Hi" },
    ]);
    expect(written).toHaveLength(1);
    expect(setAside.map((entry) => [entry.line, entry.reason])).toEqual([
      [2, "unknown_role"],
      [3, "wrong_content_type"],
      [4, "unmatched_tool_result"],
      [5, "bad_arguments"],
      [6, "no_assistant_turn"],
      [7, "wrong_type"],
    ]);
  });
});

describe("chat stays as it was", () => {
  it("copies valid chat lines byte for byte", async () => {
    const dir = await tempDir();
    const line =
      '{"messages": [{"role": "user", "content": "Oslo?"}, {"role": "assistant", "content": "Rain."}], "id": 7}';
    const file = await writeText(join(dir, "chat.jsonl"), `${line}\n`);
    const out = join(dir, "out.jsonl");
    const { report } = memoryReporter();
    await screenFiles([file], { format: "chat", rule: toChat, invalid: "fail", out, report });
    expect(await readFile(out, "utf8")).toBe(`${line}\n`);
  });
});
