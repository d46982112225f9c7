// Facts about a dataset: records, turns, characters, the system-prompt (persona) mix and tool
// use. Every format is read as chat; invalid records are counted, not described.
import type { ChatMessage, ChatRecord } from "../formats/chat.ts";
import type { DataFormat, FormatChoice } from "../formats/format.ts";
import { contentText, systemPromptOf } from "../formats/system-prompt.ts";
import { readRecords } from "../jsonl/records.ts";
import { chatRecordOf, isProblem } from "../screen/rules.ts";
import { detectFileFormat } from "../screen/screen-file.ts";

/** One file's share of the totals. */
export interface FileStats {
  file: string;
  format: DataFormat | null;
  records: number;
  invalid: number;
}

/** One system prompt and how many records use it. */
export interface PromptShare {
  prompt: string;
  records: number;
  /** Of the valid records, 0–1. */
  share: number;
}

/** What `wl-data stats` reports. */
export interface Stats {
  files: FileStats[];
  /** Valid records (invalid ones are counted apart). */
  records: number;
  invalid: number;
  /** Messages of every role. */
  turns: number;
  turns_by_role: Record<string, number>;
  /** Characters (Unicode code points) of message contents and tool-call arguments. */
  characters: number;
  system_prompts: { distinct: number; top: PromptShare[] };
  tool_calls: { total: number; by_name: Record<string, number> };
  tool_results: number;
  /** Records with a non-empty `tools` list. */
  samples_with_tools: number;
  /** Records with at least one tool call. */
  samples_with_tool_calls: number;
}

/** Options of a stats pass. */
export interface StatsOptions {
  format: FormatChoice;
  /** How many system prompts to list. */
  top: number;
}

/** Reads every file once and adds up the facts. */
export async function collectStats(
  files: readonly string[],
  options: StatsOptions,
): Promise<Stats> {
  const tally = new Tally();
  const fileStats: FileStats[] = [];
  for (const file of files) fileStats.push(await tallyFile(file, options.format, tally));
  return tally.result(fileStats, options.top);
}

async function tallyFile(file: string, choice: FormatChoice, tally: Tally): Promise<FileStats> {
  const format = choice === "auto" ? await detectFileFormat(file) : choice;
  const stats: FileStats = { file, format: format ?? null, records: 0, invalid: 0 };
  for await (const line of readRecords(file)) {
    const record = line.value && format ? chatRecordOf(line.value, format) : undefined;
    if (record === undefined || isProblem(record)) stats.invalid += 1;
    else {
      stats.records += 1;
      tally.add(record as unknown as ChatRecord);
    }
  }
  return stats;
}

/** Running totals. */
class Tally {
  private records = 0;
  private turns = 0;
  private readonly byRole: Record<string, number> = {};
  private characters = 0;
  private readonly prompts = new Map<string, number>();
  private readonly calls: Record<string, number> = {};
  private callTotal = 0;
  private results = 0;
  private withTools = 0;
  private withCalls = 0;

  add(record: ChatRecord): void {
    this.records += 1;
    const prompt = systemPromptOf(record as unknown as Record<string, unknown>);
    this.prompts.set(prompt, (this.prompts.get(prompt) ?? 0) + 1);
    if ((record.tools?.length ?? 0) > 0) this.withTools += 1;
    let calls = 0;
    for (const message of record.messages) calls += this.addMessage(message);
    if (calls > 0) this.withCalls += 1;
  }

  /** Counts one message; returns its number of tool calls. */
  private addMessage(message: ChatMessage): number {
    this.turns += 1;
    this.byRole[message.role] = (this.byRole[message.role] ?? 0) + 1;
    this.characters += codePoints(contentText(message.content));
    if (message.role === "tool") this.results += 1;
    if (message.role !== "assistant") return 0;
    for (const call of message.tool_calls ?? []) {
      const { name, arguments: args } = call.function;
      this.calls[name] = (this.calls[name] ?? 0) + 1;
      this.callTotal += 1;
      this.characters += codePoints(typeof args === "string" ? args : JSON.stringify(args));
    }
    return message.tool_calls?.length ?? 0;
  }

  result(files: FileStats[], top: number): Stats {
    const share = (count: number) =>
      Math.round((count / Math.max(this.records, 1)) * 10_000) / 10_000;
    const prompts = [...this.prompts.entries()]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, top)
      .map(([prompt, records]) => ({ prompt, records, share: share(records) }));
    return {
      files,
      records: this.records,
      invalid: files.reduce((sum, file) => sum + file.invalid, 0),
      turns: this.turns,
      turns_by_role: this.byRole,
      characters: this.characters,
      system_prompts: { distinct: this.prompts.size, top: prompts },
      tool_calls: { total: this.callTotal, by_name: sortedCounts(this.calls) },
      tool_results: this.results,
      samples_with_tools: this.withTools,
      samples_with_tool_calls: this.withCalls,
    };
  }
}

/** Code points, not UTF-16 units: an emoji is one character. */
function codePoints(text: string): number {
  let surrogates = 0;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xdc00 && unit <= 0xdfff) surrogates += 1;
  }
  return text.length - surrogates;
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)),
  );
}
