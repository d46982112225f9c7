import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createReporter, eventSchema, formatStatusLine } from "../src/index.ts";

function capture(isTTY = false) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, lines: () => text.trimEnd().split("\n") };
}

describe("status lines", () => {
  it("use the documented shapes", () => {
    expect(formatStatusLine("wl-preflight", "success", "all good")).toBe(
      "[WL-PREFLIGHT] ✅ SUCCESS: all good",
    );
    expect(formatStatusLine("wl-preflight", "error", "no config", "pass --config")).toBe(
      "[WL-PREFLIGHT] ❌ ERROR: no config → fix: pass --config",
    );
    expect(formatStatusLine("wl-pod", "warning", "slow")).toBe("[WL-POD] ⚠️ WARNING: slow");
    expect(formatStatusLine("wl-pod", "info", "starting")).toBe("[WL-POD] starting");
  });

  it("are coloured only on a TTY without NO_COLOR", () => {
    const tty = capture(true);
    createReporter({ tool: "wl-x", stream: tty.stream, env: {} }).error("bad", { fix: "fix" });
    expect(tty.lines()[0]).toContain("\u001b[31m");

    const noColour = capture(true);
    createReporter({ tool: "wl-x", stream: noColour.stream, env: { NO_COLOR: "1" } }).error("bad");
    expect(noColour.lines()[0]).toBe("[WL-X] ❌ ERROR: bad");

    const pipe = capture(false);
    createReporter({ tool: "wl-x", stream: pipe.stream, env: {} }).success("ok");
    expect(pipe.lines()[0]).toBe("[WL-X] ✅ SUCCESS: ok");

    const forced = capture(false);
    createReporter({ tool: "wl-x", stream: forced.stream, env: { FORCE_COLOR: "1" } }).success(
      "ok",
    );
    expect(forced.lines()[0]).toContain("\u001b[32m");
  });

  it("become wl.event/1 NDJSON with --log-format json", () => {
    const out = capture();
    const report = createReporter({ tool: "wl-x", format: "json", stream: out.stream, env: {} });
    report.runId = "run-1";
    report.info("starting", { event: "step.start" });
    report.warning("careful", { fix: "do this", data: { n: 1 } });
    report.error("broken", { fix: "mend it" });
    const events = out.lines().map((line) => eventSchema.parse(JSON.parse(line)));
    expect(events.map((event) => [event.level, event.event])).toEqual([
      ["info", "step.start"],
      ["warning", "log"],
      ["error", "error"],
    ]);
    expect(events[1]).toMatchObject({
      tool: "wl-x",
      run_id: "run-1",
      fix: "do this",
      data: { n: 1 },
    });
  });

  it("redact secrets in both formats", () => {
    for (const format of ["text", "json"] as const) {
      const out = capture();
      createReporter({ tool: "wl-x", format, stream: out.stream, env: {} }).info(
        "key rpa_ABCDEFGHIJKLMNOPQRSTUVWXYZ",
      );
      expect(out.lines()[0]).not.toContain("rpa_ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    }
  });
});
