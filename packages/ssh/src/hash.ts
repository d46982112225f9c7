// sha256 and size of a local file, streamed.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** What a transfer proves about a file: its size and sha256 (hex). */
export interface FileProof {
  bytes: number;
  sha256: string;
}

/** The size and sha256 of the local file at `path`. */
export async function sha256File(path: string): Promise<FileProof> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest("hex") };
}
