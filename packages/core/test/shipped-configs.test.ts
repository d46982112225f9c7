import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/index.ts";
import { REPO_DIR } from "../src/schemas/outputs.ts";

const CONFIGS = join(REPO_DIR, "configs");
const names = (await readdir(CONFIGS)).filter((name) => name.endsWith(".yaml"));

describe("shipped configs", () => {
  it("include cpu-smoke, h100 and m4", () => {
    expect(names).toEqual(expect.arrayContaining(["cpu-smoke.yaml", "h100.yaml", "m4.yaml"]));
  });

  it.each(names)("%s loads and opens with the command that runs it", async (name) => {
    const file = join(CONFIGS, name);
    const loaded = await loadConfig(file);
    expect(loaded.resolved.model.base).not.toBe("");
    const header = (await readFile(file, "utf8"))
      .split("\n")
      .filter((line) => line.startsWith("#"));
    expect(header.some((line) => /wl-|scripts\//.test(line))).toBe(true);
  });

  it("h100.yaml keeps the owner's settings", async () => {
    const { resolved } = await loadConfig(join(CONFIGS, "h100.yaml"));
    expect(resolved.model.base).toBe("mistralai/Mistral-7B-Instruct-v0.3");
    expect(resolved.lora).toMatchObject({ r: 16, alpha: 32 });
    expect(resolved.lora.target_modules).toEqual([
      "q_proj",
      "k_proj",
      "v_proj",
      "o_proj",
      "gate_proj",
      "up_proj",
      "down_proj",
    ]);
    expect(resolved.training).toMatchObject({
      micro_batch_size: 4,
      gradient_accumulation_steps: 4,
      learning_rate: 2e-4,
      epochs: 3,
    });
    expect(resolved.checkpoints.save_every).toBe(500);
    expect(resolved.data.max_seq_length).toBe(4096);
  });

  it("m4.yaml uses the small batch and frequent checkpoints", async () => {
    const { resolved } = await loadConfig(join(CONFIGS, "m4.yaml"));
    expect(resolved.training).toMatchObject({
      micro_batch_size: 1,
      gradient_accumulation_steps: 8,
      device: "mps",
    });
    expect(resolved.checkpoints.save_every).toBe(250);
  });
});
