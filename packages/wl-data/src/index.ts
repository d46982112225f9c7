// @wl/data: datasets for wl — formats, validation with line numbers, quarantine, cleanup, split,
// stats and the builder, as functions; bin.ts is the command line around them.
export { main } from "./bin.ts";
export { buildTool } from "./commands/build.ts";
export { runValidate, validateTool } from "./commands/validate.ts";
export { writeWeatherExample } from "./example/write-example.ts";
export { alpacaToChat, readAlpaca } from "./formats/alpaca.ts";
export type { ChatMessage, ChatRecord, ToolCall, ToolDefinition } from "./formats/chat.ts";
export { type DataFormat, detectFormat, FORMATS, type FormatChoice } from "./formats/format.ts";
export { sharegptToChat } from "./formats/sharegpt.ts";
export { systemPromptOf } from "./formats/system-prompt.ts";
export { buildRunData } from "./pipe/build-run-data.ts";
export { validateRunData } from "./pipe/validate-run-data.ts";
export { checkChat } from "./screen/chat-checks.ts";
export { type Problem, REASONS, type Reason } from "./screen/problem.ts";
export { screenFile } from "./screen/screen-file.ts";
export { screenFiles } from "./screen/screen-files.ts";
export { splitFile } from "./split/split-file.ts";
export { collectStats } from "./stats/collect-stats.ts";
