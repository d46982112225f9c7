// argv → which command line runs, and run document → the config the trainer reads.
import { configSchema } from "@wl/core";
import { describe, expect, it } from "vitest";
import { isSubcommand } from "../src/commands/cli.ts";
import { trainerConfig } from "../src/train.ts";

describe("a subcommand or the pipe tool", () => {
  it.each([
    [["status", "r1"], true],
    [["logs", "r1", "-f"], true],
    [["--log-format", "json", "stop", "r1"], true],
    [["--runs-dir", "status", "attach", "r1"], true],
    [["--runs-dir", "status"], false],
    [["--config", "wl.yaml"], false],
    [["--run", "runs/r1/run.json", "--detach"], false],
    [[], false],
    [["--", "status"], false],
    [["statuses"], false],
  ])("%j → subcommand %s", (argv, expected) => {
    expect(isSubcommand(argv)).toBe(expected);
  });
});

describe("the trainer's config", () => {
  const config = configSchema.parse({
    model: { base: "org/model" },
    data: { train: "/cfg/train.jsonl", val: "/cfg/val.jsonl" },
  });

  it("is the resolved config when wl-data did not run", () => {
    expect(trainerConfig({}, config)).toEqual(config);
  });

  it("trains on the files wl-data chose; no val when wl-data has none", () => {
    const data = {
      train: "/run/train.jsonl",
      sources: { train: "x" },
      format: { train: "chat" as const },
      samples_used: 3,
      records: { train: 3 },
      sha256: { train: "0".repeat(64) },
      dropped: { count: 0, reasons: {} },
    };
    const out = trainerConfig({ data }, config);
    expect(out.data.train).toBe("/run/train.jsonl");
    expect(out.data.val).toBeUndefined();
    expect(out.data.max_seq_length).toBe(config.data.max_seq_length);
    expect(trainerConfig({ data: { ...data, val: "/run/val.jsonl" } }, config).data.val).toBe(
      "/run/val.jsonl",
    );
  });
});
