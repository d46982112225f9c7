// What the tests push: a workspace with data files and a config pointing at a real sshd, and a
// small trainer folder (with a bytecode cache that must stay out of the tarball).
import { mkdir, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";

export {
  freePort,
  makeKey,
  removeTempDirs,
  type Sshd,
  sshdMissing,
  startSshd,
  tempDir,
} from "../../ssh/test/sshd.ts";

/** The user the test sshd logs in as: whoever runs the tests. */
export const user = userInfo().username;

/** A trainer folder like the repository's, small. */
export async function makeTrainer(dir: string): Promise<string> {
  const files: Record<string, string> = {
    "wl_trainer/__init__.py": '"""wl trainer (test copy)."""\n',
    "wl_trainer/__main__.py": "print('train')\n",
    "wl_trainer/data/render.py": "def render():\n    return 1\n",
    "wl_trainer/data/__pycache__/render.cpython-311.pyc": "bytecode",
    "requirements.txt": "torch>=2.4\n",
    "requirements-dev.txt": "pytest\n",
    "constraints.txt": "numpy<3\n",
    "pyproject.toml": "[project]\nname = 'left-out'\n",
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

/** The files the test trainer's tarball must hold, sorted. */
export const TRAINER_FILES = [
  "constraints.txt",
  "requirements-dev.txt",
  "requirements.txt",
  "wl_trainer/__init__.py",
  "wl_trainer/__main__.py",
  "wl_trainer/data/render.py",
];

/** Chat JSONL records. */
export function records(count: number, tag: string): string {
  return Array.from({ length: count }, (_, index) =>
    JSON.stringify({
      messages: [
        { role: "user", content: `${tag} question ${index}` },
        { role: "assistant", content: `${tag} answer ${index}` },
      ],
    }),
  )
    .map((line) => `${line}\n`)
    .join("");
}
