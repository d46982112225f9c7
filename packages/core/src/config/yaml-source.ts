// A parsed YAML (or JSON) file that still knows where each key came from, for error lines.
import { type Document, isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { WlError } from "../errors.ts";

/** A YAML document plus the means to turn a key path back into a line number. */
export interface YamlSource {
  document: Document;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Parses YAML 1.2 text, rejecting syntax errors and duplicate keys with the line they are on. */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const [first] = document.errors;
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    const reason = first.message.split("\n")[0] ?? first.message;
    throw new WlError(
      "config.syntax",
      `malformed YAML in ${file} at line ${line}: ${reason}`,
      `fix the syntax on line ${line} of ${file}`,
    );
  }
  return {
    document,
    lineOf(path) {
      const offset = keyOffset(document, path);
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    },
  };
}

/** Offset of the key at the end of `path` (or of the value when the key is not found). */
function keyOffset(document: Document, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = document.contents;
  let offset: number | undefined;
  for (const segment of path) {
    if (!isMap(node)) return offset;
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
    if (!pair) return offset;
    offset = isScalar(pair.key) ? pair.key.range?.[0] : offset;
    node = pair.value;
  }
  return offset;
}
