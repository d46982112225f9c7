// stats on a small hand-made file: every number counted by hand.
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { collectStats } from "../src/stats/collect-stats.ts";
import { statsText } from "../src/stats/stats-text.ts";
import { removeTempDirs, tempDir, writeJsonl, writeText } from "./helpers.ts";

afterAll(removeTempDirs);

const TOOLS = [
  { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
];

/** Three chat records: two with tools, three tool calls, two personas and one without. */
const RECORDS = [
  {
    messages: [
      { role: "system", content: "Twain" },
      { role: "user", content: "Oslo?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "a",
            type: "function",
            function: { name: "get_weather", arguments: '{"c":"Oslo"}' },
          },
          {
            id: "b",
            type: "function",
            function: { name: "get_forecast", arguments: { c: "Oslo" } },
          },
        ],
      },
      { role: "tool", tool_call_id: "a", content: "8" },
      { role: "tool", tool_call_id: "b", content: "9" },
      { role: "assistant", content: "Rain 🌧" },
    ],
    tools: TOOLS,
  },
  {
    messages: [
      { role: "system", content: "Twain" },
      { role: "user", content: "Rome?" },
      {
        role: "assistant",
        tool_calls: [
          { id: "c", type: "function", function: { name: "get_weather", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "c", content: "21" },
      { role: "assistant", content: [{ type: "text", text: "Sun" }] },
    ],
    tools: TOOLS,
  },
  {
    messages: [
      { role: "system", content: "Franklin" },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
    ],
    tools: [],
  },
  {
    messages: [
      { role: "user", content: "Nobody" },
      { role: "assistant", content: "answers" },
    ],
  },
];

describe("stats", () => {
  it("counts records, turns, characters, prompts and tool use", async () => {
    const dir = await tempDir();
    const file = await writeJsonl(join(dir, "chat.jsonl"), RECORDS);
    const broken = await writeText(join(dir, "more.jsonl"), '{"messages": []}\n{oops\n');
    const stats = await collectStats([file, broken], { format: "auto", top: 2 });
    // Characters: contents 5+5+1+1+6 ("Rain 🌧": the emoji is one) + 5+5+2+3 + 8+2+5 + 6+7 = 61,
    // plus arguments '{"c":"Oslo"}' 12, {"c":"Oslo"} as JSON 12, "{}" 2 = 26.
    expect(stats).toEqual({
      files: [
        { file, format: "chat", records: 4, invalid: 0 },
        { file: broken, format: "chat", records: 0, invalid: 2 },
      ],
      records: 4,
      invalid: 2,
      turns: 16,
      turns_by_role: { system: 3, user: 4, assistant: 6, tool: 3 },
      characters: 87,
      system_prompts: {
        distinct: 3,
        top: [
          { prompt: "Twain", records: 2, share: 0.5 },
          { prompt: "(none)", records: 1, share: 0.25 },
        ],
      },
      tool_calls: { total: 3, by_name: { get_weather: 2, get_forecast: 1 } },
      tool_results: 3,
      samples_with_tools: 2,
      samples_with_tool_calls: 2,
    });
  });

  it("reads alpaca and ShareGPT as chat", async () => {
    const dir = await tempDir();
    const alpaca = await writeJsonl(join(dir, "a.jsonl"), [
      { instruction: "Say", input: "hi", output: "hi" },
    ]);
    const sharegpt = await writeJsonl(join(dir, "s.jsonl"), [
      {
        conversations: [
          { from: "system", value: "S" },
          { from: "human", value: "Q" },
          { from: "gpt", value: "A" },
        ],
      },
    ]);
    const stats = await collectStats([alpaca, sharegpt], { format: "auto", top: 10 });
    expect(stats.files.map((each) => each.format)).toEqual(["alpaca", "sharegpt"]);
    expect(stats.turns_by_role).toEqual({ user: 2, assistant: 2, system: 1 });
    // "Say\n\nhi" 7 + "hi" 2 + "S" "Q" "A" 3.
    expect(stats.characters).toBe(12);
    expect(stats.system_prompts.top).toEqual([
      { prompt: "(none)", records: 1, share: 0.5 },
      { prompt: "S", records: 1, share: 0.5 },
    ]);
  });

  it("prints the same facts as text, one per line", async () => {
    const file = await writeJsonl(join(await tempDir(), "chat.jsonl"), RECORDS);
    const text = statsText(await collectStats([file], { format: "auto", top: 10 }));
    expect(text.split("\n")).toEqual([
      "records         4 in 1 file",
      "turns           16 (system 3, user 4, assistant 6, tool 3)",
      "characters      87",
      "tool calls      3 (get_weather 2, get_forecast 1)",
      "tool results    3",
      "with tools      2 samples list tools, 2 call one",
      "system prompts  3 distinct",
      "   50.0%        2  Twain",
      "   25.0%        1  (none)",
      "   25.0%        1  Franklin",
      "",
    ]);
  });
});
