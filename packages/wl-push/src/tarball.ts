// The trainer as a deterministic tar.gz: trainer/wl_trainer (without bytecode caches),
// trainer/requirements*.txt and trainer/constraints.txt; entries sorted, owner 0, fixed mtime and
// modes, so the same sources always give the same bytes — and the same sha256, which lets a
// re-push skip it.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { WlError } from "@wl/core";

/** Every entry's modification time: 2000-01-01 (an old but plausible date). */
const FIXED_MTIME = 946_684_800;
const BLOCK = 512;

/** One file of the tarball: its path inside it and its sha256. */
export interface TarEntry {
  path: string;
  bytes: number;
  sha256: string;
}

/** The files the trainer's tarball holds, relative to `trainerDir`, sorted. */
export async function trainerFiles(trainerDir: string): Promise<string[]> {
  const top = await readdir(trainerDir).catch((error: NodeJS.ErrnoException) => {
    throw new WlError(
      "push.trainer_missing",
      `the trainer folder ${trainerDir} cannot be read (${error.code ?? error.message})`,
      "run wl-push from a wl checkout (trainer/ beside packages/), or set $WL_TRAINER_DIR",
    );
  });
  const extra = top.filter(
    (name) => /^requirements.*\.txt$/.test(name) || name === "constraints.txt",
  );
  const pkg = await walk(trainerDir, "wl_trainer");
  if (pkg.length === 0) {
    throw new WlError(
      "push.trainer_missing",
      `no wl_trainer package in ${trainerDir}`,
      "run wl-push from a wl checkout (trainer/wl_trainer), or set $WL_TRAINER_DIR",
    );
  }
  return [...extra, ...pkg].sort();
}

/** Regular files under `root/rel`, as paths relative to root; bytecode caches left out. */
async function walk(root: string, rel: string): Promise<string[]> {
  const entries = await readdir(join(root, rel), { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    const path = `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== "__pycache__") found.push(...(await walk(root, path)));
    } else if (entry.isFile() && !/\.py[co]$/.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

/** Writes the trainer's tarball to `file`; returns what it holds. */
export async function writeTrainerTarball(trainerDir: string, file: string): Promise<TarEntry[]> {
  const names = await trainerFiles(trainerDir);
  const blocks: Buffer[] = [];
  const entries: TarEntry[] = [];
  for (const name of names) {
    const data = await readFile(join(trainerDir, name));
    blocks.push(header(name, data.length), data, Buffer.alloc(padding(data.length)));
    entries.push({
      path: name,
      bytes: data.length,
      sha256: createHash("sha256").update(data).digest("hex"),
    });
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, gzipSync(Buffer.concat(blocks), { level: 9 }));
  return entries;
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** A ustar header for a regular file, mode 0644, owner 0:0, the fixed mtime. */
function header(path: string, size: number): Buffer {
  const [prefix, name] = splitPath(path);
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, "utf8");
  octal(block, 100, 8, 0o644);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, size);
  octal(block, 136, 12, FIXED_MTIME);
  block.fill(" ", 148, 156);
  block.write("0", 156, 1, "ascii");
  block.write("ustar\u000000", 257, 8, "ascii");
  block.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, 8, "ascii");
  return block;
}

function octal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, "0")}\u0000`, offset, width, "ascii");
}

/** ustar's name (100 bytes) and prefix (155 bytes), split at a slash. */
function splitPath(path: string): [string, string] {
  if (Buffer.byteLength(path) <= 100) return ["", path];
  for (let cut = path.indexOf("/"); cut !== -1; cut = path.indexOf("/", cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [prefix, name];
  }
  throw new WlError(
    "push.trainer_path_too_long",
    `${path} is too long for the trainer's tarball (ustar: 100 + 155 bytes)`,
    "shorten the file's path in trainer/",
  );
}
