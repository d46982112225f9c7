import { describe, expect, it } from "vitest";
import {
  formatCost,
  formatDuration,
  formatLoss,
  formatStatus,
  formatSteps,
  formatUsd,
} from "../src/format.ts";
import type { TrainStatus } from "../src/trainer-files.ts";

const status = (fields: Partial<TrainStatus> = {}): TrainStatus => ({
  schema: "wl.train-status/1",
  stage: "training",
  ...fields,
});

describe("durations", () => {
  it.each([
    [0, "0s"],
    [44.6, "45s"],
    [60, "1m 00s"],
    [723, "12m 03s"],
    [3599, "59m 59s"],
    [3600, "1h 00m"],
    [7500, "2h 05m"],
    [86_400 * 3 + 4 * 3600 + 59, "3d 04h"],
    [-5, "0s"],
  ])("%d s → %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe("money and progress", () => {
  it("prints dollars with cents, and sub-cent amounts with a third decimal", () => {
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(0.004)).toBe("$0.004");
    expect(formatUsd(12.3)).toBe("$12.30");
  });

  it("projects the cost at the end from the rate and the ETA while running", () => {
    const s = status({ cost_usd: 0.41, cost_per_hour: 1.99, eta_s: 1800 });
    expect(formatCost(s, true)).toBe("$0.41 at $1.99/h, ≈$1.41 at the end");
    expect(formatCost(s, false)).toBe("$0.41 at $1.99/h");
    expect(formatCost(status({ cost_usd: 0.5, cost_per_hour: 2, eta_s: null }), true)).toBe(
      "$0.50 at $2.00/h",
    );
  });

  it("says when there is no rate to cost with", () => {
    expect(formatCost(status({ cost_per_hour: null }), true)).toMatch(/^unknown: no hourly rate/);
  });

  it("shows steps as done/planned with a percentage, or just done when the plan is unknown", () => {
    expect(formatSteps(status({ step: 120, total_steps: 500 }))).toBe("120/500 (24%)");
    expect(formatSteps(status({ step: 3, total_steps: null }))).toBe("3");
    expect(formatSteps(status())).toBe("0");
    expect(formatLoss(1.23456)).toBe("1.235");
    expect(formatLoss(null)).toBe("—");
  });
});

describe("the status of a run", () => {
  it("shows one aligned line per fact, the ETA only while alive", () => {
    const s = status({
      step: 120,
      total_steps: 500,
      loss: 1.2345,
      eval_loss: 1.301,
      tokens_per_s: 2345.4,
      eta_s: 2290,
      elapsed_s: 723,
      cost_usd: 0.41,
      cost_per_hour: 1.99,
      memory_gb: 21.34,
      message: "step 120/500",
    });
    const text = formatStatus(s, {
      alive: true,
      aliveBy: "pid 42 on this host",
      heartbeatAgeS: 4,
      runDir: "runs/r1",
      attach: "tmux attach -t wl-r1",
    });
    expect(text.split("\n")).toEqual([
      "run      runs/r1",
      "stage    training (alive: pid 42 on this host)",
      "step     120/500 (24%)",
      "loss     1.234 (eval 1.301)",
      "speed    2345 tokens/s",
      "elapsed  12m 03s",
      "ETA      38m 10s",
      "cost     $0.41 at $1.99/h, ≈$1.68 at the end",
      "memory   21.3 GB",
      "updated  4s ago",
      "message  step 120/500",
      "attach   tmux attach -t wl-r1",
    ]);
  });

  it("shows the exit code and no ETA or attach hint once the trainer has ended", () => {
    const text = formatStatus(
      status({ stage: "interrupted", step: 4, total_steps: 10, exit_code: 130, eta_s: 12 }),
      { alive: false, aliveBy: "exited 130", runDir: "runs/r1", attach: "tmux attach -t x" },
    );
    expect(text).toContain("stage      interrupted (not running: exited 130)");
    expect(text).toContain("ETA        —");
    expect(text).toContain("exit code  130");
    expect(text).not.toContain("attach");
  });
});
