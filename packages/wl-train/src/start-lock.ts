// One wl-train at a time decides whether to start a run's trainer: launch.lock, created
// exclusively and holding the starter's pid, spans "is one running? no: start one", so two
// calls on the same run never start two trainers. A lock whose holder is gone is taken over.
import { mkdir, open, rm } from "node:fs/promises";
import { WlError } from "@wl/core";
import { pidAlive, sleep } from "./processes.ts";
import { readIntFile, type TrainFolder } from "./train-folder.ts";

const WAIT_MS = 20_000;

/** Runs `fn` holding the run's start lock; waits for another holder, up to 20 s. */
export async function withStartLock<T>(folder: TrainFolder, fn: () => Promise<T>): Promise<T> {
  await mkdir(folder.dir, { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const handle = await open(folder.lock, "wx", 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readIntFile(folder.lock);
    if (holder === undefined || !pidAlive(holder)) {
      // Left by a wl-train that died while starting (or not yet written: look again first).
      await sleep(50);
      if ((await readIntFile(folder.lock)) === holder) await rm(folder.lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new WlError(
        "train.starting",
        `another wl-train (pid ${holder}) is starting this run's trainer`,
        "wait for it, then run wl-train again on the run: it joins that trainer",
      );
    }
    await sleep(100);
  }
  try {
    return await fn();
  } finally {
    await rm(folder.lock, { force: true });
  }
}
