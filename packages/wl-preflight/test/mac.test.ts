// wl-preflight on a Mac, without a Mac: the real trainer's check runs with the facts of a 24 GB
// M4 Pro handed in (as the trainer's own tests do), and preflight shows its Mac checks and the
// time estimate as status lines.
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createReporter, findTrainerPython, loadConfig, RUN_SCHEMA, type RunDoc } from "@wl/core";
import { afterEach, describe, expect, it } from "vitest";
import { checkWithTrainer } from "../src/checks/trainer.ts";
import { preflight } from "../src/preflight.ts";
import { chatRecord, context, removeTempDirs, tempDir, writeJsonl } from "./fixtures.ts";

afterEach(removeTempDirs);

const python = findTrainerPython();

/** `check` with a Mac's facts instead of this machine's; everything else is the real trainer. */
const MAC_CHECK = `
import json, sys
from pathlib import Path
from wl_trainer.accelerator import AcceleratorFacts
from wl_trainer.check_report import build_check_report

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
m4_pro = AcceleratorFacts(
    system="Darwin", machine="arm64", python=(3, 12), cpu_name="Apple M4 Pro", cpu_cores=14,
    ram_bytes=24 * 2**30, mps_available=True, mps_bf16=True,
)
report = build_check_report(
    m4_pro, {"python": "3.12.7"}, {}, config_file=Path(args["--config"]), out_dir=Path(args["--out"])
)
print(json.dumps(report))
`;

/** A stand-in for the trainer's Python: \`-m wl_trainer check …\` runs MAC_CHECK, the rest as is. */
async function macPython(dir: string): Promise<string> {
  const script = join(dir, "mac_check.py");
  await writeFile(script, MAC_CHECK);
  const wrapper = join(dir, "python-on-a-mac");
  await writeFile(
    wrapper,
    [
      "#!/bin/sh",
      `if [ "$3" = check ]; then shift 3; exec "${python}" "${script}" "$@"; fi`,
      `exec "${python}" "$@"`,
      "",
    ].join("\n"),
  );
  await chmod(wrapper, 0o755);
  return wrapper;
}

/** A writable stream that keeps what it is given. */
class Buffered extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString("utf8");
    done();
  }
}

describe.skipIf(!python)("on a Mac (facts handed to the real trainer)", () => {
  /** An m4.yaml-like config (Qwen2.5-0.5B, whose shape the trainer knows) on 40 kB of data. */
  async function setup() {
    const dir = await tempDir();
    const rows = Array.from({ length: 400 }, (_, i) => chatRecord(`question ${i}`, "an answer"));
    const train = await writeJsonl(join(dir, "train.jsonl"), rows);
    const env = {
      WL_TRAINER_PYTHON: await macPython(dir),
      HF_HUB_OFFLINE: "1",
      HF_HUB_CACHE: join(dir, "hub"),
    };
    return { dir, train, env };
  }

  it("reports the chip, Python, MPS, unified memory and a time estimate", async () => {
    const { dir, train, env } = await setup();
    const findings = await checkWithTrainer(
      context(
        dir,
        {
          model: { base: "Qwen/Qwen2.5-0.5B-Instruct" },
          data: { train },
          training: { device: "mps", micro_batch_size: 1, gradient_accumulation_steps: 8 },
        },
        { env },
      ),
    );
    expect(findings.checks.map((check) => [check.name, check.status])).toEqual([
      ["apple_silicon", "ok"],
      ["python", "ok"],
      ["mps", "ok"],
      ["unified_memory", "warn"],
      ["accelerator", "ok"],
      ["memory", "ok"],
      ["speed", "warn"],
      ["monitoring", "ok"],
      ["tokens", "skip"], // the model's tokenizer is not on this machine
    ]);
    const byName = Object.fromEntries(findings.checks.map((check) => [check.name, check]));
    expect(byName.apple_silicon?.message).toBe("Apple Silicon: Apple M4 Pro (arm64)");
    expect(byName.unified_memory?.message).toBe(
      "24 GB of unified memory: enough for small models (up to ≈3B); 32 GB recommended",
    );
    expect(byName.speed?.message).toMatch(
      /^time estimate \(rough\): ≈\d+ s on this M4 Pro vs <1 s on an H100 for ≈\d+k tokens \(3 epochs × \d+ kB ÷ 4 bytes a token\)$/,
    );
    expect(byName.speed?.data).toMatchObject({
      mac: { chip: "M4 Pro", bandwidth_gb_s: 273 },
      h100: { mfu: 0.35 },
    });
  });

  it("prints the estimate as a warning line with its fix", async () => {
    const { dir, env: offline } = await setup();
    // Online (nothing is fetched by a preflight): the uncached model warns instead of failing.
    const { HF_HUB_OFFLINE: _, ...env } = offline;
    const file = join(dir, "wl.yaml");
    await writeFile(
      file,
      [
        "model: {base: Qwen/Qwen2.5-0.5B-Instruct}",
        "data: {train: train.jsonl}",
        "training: {device: mps, micro_batch_size: 1, gradient_accumulation_steps: 8}",
        "compute: {min_free_disk_gb: 0}",
      ].join("\n"),
    );
    const doc: RunDoc = {
      schema: RUN_SCHEMA,
      run_id: "2026-01-01-000000-abcdef",
      created_at: new Date().toISOString(),
      status: "ok",
      config: await loadConfig(file),
      paths: { run_dir: join(dir, "runs", "2026-01-01-000000-abcdef") },
      steps: [],
    };
    const stream = new Buffered();
    const report = createReporter({ tool: "wl-preflight", stream, env: { NO_COLOR: "1" } });
    const result = await preflight(doc, { report, env, home: join(dir, "home") });
    const lines = stream.text.split("\n");
    expect(lines).toContain("[WL-PREFLIGHT] ✅ SUCCESS: MPS available (bf16)");
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\[WL-PREFLIGHT\] ⚠️ WARNING: time estimate \(rough\): .* on this M4 Pro vs .* on an H100 .* → fix: for long runs, train on a CUDA host instead/,
      ),
    );
    expect(lines).toContain("[WL-PREFLIGHT] ✅ SUCCESS: preflight passed: 12 ok, 3 warn, 1 skip");
    expect(result.preflight?.ok).toBe(true);
  });
});
