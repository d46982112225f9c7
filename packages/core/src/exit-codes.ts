// The exit-code table every wl tool and the trainer share; README.md documents it.

/** Process exit codes, by meaning. */
export const ExitCode = {
  ok: 0,
  error: 1,
  crashLoop: 2,
  preflightFailed: 3,
  budgetReached: 4,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** One line per exit code, for --help texts and docs. */
export const exitCodeMeanings: Record<ExitCodeValue, string> = {
  0: "success",
  1: "error (the message names the fix)",
  2: "crash loop detected: training resumed 3+ times from one step",
  3: "preflight failed: nothing was spent",
  4: "budget or time cap reached: work saved",
  130: "interrupted: work saved",
};

/** The exit-code table, one code a line, for the end of every --help. */
export function exitCodeEpilogue(): string {
  const codes = Object.entries(exitCodeMeanings).map(([code, meaning]) => `  ${code} ${meaning}`);
  return ["Exit codes:", ...codes].join("\n");
}
