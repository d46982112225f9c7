// Which data files a run trains on: wl-data's output when it ran, else the config's files.
import type { Config } from "../config/schema.ts";
import type { RunDoc } from "./schema.ts";

/** The training and validation files of a run. */
export interface DataFiles {
  train: string;
  val?: string;
}

/** `data.train` / `data.val` of the document when wl-data wrote them, else the config's. */
export function dataFilesOf(doc: Pick<RunDoc, "data">, config: Config): DataFiles {
  if (doc.data) return { train: doc.data.train, ...(doc.data.val ? { val: doc.data.val } : {}) };
  const { train, val } = config.data;
  return { train, ...(val ? { val } : {}) };
}
