// The trainer's exit code → wl-train's exit code and the error the document carries.
import { describe, expect, it } from "vitest";
import { type EndFacts, trainFailure, wlExitCode } from "../src/outcome.ts";

const facts = (fields: Partial<EndFacts>): EndFacts => ({
  exitCode: 0,
  adapter: true,
  log: "/r/train/train.log",
  rerun: "wl-train --run runs/r/run.json",
  ...fields,
});
const status = { schema: "wl.train-status/1" as const, stage: "x", step: 40, total_steps: 100 };

describe("exit codes", () => {
  it.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
    [130, 130],
    [137, 1],
    [undefined, 1],
  ])("trainer %s → wl-train %d", (trainer, wl) => {
    expect(wlExitCode(trainer)).toBe(wl);
  });
});

describe("how a training ended", () => {
  it("exit 0 with an adapter is success", () => {
    expect(trainFailure(facts({}))).toBeUndefined();
  });

  it.each([
    {
      exitCode: 2,
      code: "train.crash_loop",
      wl: 2,
      message: /Crash loop detected/,
      fix: /train\.log.*wl-train --run runs\/r\/run\.json --warm-start.*--resume never/,
    },
    {
      exitCode: 4,
      code: "train.budget",
      wl: 4,
      message: /^budget or time cap reached at step 40\/100 .*checkpoint step-000040 is saved$/,
      fix: /budget\.max_usd.*wl-train --run runs\/r\/run\.json --set budget\.max_usd=/,
    },
    {
      exitCode: 130,
      code: "train.interrupted",
      wl: 130,
      message: /stopped \(SIGTERM or SIGINT\) at step 40\/100; checkpoint step-000040 is saved$/,
      fix: /^run wl-train --run runs\/r\/run\.json again: it resumes from step-000040$/,
    },
    {
      exitCode: 137,
      code: "train.failed",
      wl: 1,
      message: /killed by SIGKILL \(out of memory\?\) at step 40\/100$/,
      fix: /dmesg/,
    },
    {
      exitCode: undefined,
      code: "train.lost",
      wl: 1,
      message: /ended without an exit code at step 40\/100/,
      fix: /resumes from step-000040/,
    },
  ])("exit $exitCode → $code, exit $wl", ({ exitCode, code, wl, message, fix }) => {
    const error = trainFailure(
      facts({
        exitCode,
        adapter: false,
        status: {
          ...status,
          message:
            "Crash loop detected. Training resumed 3+ times from step 40. Manual intervention required.",
        },
        checkpoint: "step-000040",
        lastError:
          exitCode === 2
            ? {
                level: "error",
                message:
                  "Crash loop detected. Training resumed 3+ times from step 40. Manual intervention required.",
              }
            : undefined,
      }),
    );
    expect(error?.code).toBe(code);
    expect(error?.exitCode).toBe(wl);
    expect(error?.message).toMatch(message);
    expect(error?.fix).toMatch(fix);
  });

  it("says when a stop came before the first step and checkpoint, and promises no resume", () => {
    const error = trainFailure(facts({ exitCode: 130, status: { ...status, step: 0 } }));
    expect(error?.message).toBe(
      "the trainer was stopped (SIGTERM or SIGINT); no checkpoint yet (it stopped before the first one)",
    );
    expect(error?.fix).toBe("run wl-train --run runs/r/run.json again");
  });

  it("exit 1 carries the trainer's own error line and fix", () => {
    const error = trainFailure(
      facts({
        exitCode: 1,
        status,
        lastError: { level: "error", message: "CUDA out of memory", fix: "lower micro_batch_size" },
      }),
    );
    expect(error?.code).toBe("train.failed");
    expect(error?.exitCode).toBe(1);
    expect(error?.message).toBe("the trainer failed at step 40/100: CUDA out of memory");
    expect(error?.fix).toBe(
      "lower micro_batch_size; then run wl-train --run runs/r/run.json again",
    );
  });

  it("exit 3 is a refusal before anything was spent, with the trainer's fix", () => {
    const error = trainFailure(
      facts({
        exitCode: 3,
        lastError: {
          level: "error",
          message: "cannot resume from step-000004: the config changed since it was written",
          fix: "run with --resume never to start fresh, or --warm-start to start fresh from its adapter weights",
        },
      }),
    );
    expect(error?.code).toBe("train.refused");
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toMatch(/^the trainer refused to start: cannot resume/);
    expect(error?.fix).toMatch(/--resume never/);
  });

  it("exit 0 without an adapter is a failure", () => {
    const error = trainFailure(facts({ exitCode: 0, adapter: false }));
    expect(error?.code).toBe("train.no_adapter");
    expect(error?.exitCode).toBe(1);
  });
});
