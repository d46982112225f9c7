import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseRunDoc, readAll, runDocSchema, type WlError, writeRunDoc } from "../src/index.ts";
import { sampleDoc } from "./sample-doc.ts";

function parseError(text: string): WlError {
  try {
    parseRunDoc(text, "stdin");
  } catch (error) {
    return error as WlError;
  }
  throw new Error("expected a parse error");
}

describe("run documents", () => {
  it("round-trips through stdout as exactly one line", async () => {
    const doc = sampleDoc({ pull: { adapter_dir: "/x", extra_field_of_a_later_tool: true } });
    const stream = new PassThrough();
    writeRunDoc(doc, stream);
    stream.end();
    const text = await readAll(stream);
    expect(text.endsWith("\n")).toBe(true);
    expect(text.trimEnd().split("\n")).toHaveLength(1);
    expect(parseRunDoc(text, "stdin")).toEqual(doc);
  });

  it("refuses text that is not JSON", () => {
    const error = parseError("hello");
    expect(error.code).toBe("run.not_json");
    expect(error.fix).toContain("--config");
  });

  it("refuses JSON that is not a run document", () => {
    expect(parseError('{"a": 1}').code).toBe("run.not_run_doc");
    expect(parseError("null").code).toBe("run.not_run_doc");
  });

  it("names both versions for a document of another schema version", () => {
    const error = parseError('{"schema": "wl.run/2"}');
    expect(error.code).toBe("run.schema_version");
    expect(error.message).toContain("wl.run/2");
    expect(error.message).toContain("wl.run/1");
  });

  it("names the damaged field", () => {
    const error = parseError(JSON.stringify({ ...sampleDoc(), status: "maybe" }));
    expect(error.code).toBe("run.invalid");
    expect(error.message).toContain("at status");
  });

  it("rejects unknown top-level fields", () => {
    expect(runDocSchema.safeParse({ ...sampleDoc(), surprise: 1 }).success).toBe(false);
  });

  it("checks wl-train's section strictly", () => {
    const train = {
      backend: "local",
      host_run_dir: "/tmp/runs/x/train",
      launcher: "tmux",
      session: "wl-x",
      started_at: "2026-11-23T12:00:00.000Z",
      stage: "done",
      exit_code: 0,
      success: true,
      steps: 6,
    };
    expect(runDocSchema.safeParse({ ...sampleDoc(), train }).success).toBe(true);
    expect(
      runDocSchema.safeParse({ ...sampleDoc(), train: { ...train, surprise: 1 } }).success,
    ).toBe(false);
    expect(runDocSchema.safeParse({ ...sampleDoc(), train: { ...train, steps: -1 } }).success).toBe(
      false,
    );
  });

  it("redacts secrets while writing", async () => {
    const doc = sampleDoc({
      error: {
        step: "x",
        code: "c",
        message: "key rpa_ABCDEFGHIJKLMNOPQRSTUVWX1234 leaked",
        fix: "f",
        exit_code: 1,
      },
      status: "failed",
    });
    const stream = new PassThrough();
    writeRunDoc(doc, stream);
    stream.end();
    expect(await readAll(stream)).not.toContain("rpa_ABCDEFGHIJKLMNOPQRSTUVWX1234");
  });
});
