// pnpm gen: writes the JSON Schemas and the reference tables in docs/ from the zod schemas.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { generatedFiles, REPO_DIR } from "../src/schemas/outputs.ts";

for (const [path, content] of await generatedFiles()) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  process.stderr.write(`wrote ${relative(REPO_DIR, path)}\n`);
}
