// launch.json: how wl-train started the trainer's launcher, so any later shell (status, stop,
// attach, a second wl-train) finds it again.
import { writeFileAtomic } from "@wl/core";
import { z } from "zod";
import { readIfExists } from "./train-folder.ts";

export const launchInfoSchema = z.strictObject({
  schema: z.literal("wl.train-launch/1"),
  launcher: z.enum(["tmux", "setsid"]),
  session: z.string().min(1).optional(),
  /** The launcher shell's pid: the tmux pane's process, or the detached process. */
  pid: z.int().min(1),
  host: z.string(),
  started_at: z.iso.datetime(),
  /** The trainer's command line, as launch.sh runs it (no secrets: those travel in the env). */
  command: z.array(z.string()),
});
export type LaunchInfo = z.infer<typeof launchInfoSchema>;

/** Reads launch.json; undefined when this run was never launched (or the file is damaged). */
export async function readLaunch(file: string): Promise<LaunchInfo | undefined> {
  const text = await readIfExists(file);
  if (text === undefined) return undefined;
  try {
    const parsed = launchInfoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes launch.json atomically. */
export function writeLaunch(file: string, info: LaunchInfo): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(info, null, 2)}\n`);
}
