// Marker parsing and the base64 frame decoder, without a network.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { Base64Lines, FrameDecoder, findMarker } from "../src/framing.ts";
import { shCommand, shellQuote } from "../src/shell-quote.ts";

const NONCE = "0123456789abcdef";

async function decode(...chunks: string[]): Promise<{ decoder: FrameDecoder; bytes: Buffer }> {
  const decoder = new FrameDecoder(NONCE);
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks.map((c) => Buffer.from(c, "latin1"))),
    decoder,
    async (source) => {
      for await (const chunk of source) out.push(chunk as Buffer);
    },
  );
  return { decoder, bytes: Buffer.concat(out) };
}

describe("framing", () => {
  it("finds markers of its own nonce only, with CRLF line ends", () => {
    const text = `banner\r\nWL-DONE-ffff 1 2\r\nWL-DONE-${NONCE} 5 abc\r\n`;
    expect(findMarker(text, NONCE, "DONE")).toEqual({ kind: "DONE", fields: ["5", "abc"] });
    expect(findMarker(`sh -c 'printf WL-%s-%s DONE ${NONCE}'`, NONCE, "DONE")).toBeUndefined();
  });

  it("decodes only the region between BEGIN and END, across chunk borders and CRLF", async () => {
    const payload = Buffer.from("hello, binary \u0000\u00ff world", "latin1");
    const b64 = payload.toString("base64");
    const { decoder, bytes } = await decode(
      "motd line\r\necho of something\r\nWL-BEG",
      `IN-${NONCE} ${payload.length} x\r\n${b64.slice(0, 7)}`,
      `${b64.slice(7)}\r\nWL-END-${NONCE}\r\ntrailing junk\r\n`,
    );
    expect(decoder.header).toEqual({ bytes: payload.length, sha256: "x" });
    expect(decoder.ended).toBe(true);
    expect(decoder.corrupt).toBe(false);
    expect(bytes.equals(payload)).toBe(true);
  });

  it("flags a foreign line inside the frame, and a frame without its end", async () => {
    const mixed = await decode(`WL-BEGIN-${NONCE} 3 x\nYWJj\nerror: something!\nWL-END-${NONCE}\n`);
    expect(mixed.decoder.corrupt).toBe(true);
    const cut = await decode(`WL-BEGIN-${NONCE} 3 x\nYW`);
    expect(cut.decoder.ended).toBe(false);
  });

  it("writes base64 in lines of 76 characters", async () => {
    const out: string[] = [];
    await pipeline(
      Readable.from([Buffer.alloc(100, 1), Buffer.alloc(14, 2)]),
      new Base64Lines(),
      async (source) => {
        for await (const chunk of source) out.push(chunk.toString());
      },
    );
    const lines = out.join("").split("\n");
    expect(lines[0]).toHaveLength(76);
    expect(Buffer.from(lines.join(""), "base64")).toEqual(
      Buffer.concat([Buffer.alloc(100, 1), Buffer.alloc(14, 2)]),
    );
  });

  it("quotes every shell metacharacter", () => {
    expect(shellQuote("a'b $(c) `d`")).toBe("'a'\\''b $(c) `d`'");
    expect(shCommand('echo "$1"', ["x y"])).toBe("sh -c 'echo \"$1\"' wl-sh 'x y'");
  });
});
