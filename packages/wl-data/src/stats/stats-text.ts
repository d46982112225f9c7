// `wl-data stats` for people: the same facts as --json, as aligned lines.
import { NO_SYSTEM_PROMPT } from "../formats/system-prompt.ts";
import type { Stats } from "./collect-stats.ts";

const PROMPT_WIDTH = 72;

/** The stats as text, one fact per line. */
export function statsText(stats: Stats): string {
  const number = (value: number) => value.toLocaleString("en-US");
  const counts = (entries: Record<string, number>) =>
    Object.entries(entries)
      .map(([name, count]) => `${name} ${number(count)}`)
      .join(", ");
  const rows: [string, string][] = [
    [
      "records",
      `${number(stats.records)}${stats.invalid > 0 ? ` (+${number(stats.invalid)} invalid, not counted)` : ""} in ${stats.files.length} file${stats.files.length === 1 ? "" : "s"}`,
    ],
    ["turns", `${number(stats.turns)} (${counts(stats.turns_by_role)})`],
    ["characters", number(stats.characters)],
    [
      "tool calls",
      `${number(stats.tool_calls.total)}${stats.tool_calls.total > 0 ? ` (${counts(stats.tool_calls.by_name)})` : ""}`,
    ],
    ["tool results", number(stats.tool_results)],
    [
      "with tools",
      `${number(stats.samples_with_tools)} samples list tools, ${number(stats.samples_with_tool_calls)} call one`,
    ],
    ["system prompts", `${number(stats.system_prompts.distinct)} distinct`],
  ];
  const lines = rows.map(([label, value]) => `${label.padEnd(16)}${value}`);
  for (const { prompt, records, share } of stats.system_prompts.top) {
    const percent = `${(share * 100).toFixed(1)}%`.padStart(6);
    lines.push(`  ${percent} ${number(records).padStart(8)}  ${oneLine(prompt)}`);
  }
  return `${lines.join("\n")}\n`;
}

function oneLine(prompt: string): string {
  if (prompt === NO_SYSTEM_PROMPT) return prompt;
  const line = prompt.replace(/\s+/g, " ").trim();
  return line.length <= PROMPT_WIDTH ? line : `${line.slice(0, PROMPT_WIDTH - 1)}…`;
}
