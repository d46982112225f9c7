// Reading what the transfer scripts print: marker lines `WL-<KIND>-<nonce> fields…` found in output
// that may also carry CRLF line ends, echo and banners (a PTY, a gateway). Only marker lines and
// the base64 between BEGIN and END are trusted; everything else is ignored.
import { Transform, type TransformCallback } from "node:stream";

/** A marker line: its kind (READY, DONE, BEGIN…) and the fields after it. */
export interface Marker {
  kind: string;
  fields: string[];
}

/** The first marker of `kind` in `text` (CR stripped), or undefined. */
export function findMarker(text: string, nonce: string, kind: string): Marker | undefined {
  return markersIn(text, nonce).find((marker) => marker.kind === kind);
}

/** Every marker line of this `nonce` in `text`. */
export function markersIn(text: string, nonce: string): Marker[] {
  const found: Marker[] = [];
  for (const raw of text.split("\n")) {
    const marker = parseMarker(raw.replace(/\r+$/, ""), nonce);
    if (marker) found.push(marker);
  }
  return found;
}

function parseMarker(line: string, nonce: string): Marker | undefined {
  const match = /^WL-([A-Z]+)-([0-9a-f]+)((?: \S+)*)$/.exec(line);
  if (!match || match[2] !== nonce) return undefined;
  return { kind: match[1] as string, fields: (match[3] ?? "").trim().split(" ").filter(Boolean) };
}

const BASE64_LINE = /^[A-Za-z0-9+/=\s]*$/;

/**
 * Turns the output of SEND_SCRIPT into the file's bytes: skips everything before
 * `WL-BEGIN-<nonce> size sha`, decodes base64 lines (CR and other whitespace dropped) up to
 * `WL-END-<nonce>`, and ignores the rest. `header`, `ended` and `corrupt` say what arrived.
 */
export class FrameDecoder extends Transform {
  header: { bytes: number; sha256: string } | undefined;
  missing = false;
  ended = false;
  /** A line between BEGIN and END that is not base64 (the stream was mixed with something). */
  corrupt = false;
  /** Bytes of output seen at all, to tell "nothing came back" from "it stopped early". */
  seen = 0;
  readonly #nonce: string;
  #pending = "";
  #carry = "";

  constructor(nonce: string) {
    super();
    this.#nonce = nonce;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    this.#pending += chunk.toString("latin1");
    let newline = this.#pending.indexOf("\n");
    while (newline !== -1) {
      this.#line(this.#pending.slice(0, newline).replace(/\r+$/, ""));
      this.#pending = this.#pending.slice(newline + 1);
      newline = this.#pending.indexOf("\n");
    }
    // base64 without line breaks (macOS): decode a long partial line now; `-` is not base64, so
    // a partial line that could still become a marker starts with `WL-`.
    if (
      this.header &&
      !this.ended &&
      this.#pending.length > 4096 &&
      !this.#pending.startsWith("WL-")
    ) {
      this.#data(this.#pending);
      this.#pending = "";
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.#pending) this.#line(this.#pending.replace(/\r+$/, ""));
    this.#pending = "";
    done();
  }

  #line(line: string): void {
    if (this.ended) return;
    if (!this.header) {
      const marker = parseMarker(line, this.#nonce);
      if (marker?.kind === "MISSING") this.missing = true;
      if (marker?.kind === "BEGIN") {
        const bytes = Number(marker.fields[0]);
        this.header = { bytes, sha256: marker.fields[1] ?? "" };
      }
      return;
    }
    if (parseMarker(line, this.#nonce)?.kind === "END") {
      this.#finishData();
      this.ended = true;
      return;
    }
    if (!BASE64_LINE.test(line)) {
      this.corrupt = true;
      return;
    }
    this.#data(line);
  }

  #data(text: string): void {
    const clean = this.#carry + text.replace(/\s+/g, "");
    const whole = clean.length - (clean.length % 4);
    this.#carry = clean.slice(whole);
    if (whole > 0) this.push(Buffer.from(clean.slice(0, whole), "base64"));
  }

  #finishData(): void {
    if (this.#carry) this.push(Buffer.from(this.#carry, "base64"));
    this.#carry = "";
  }
}

/** Cuts a file's bytes into base64 lines of 76 characters (57 bytes each), as base64(1) writes. */
export class Base64Lines extends Transform {
  #rest: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const all = this.#rest.length ? Buffer.concat([this.#rest, chunk]) : chunk;
    const whole = all.length - (all.length % 57);
    this.#rest = all.subarray(whole);
    if (whole > 0) this.push(lines(all.subarray(0, whole)));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.#rest.length) this.push(lines(this.#rest));
    done();
  }
}

function lines(bytes: Buffer): string {
  const encoded = bytes.toString("base64");
  let out = "";
  for (let at = 0; at < encoded.length; at += 76) out += `${encoded.slice(at, at + 76)}\n`;
  return out;
}
