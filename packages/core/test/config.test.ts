import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, overrideLoadedConfig, WlError } from "../src/index.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wl-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(text: string, name = "wl.yaml"): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function failure(text: string, overrides: string[] = []): Promise<WlError> {
  const file = await configFile(text);
  const error = await loadConfig(file, overrides).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(WlError);
  return error as WlError;
}

const MINIMAL = "model: {base: org/model}\ndata: {train: t.jsonl}\n";

describe("loadConfig", () => {
  it("fills defaults, resolves paths against the config's folder and keeps hub ids", async () => {
    const file = await configFile(
      `${MINIMAL}compute: {backend: ssh, ssh: {host: h, key: keys/id}}\n`,
    );
    const loaded = await loadConfig(file);
    expect(loaded.resolved.model.base).toBe("org/model");
    expect(loaded.resolved.data.train).toBe(join(dir, "t.jsonl"));
    expect(loaded.resolved.compute.ssh).toEqual({
      host: "h",
      port: 22,
      user: "root",
      key: join(dir, "keys/id"),
    });
    expect(loaded.resolved.lora.r).toBe(16);
    expect(loaded.resolved.training.learning_rate).toBe(2e-4);
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.overrides).toEqual([]);
  });

  it("treats ./ paths and existing folders as local models", async () => {
    const loaded = await loadConfig(
      await configFile("model: {base: ./m}\ndata: {train: t.jsonl}\n"),
    );
    expect(loaded.resolved.model.base).toBe(join(dir, "m"));
  });

  it("reads 2e-4 as a number (YAML 1.2)", async () => {
    const loaded = await loadConfig(
      await configFile(`${MINIMAL}training: {learning_rate: 2e-4}\n`),
    );
    expect(loaded.resolved.training.learning_rate).toBe(0.0002);
  });

  it("names an unknown key, its line and the closest valid key", async () => {
    const error = await failure(`${MINIMAL}training:\n  lerning_rate: 1e-4\n`);
    expect(error.message).toBe(
      'invalid config wl.yaml:4: unknown key "lerning_rate" in training'.replace(
        "wl.yaml",
        join(dir, "wl.yaml"),
      ),
    );
    expect(error.fix).toBe('did you mean "learning_rate"?');
    expect(error.code).toBe("config.invalid");
  });

  it("lists the valid keys when no key is close", async () => {
    const error = await failure(`${MINIMAL}zzzzzzzz: 1\n`);
    expect(error.message).toContain('unknown key "zzzzzzzz" at the top level');
    expect(error.fix).toContain("valid keys here: name, model, data, lora");
  });

  it("reports a wrong type with the received value and line", async () => {
    const error = await failure(`${MINIMAL}lora:\n  r: sixteen\n`);
    expect(error.message).toContain(':4: lora.r is "sixteen", expected number');
    expect(error.fix).toBe("set lora.r to a value of type number");
  });

  it("reports an enum value with the choices", async () => {
    const error = await failure("model: {base: x, dtype: float8}\ndata: {train: t.jsonl}\n");
    expect(error.message).toContain(
      'model.dtype is "float8", expected one of "auto", "bf16", "fp16", "fp32"',
    );
  });

  it("reports a bound", async () => {
    const error = await failure(`${MINIMAL}lora: {dropout: 1}\n`);
    expect(error.message).toContain("lora.dropout is 1");
    expect(error.fix).toBe("set lora.dropout to at most 1 (exclusive)");
  });

  it("reports a missing required key and counts the rest", async () => {
    const error = await failure("data: {}\n");
    expect(error.message).toMatch(/missing required key (model|data\.train) \(and 1 more\)/);
    expect((error as ConfigError).problems.map((problem) => problem.path).sort()).toEqual([
      "data.train",
      "model",
    ]);
  });

  it("reports YAML syntax errors with the line", async () => {
    const error = await failure("model: {base: x\ndata: {train: t.jsonl}\n");
    expect(error.code).toBe("config.syntax");
    expect(error.message).toMatch(/malformed YAML in .*wl\.yaml at line \d+/);
  });

  it("rejects duplicate keys", async () => {
    const error = await failure(`${MINIMAL}model: {base: y}\n`);
    expect(error.code).toBe("config.syntax");
    expect(error.message).toContain("line 3");
  });

  it("rejects a file that is not a mapping", async () => {
    expect((await failure("- a\n- b\n")).code).toBe("config.not_mapping");
    expect((await failure("")).code).toBe("config.not_mapping");
  });

  it("says when the file is missing", async () => {
    const error = (await loadConfig(join(dir, "nope.yaml")).catch(
      (thrown: unknown) => thrown,
    )) as WlError;
    expect(error.code).toBe("config.missing");
    expect(error.fix).toContain("--config");
  });

  it("reads JSON configs", async () => {
    const file = await configFile(
      '{"model": {"base": "a/b"}, "data": {"train": "t.jsonl"}}',
      "wl.json",
    );
    expect((await loadConfig(file)).resolved.model.base).toBe("a/b");
  });
});

describe("--set overrides", () => {
  it("applies YAML values, including flow lists, and records them", async () => {
    const file = await configFile(MINIMAL);
    const loaded = await loadConfig(file, [
      "training.max_steps=10",
      "lora.target_modules=[q_proj, v_proj]",
    ]);
    expect(loaded.resolved.training.max_steps).toBe(10);
    expect(loaded.resolved.lora.target_modules).toEqual(["q_proj", "v_proj"]);
    expect(loaded.overrides).toEqual([
      "training.max_steps=10",
      "lora.target_modules=[q_proj, v_proj]",
    ]);
  });

  it("validates overrides like the file, without a misleading line number", async () => {
    const error = await failure(MINIMAL, ["training.max_steps=abc"]);
    expect(error.message).toBe(
      `invalid config ${join(dir, "wl.yaml")}: training.max_steps is "abc", expected number`,
    );
  });

  it("suggests the key an override misspelt", async () => {
    const error = await failure(MINIMAL, ["lora.alpah=8"]);
    expect(error.message).toContain('unknown key "alpah" in lora');
    expect(error.fix).toBe('did you mean "alpha"?');
  });

  it("rejects an override without =", async () => {
    const error = await failure(MINIMAL, ["training.max_steps"]);
    expect(error.code).toBe("config.override");
    expect(error.fix).toContain("--set training.learning_rate=1e-4");
  });

  it("re-validates overrides applied to a loaded config", async () => {
    const loaded = await loadConfig(await configFile(MINIMAL));
    const changed = overrideLoadedConfig(loaded, ["lora.r=4"]);
    expect(changed.resolved.lora.r).toBe(4);
    expect(changed.resolved_sha256).not.toBe(loaded.resolved_sha256);
    expect(changed.overrides).toEqual(["lora.r=4"]);
    expect(() => overrideLoadedConfig(loaded, ["lora.r=-1"])).toThrow(ConfigError);
  });
});
