// Quoting for values that reach a remote POSIX shell.

/** One shell word: `'…'` with every `'` written as `'\''`, so nothing in `value` is interpreted. */
export function shellQuote(value: string): string {
  if (value.includes("\0")) throw new Error(`Expected a string without NUL bytes, got ${value}`);
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** A command that runs `script` under `sh` whatever the login shell is, `args` as $1, $2, …. */
export function shCommand(script: string, args: readonly string[] = []): string {
  return ["sh", "-c", shellQuote(script), "wl-sh", ...args.map(shellQuote)].join(" ");
}
