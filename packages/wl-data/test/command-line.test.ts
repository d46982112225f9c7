// The builder's command line split like a shell splits words, and nothing more.
import { describe, expect, it } from "vitest";
import { splitCommandLine } from "../src/build/command-line.ts";

describe("splitCommandLine", () => {
  it.each([
    ["python build.py --out data.jsonl", ["python", "build.py", "--out", "data.jsonl"]],
    ["  node   -e  0  ", ["node", "-e", "0"]],
    [`node -e "console.log('a b')"`, ["node", "-e", "console.log('a b')"]],
    [`echo 'it''s' "x"y`, ["echo", "its", "xy"]],
    [String.raw`echo a\ b "c\"d" "e\f"`, ["echo", "a b", 'c"d', "e\\f"]],
    [`echo "" ''`, ["echo", "", ""]],
    ["echo $HOME *.jsonl | wc > x", ["echo", "$HOME", "*.jsonl", "|", "wc", ">", "x"]],
  ])("%s", (line, words) => {
    expect(splitCommandLine(line)).toEqual(words);
  });

  it("refuses an unclosed quote", () => {
    expect(() => splitCommandLine(`node -e "oops`)).toThrow('--from has an unclosed "');
  });
});
