// Why a record cannot go on: a stable reason code (counted, and the key of `dropped.reasons`)
// and a detail for people that names the field.

/** Every reason a record is set aside, with what it means. */
export const REASONS = {
  invalid_utf8: "the line is not valid UTF-8",
  invalid_json: "the line is not valid JSON",
  not_object: "the record is not a JSON object",
  missing_field: "a required field is missing",
  wrong_type: "a field has the wrong type",
  unknown_role: "a message has a role other than system, user, assistant or tool",
  wrong_content_type: "a message's content is not text",
  tool_call_without_name: "a tool call has no function name",
  bad_arguments: "a tool call's arguments are not a JSON object",
  unmatched_tool_result: "a tool result's tool_call_id matches no earlier tool call",
  empty_assistant_turn: "an assistant turn has neither content nor tool calls",
  no_assistant_turn: "the conversation has no assistant turn",
  missing_instruction: "an alpaca record has no instruction (absent, null or empty)",
  missing_output: "an alpaca record has no output (absent, null or empty)",
} as const;

/** A reason code: a key of REASONS. */
export type Reason = keyof typeof REASONS;

/** Why one record cannot go on. */
export interface Problem {
  reason: Reason;
  detail: string;
}

/** A problem at a line of a file. */
export interface LineProblem extends Problem {
  line: number;
}

/** Shorthand for a problem. */
export function problem(reason: Reason, detail: string): Problem {
  return { reason, detail };
}

/** What a JSON value is, in words: "a string", "an array", "null". */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

/** Counts by reason as one phrase: "invalid_json 2, unknown_role 1" (most frequent first). */
export function describeReasons(reasons: Readonly<Record<string, number>>): string {
  return Object.entries(reasons)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([reason, count]) => `${reason} ${count}`)
    .join(", ");
}
