// A builder command line split into a program and its arguments the way a POSIX shell splits
// words — spaces separate, '…' and "…" group, a backslash escapes — and nothing more: no
// variables, globs, pipes or redirections (pass --shell for those).
import { WlError } from "@wl/core";

/** The words of `line`; throws on an unclosed quote. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index] as string;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (char === "\\" && index + 1 < line.length) {
      const next = line[index + 1] as string;
      // Inside "…" a backslash escapes only what would otherwise end or change the word.
      word += quote === '"' && !'"\\$`'.includes(next) ? `\\${next}` : next;
      inWord = true;
      index += 1;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== undefined) {
    throw new WlError(
      "usage",
      `--from has an unclosed ${quote}: ${line}`,
      `close the ${quote}, or pass --shell`,
    );
  }
  if (inWord) words.push(word);
  return words;
}
