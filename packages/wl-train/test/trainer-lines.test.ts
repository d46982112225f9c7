import { eventSchema } from "@wl/core";
import { describe, expect, it } from "vitest";
import { lastError, parseTrainerLine, trainerLineEvent } from "../src/trainer-lines.ts";

describe("the trainer's status lines", () => {
  it.each([
    ["[WL-TRAINER] loading model", { level: "info", message: "loading model" }],
    [
      "[WL-TRAINER] ✅ SUCCESS: adapter saved → x",
      { level: "success", message: "adapter saved → x" },
    ],
    [
      "[WL-TRAINER] ⚠️ WARNING: slow → fix: use CUDA",
      { level: "warning", message: "slow", fix: "use CUDA" },
    ],
    ["[WL-TRAINER] ❌ ERROR: a → b → fix: c", { level: "error", message: "a → b", fix: "c" }],
  ])("%s", (line, parsed) => {
    expect(parseTrainerLine(line)).toEqual(parsed);
  });

  it("ignores what is not a status line", () => {
    expect(parseTrainerLine("Traceback (most recent call last):")).toBeUndefined();
    expect(parseTrainerLine("[WL-TRAIN] ❌ ERROR: x")).toBeUndefined();
  });

  it("finds the last error", () => {
    const lines = [
      "[WL-TRAINER] ❌ ERROR: first → fix: one",
      "[WL-TRAINER] step 3",
      "[WL-TRAINER] ❌ ERROR: second → fix: two",
      '  File "x.py", line 1',
    ];
    expect(lastError(lines)).toEqual({ level: "error", message: "second", fix: "two" });
    expect(lastError(["[WL-TRAINER] fine"])).toBeUndefined();
  });

  it("becomes a valid wl.event/1 from the trainer", () => {
    const event = trainerLineEvent({ level: "warning", message: "slow", fix: "use CUDA" }, "r1");
    expect(eventSchema.parse(event)).toMatchObject({
      tool: "wl-trainer",
      level: "warning",
      event: "log",
      message: "slow",
      fix: "use CUDA",
      run_id: "r1",
    });
  });
});
