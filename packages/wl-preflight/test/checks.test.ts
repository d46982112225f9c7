// Each check on real files in temp folders, with a hand-built context: ok, warn, fail and skip.
import { chmod, mkdir, mkdtemp, readdir, rm, statfs, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConfigInput, findTrainerPython, runTrainer } from "@wl/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkCredentials } from "../src/checks/credentials.ts";
import { checkData } from "../src/checks/data.ts";
import { checkDisk } from "../src/checks/disk.ts";
import { gpuMemoryGb } from "../src/checks/gpu-memory.ts";
import { checkModel } from "../src/checks/model.ts";
import { checkOutputDir } from "../src/checks/output-dir.ts";
import { checkSettings } from "../src/checks/settings.ts";
import { checkWithTrainer } from "../src/checks/trainer.ts";
import {
  chatRecord,
  context,
  hasSshKeygen,
  removeTempDirs,
  sshKeygen,
  tempDir,
  writeFiles,
  writeJsonl,
  writeModelDir,
} from "./fixtures.ts";

afterEach(removeTempDirs);

const isRoot = process.getuid?.() === 0;

/** A valid config input for a local run whose files live in `dir` (not necessarily written). */
function input(dir: string, extra: Partial<ConfigInput> = {}): ConfigInput {
  return {
    model: { base: join(dir, "model") },
    data: { train: join(dir, "train.jsonl") },
    ...extra,
  };
}

describe("settings", () => {
  const broken: [string, Partial<ConfigInput>, string, string][] = [
    [
      "ssh backend without compute.ssh",
      { compute: { backend: "ssh" } },
      "compute.backend is ssh but compute.ssh is missing",
      "add compute.ssh",
    ],
    [
      "eval_every without data.val",
      { training: { eval_every: 10 } },
      "training.eval_every is set but data.val is not",
      "add data.val or remove training.eval_every",
    ],
    [
      "early stopping without evaluations",
      { training: { early_stopping_patience: 3 } },
      "training.early_stopping_patience needs evaluations",
      "set training.eval_every",
    ],
    [
      "spot without a bid",
      { compute: { backend: "runpod", runpod: { spot: true } } },
      "compute.runpod.spot needs a bid",
      "set compute.runpod.bid_per_gpu",
    ],
  ];

  it.each(broken)("fails on %s, naming the rule and its fix", async (_, extra, message, fix) => {
    const dir = await tempDir();
    const result = await checkSettings(context(dir, input(dir, extra)));
    expect(result).toMatchObject({ name: "settings", status: "fail", message });
    expect(result.fix).toContain(fix);
    expect(result.data?.broken).toEqual([message]);
  });

  it("reports every broken rule, the first in the message", async () => {
    const dir = await tempDir();
    const extra: Partial<ConfigInput> = {
      training: { eval_every: 10 },
      compute: { backend: "runpod", runpod: { spot: true } },
    };
    const result = await checkSettings(context(dir, input(dir, extra)));
    expect(result.status).toBe("fail");
    expect(result.message).toBe("training.eval_every is set but data.val is not (and 1 more)");
    expect(result.data?.broken).toHaveLength(2);
  });

  it.each([
    ["local", {}, "local, device auto"],
    [
      "ssh",
      { compute: { backend: "ssh", ssh: { host: "gpu.example", user: "ml", port: 2222 } } },
      "SSH ml@gpu.example:2222",
    ],
    [
      "runpod spot with a bid, evaluations with val data",
      {
        data: { train: "/t.jsonl", val: "/v.jsonl" },
        training: { eval_every: 5, early_stopping_patience: 2 },
        compute: {
          backend: "runpod",
          runpod: { spot: true, bid_per_gpu: 0.5, gpu_types: ["NVIDIA H100 PCIe", "NVIDIA A40"] },
        },
      },
      "RunPod NVIDIA H100 PCIe → NVIDIA A40",
    ],
  ] as [string, Partial<ConfigInput>, string][])(
    "is ok when consistent (%s)",
    async (_, extra, shown) => {
      const dir = await tempDir();
      const result = await checkSettings(context(dir, input(dir, extra)));
      expect(result.status).toBe("ok");
      expect(result.message).toContain(shown);
      expect(result.fix).toBeUndefined();
    },
  );
});

describe("data", () => {
  const records = [chatRecord("hi", "hello"), chatRecord("weather?", "sunny")];

  async function dataCheck(dir: string, data: ConfigInput["data"]) {
    return checkData(context(dir, { model: { base: join(dir, "model") }, data }));
  }

  it("counts the records of train and val", async () => {
    const dir = await tempDir();
    const train = await writeJsonl(join(dir, "train.jsonl"), records);
    const val = await writeJsonl(join(dir, "val.jsonl"), [records[0]]);
    const result = await dataCheck(dir, { train, val });
    expect(result).toMatchObject({
      name: "data",
      status: "ok",
      message: "data parses: 2 train, 1 val records",
      data: { records: { train: 2, val: 1 } },
    });
  });

  it("fails on a missing train file", async () => {
    const dir = await tempDir();
    const train = join(dir, "nope.jsonl");
    const result = await dataCheck(dir, { train });
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`train data not found: ${train}`);
    expect(result.fix).toBe("fix data.train in the config");
  });

  it("fails on a folder given as the data file", async () => {
    const dir = await tempDir();
    const train = join(dir, "folder.jsonl");
    await mkdir(train);
    const result = await dataCheck(dir, { train });
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`train data is not a file: ${train}`);
  });

  it("names the line number of the first line that is not JSON", async () => {
    const dir = await tempDir();
    const train = join(dir, "train.jsonl");
    const good = JSON.stringify(records[0]);
    await writeFile(train, `${good}\n\n{"messages": [\n${good}\nnot json either\n`);
    const result = await dataCheck(dir, { train });
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`train data ${train}:3: not valid JSON (2 bad of 4 lines)`);
    expect(result.data).toEqual({ file: train, line: 3, bad: 2 });
    expect(result.fix).toContain("wl-data validate");
  });

  it("rejects a JSON array line as not a JSON object", async () => {
    const dir = await tempDir();
    const train = join(dir, "train.jsonl");
    await writeFile(train, `${JSON.stringify(records[0])}\n[1, 2]\n`);
    const result = await dataCheck(dir, { train });
    expect(result.status).toBe("fail");
    expect(result.message).toContain(`${train}:2: not a JSON object`);
  });

  it("fails on a file with only blank lines", async () => {
    const dir = await tempDir();
    const train = join(dir, "train.jsonl");
    await writeFile(train, "\n   \n\r\n");
    const result = await dataCheck(dir, { train });
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`train data ${train} has no records`);
    expect(result.fix).toContain("one record per line");
  });

  it("tolerates a BOM, CRLF line ends and blank lines", async () => {
    const dir = await tempDir();
    const train = join(dir, "train.jsonl");
    const [a, b] = records.map((record) => JSON.stringify(record));
    await writeFile(train, `\uFEFF${a}\r\n\r\n${b}\r\n\r\n`);
    const result = await dataCheck(dir, { train });
    expect(result.status).toBe("ok");
    expect(result.data).toEqual({ records: { train: 2 } });
  });

  it("checks the val file too", async () => {
    const dir = await tempDir();
    const train = await writeJsonl(join(dir, "train.jsonl"), records);
    const val = join(dir, "val.jsonl");
    await writeFile(val, "42\n");
    const bad = await dataCheck(dir, { train, val });
    expect(bad.status).toBe("fail");
    expect(bad.message).toContain(`val data ${val}:1: not a JSON object`);

    const missing = await dataCheck(dir, { train, val: join(dir, "absent.jsonl") });
    expect(missing.status).toBe("fail");
    expect(missing.message).toContain("val data not found");
    expect(missing.fix).toBe("fix data.val in the config");
  });
});

describe("output_dir", () => {
  it("creates the run folder, writes a probe and removes it", async () => {
    const dir = await tempDir();
    const runDir = join(dir, "runs", "deep", "run-1");
    const result = await checkOutputDir(context(dir, input(dir), { runDir }));
    expect(result).toMatchObject({ name: "output_dir", status: "ok", data: { path: runDir } });
    expect(await readdir(runDir)).toEqual([]);
  });

  it("fails when the run folder's path goes through a regular file (even for root)", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "afile"), "");
    const runDir = join(dir, "afile", "run");
    const result = await checkOutputDir(context(dir, input(dir), { runDir }));
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`cannot write the run folder ${runDir} (ENOTDIR)`);
    expect(result.fix).toContain("--runs-dir");
  });

  it.skipIf(isRoot)("fails when the parent folder is read-only", async () => {
    const dir = await tempDir();
    const parent = join(dir, "locked");
    await mkdir(parent);
    await chmod(parent, 0o500);
    try {
      const runDir = join(parent, "run");
      const result = await checkOutputDir(context(dir, input(dir), { runDir }));
      expect(result.status).toBe("fail");
      expect(result.message).toContain("(EACCES)");
    } finally {
      await chmod(parent, 0o700);
    }
  });
});

describe("disk", () => {
  it("is ok when no free space is required", async () => {
    const dir = await tempDir();
    const cfg = input(dir, { compute: { min_free_disk_gb: 0 } });
    const result = await checkDisk(context(dir, cfg, { runDir: dir }));
    expect(result).toMatchObject({ name: "disk", status: "ok", data: { path: dir, needed_gb: 0 } });
    expect(result.data?.free_gb).toBeGreaterThanOrEqual(0);
  });

  it("fails when more is required than any disk has, with the fix", async () => {
    const dir = await tempDir();
    const cfg = input(dir, { compute: { min_free_disk_gb: 1e9 } });
    const result = await checkDisk(context(dir, cfg, { runDir: dir }));
    expect(result.status).toBe("fail");
    expect(result.message).toMatch(/^only [\d.]+ GB free at .+, need 1000000000 GB$/);
    expect(result.fix).toBe(
      "free some space, point --runs-dir at a bigger disk, or lower compute.min_free_disk_gb",
    );
  });

  it("measures at the nearest existing ancestor of a run folder not made yet", async () => {
    const dir = await tempDir();
    const runDir = join(dir, "not", "yet", "there");
    const cfg = input(dir, { compute: { min_free_disk_gb: 0 } });
    const result = await checkDisk(context(dir, cfg, { runDir }));
    expect(result.status).toBe("ok");
    expect(result.data?.path).toBe(dir);
  });

  it("needs only 1 GB for a remote run, whatever min_free_disk_gb says", async () => {
    const dir = await tempDir();
    const cfg = input(dir, { compute: { backend: "runpod", min_free_disk_gb: 1e9 } });
    const result = await checkDisk(context(dir, cfg, { runDir: dir }));
    const info = await statfs(dir);
    const freeGb = (info.bavail * info.bsize) / 1024 ** 3;
    expect(result.data?.needed_gb).toBe(1);
    expect(result.status).toBe(freeGb >= 1 ? "ok" : "fail");
    if (result.status === "ok") expect(result.message).toContain("(need 1)");
  });
});

describe("model", () => {
  const modelCheck = (dir: string, base: string, extra: Partial<ConfigInput> = {}, env = {}) =>
    checkModel(context(dir, { ...input(dir), model: { base }, ...extra }, { env }));

  it("accepts a complete model folder", async () => {
    const dir = await tempDir();
    const model = await writeModelDir(join(dir, "model"));
    const result = await modelCheck(dir, model);
    expect(result).toMatchObject({ name: "model", status: "ok", data: { path: model } });
    expect(result.message).toBe(`model ${model}: 1 weight file(s), tokenizer tokenizer.json`);
  });

  const shards = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"];
  const index = JSON.stringify({
    metadata: {},
    weight_map: { "a.weight": shards[0], "b.weight": shards[1], "c.weight": shards[1] },
  });

  it("accepts a sharded model whose shards all exist", async () => {
    const dir = await tempDir();
    const model = await writeFiles(join(dir, "model"), {
      "config.json": "{}",
      "tokenizer.model": "spm",
      "model.safetensors.index.json": index,
      [shards[0] as string]: "1",
      [shards[1] as string]: "2",
    });
    const result = await modelCheck(dir, model);
    expect(result.status).toBe("ok");
    expect(result.message).toContain("2 weight file(s), tokenizer tokenizer.model");
  });

  it("fails on a sharded model with a shard missing, naming it", async () => {
    const dir = await tempDir();
    const model = await writeFiles(join(dir, "model"), {
      "config.json": "{}",
      "tokenizer.json": "{}",
      "model.safetensors.index.json": index,
      [shards[0] as string]: "1",
    });
    const result = await modelCheck(dir, model);
    expect(result.status).toBe("fail");
    expect(result.message).toContain(shards[1]);
    expect(result.message).not.toContain(shards[0]);
    expect(result.data?.missing).toEqual([
      `shards ${shards[1]} named in model.safetensors.index.json`,
    ]);
  });

  it("lists both the tokenizer and the weights when a folder has only config.json", async () => {
    const dir = await tempDir();
    const model = await writeFiles(join(dir, "model"), { "config.json": "{}" });
    const result = await modelCheck(dir, model);
    expect(result.status).toBe("fail");
    expect(result.message).toBe(
      `model ${model} is an incomplete model: missing tokenizer.json (or tokenizer.model), model.safetensors (or a sharded index)`,
    );
    expect(result.fix).toContain("save_pretrained");
  });

  it("accepts a PEFT adapter and names its base", async () => {
    const dir = await tempDir();
    const adapter = await writeFiles(join(dir, "adapter"), {
      "adapter_config.json": JSON.stringify({ base_model_name_or_path: "Qwen/Qwen2.5-0.5B" }),
      "adapter_model.safetensors": "lora",
    });
    const result = await modelCheck(dir, adapter);
    expect(result).toMatchObject({
      status: "ok",
      message: "PEFT adapter adapter on base Qwen/Qwen2.5-0.5B",
      data: { kind: "adapter", base: "Qwen/Qwen2.5-0.5B", path: adapter },
    });
  });

  it("fails on an adapter without weights", async () => {
    const dir = await tempDir();
    const adapter = await writeFiles(join(dir, "adapter"), {
      "adapter_config.json": JSON.stringify({ base_model_name_or_path: "org/base" }),
    });
    const result = await modelCheck(dir, adapter);
    expect(result.status).toBe("fail");
    expect(result.message).toContain("is a PEFT adapter without weights");
    expect(result.data?.missing).toEqual(["adapter_model.safetensors"]);
  });

  it("fails on an empty folder: neither a model nor an adapter", async () => {
    const dir = await tempDir();
    const empty = join(dir, "empty");
    await mkdir(empty);
    const result = await modelCheck(dir, empty);
    expect(result.status).toBe("fail");
    expect(result.message).toMatch(/is neither a Hugging Face model .* nor a PEFT adapter/);
  });

  it("fails on a local path that does not exist, or is a file", async () => {
    const dir = await tempDir();
    const absent = await modelCheck(dir, join(dir, "absent"));
    expect(absent.status).toBe("fail");
    expect(absent.message).toBe(`model ${join(dir, "absent")} does not exist`);

    await writeFile(join(dir, "afile"), "");
    const file = await modelCheck(dir, join(dir, "afile"));
    expect(file.status).toBe("fail");
    expect(file.message).toContain("is not a folder");
  });

  it("finds a hub model in the HF cache", async () => {
    const dir = await tempDir();
    const cache = join(dir, "hub");
    const snapshot = join(cache, "models--acme--tiny-chat", "snapshots", "abc123");
    await writeModelDir(snapshot);
    const result = await modelCheck(dir, "acme/tiny-chat", {}, { HF_HUB_CACHE: cache });
    expect(result.status).toBe("ok");
    expect(result.message).toContain("model acme/tiny-chat: 1 weight file(s)");
    expect(result.data?.path).toBe(snapshot);
  });

  it("finds the cache through HF_HOME too, and checks the cached snapshot's files", async () => {
    const dir = await tempDir();
    const snapshot = join(dir, "hf", "hub", "models--acme--tiny-chat", "snapshots", "abc123");
    await writeFiles(snapshot, { "config.json": "{}" });
    const result = await modelCheck(dir, "acme/tiny-chat", {}, { HF_HOME: join(dir, "hf") });
    expect(result.status).toBe("fail");
    expect(result.message).toContain("acme/tiny-chat is an incomplete model");
  });

  it("warns about a hub model that is not cached: it will be downloaded", async () => {
    const dir = await tempDir();
    const cache = join(dir, "hub");
    const result = await modelCheck(dir, "acme/tiny-chat", {}, { HF_HUB_CACHE: cache });
    expect(result.status).toBe("warn");
    expect(result.message).toContain("will be downloaded");
    expect(result.data).toEqual({ hub_id: "acme/tiny-chat", cache_dir: cache });
  });

  it("fails on a hub model that is not cached when HF_HUB_OFFLINE is set", async () => {
    const dir = await tempDir();
    const env = { HF_HUB_CACHE: join(dir, "hub"), HF_HUB_OFFLINE: "1" };
    const result = await modelCheck(dir, "acme/tiny-chat", {}, env);
    expect(result.status).toBe("fail");
    expect(result.message).toContain("HF_HUB_OFFLINE is set");
    expect(result.fix).toContain("huggingface-cli download");
  });

  it("leaves a hub model to the training host on a remote backend", async () => {
    const dir = await tempDir();
    const env = { HF_HUB_CACHE: join(dir, "hub"), HF_HUB_OFFLINE: "1" };
    const result = await modelCheck(dir, "acme/tiny-chat", { compute: { backend: "runpod" } }, env);
    expect(result).toMatchObject({ status: "ok", data: { hub_id: "acme/tiny-chat" } });
  });
});

describe("credentials", () => {
  const runpodKey = "rpa_0123456789ABCDEFGHIJabcdefghij0123456789";
  const runpod = (extra: Record<string, unknown> = {}): Partial<ConfigInput> => ({
    compute: { backend: "runpod", runpod: { ...extra } },
  });
  const ssh = (key: string): Partial<ConfigInput> => ({
    compute: { backend: "ssh", ssh: { host: "gpu.example", key } },
  });
  const credentialsCheck = (dir: string, extra: Partial<ConfigInput>, env = {}) =>
    checkCredentials(context(dir, input(dir, extra), { env }));
  const agent = { SSH_AUTH_SOCK: "/tmp/wl-test-agent.sock" };

  it("needs nothing for a local run without W&B", async () => {
    const dir = await tempDir();
    const result = await credentialsCheck(dir, {});
    expect(result).toMatchObject({
      name: "credentials",
      status: "ok",
      message: "none needed for a local run without W&B",
    });
  });

  it("takes the RunPod key from $RUNPOD_API_KEY and never shows it", async () => {
    const dir = await tempDir();
    const result = await credentialsCheck(dir, runpod(), { RUNPOD_API_KEY: runpodKey, ...agent });
    expect(result.status).toBe("ok");
    expect(result.message).toContain("RunPod API key from $RUNPOD_API_KEY");
    expect(JSON.stringify(result)).not.toContain(runpodKey);
    expect(JSON.stringify(result)).not.toContain(runpodKey.slice(4, 20));
  });

  it("takes the RunPod key from ~/.runpod/config.toml and never shows it", async () => {
    const dir = await tempDir();
    await writeFiles(join(dir, "home"), {
      ".runpod/config.toml": `[default]\napi_key = "${runpodKey}"\n`,
    });
    const result = await credentialsCheck(dir, runpod(), agent);
    expect(result.status).toBe("ok");
    expect(result.message).toContain(join(dir, "home", ".runpod", "config.toml"));
    expect(JSON.stringify(result)).not.toContain(runpodKey);
  });

  it("fails without a RunPod key, with the setup fix", async () => {
    const dir = await tempDir();
    await writeFiles(join(dir, "home"), { ".runpod/config.toml": "[default]\n" });
    const result = await credentialsCheck(dir, runpod(), agent);
    expect(result.status).toBe("fail");
    expect(result.message).toContain("no RunPod API key");
    expect(result.fix).toContain("https://www.runpod.io/console/user/settings");
    expect(result.fix).toContain("RUNPOD_API_KEY");
  });

  it("fails on an SSH key that others can read", async () => {
    const dir = await tempDir();
    const key = join(dir, "id_test");
    await writeFile(
      key,
      "-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----\n",
    );
    await chmod(key, 0o644);
    const result = await credentialsCheck(dir, ssh(key));
    expect(result.status).toBe("fail");
    expect(result.message).toContain("mode 644");
    expect(result.fix).toBe(`chmod 600 ${key}`);
  });

  it("fails on an SSH key that does not exist", async () => {
    const dir = await tempDir();
    const key = join(dir, "absent_key");
    const result = await credentialsCheck(dir, ssh(key));
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`SSH key ${key} not found`);
  });

  it("fails without any SSH key or agent, and uses the agent when one runs", async () => {
    const dir = await tempDir();
    const none = await credentialsCheck(dir, runpod(), { RUNPOD_API_KEY: runpodKey });
    expect(none.status).toBe("fail");
    expect(none.message).toContain("no SSH key");
    expect(none.fix).toContain("ssh-keygen -t ed25519");

    const withAgent = await credentialsCheck(dir, runpod(), {
      RUNPOD_API_KEY: runpodKey,
      ...agent,
    });
    expect(withAgent.status).toBe("ok");
    expect(withAgent.message).toContain("SSH key from the agent");
  });

  describe.skipIf(!hasSshKeygen)("with keys from ssh-keygen", () => {
    it("accepts a private key with mode 600", async () => {
      const dir = await tempDir();
      const key = await sshKeygen(join(dir, "id_ed25519"));
      const result = await credentialsCheck(dir, ssh(key));
      expect(result.status).toBe("ok");
      expect(result.message).toBe(`SSH key ${key} (mode 600)`);
    });

    it("finds ~/.ssh/id_ed25519 when no key is configured", async () => {
      const dir = await tempDir();
      const key = await sshKeygen(join(dir, "home", ".ssh", "id_ed25519"));
      const result = await credentialsCheck(dir, runpod(), { RUNPOD_API_KEY: runpodKey });
      expect(result.status).toBe("ok");
      expect(result.message).toContain(`SSH key ${key}`);
    });

    it("rejects the .pub half given as the key", async () => {
      const dir = await tempDir();
      const key = await sshKeygen(join(dir, "id_ed25519"));
      await chmod(`${key}.pub`, 0o600);
      const result = await credentialsCheck(dir, ssh(`${key}.pub`));
      expect(result.status).toBe("fail");
      expect(result.message).toBe(`${key}.pub is not a private key`);
      expect(result.fix).toContain("not the .pub file");
    });

    it("warns about a passphrase-protected key without an agent, accepts it with one", async () => {
      const dir = await tempDir();
      const key = await sshKeygen(join(dir, "id_locked"), "secretphrase");
      const alone = await credentialsCheck(dir, ssh(key));
      expect(alone.status).toBe("warn");
      expect(alone.message).toContain("passphrase-protected and no agent runs");
      expect(alone.fix).toBe(`eval "$(ssh-agent)" && ssh-add ${key}`);

      const withAgent = await credentialsCheck(dir, ssh(key), agent);
      expect(withAgent.status).toBe("ok");
      expect(withAgent.message).toContain("passphrase-protected; the agent is used");
    });
  });

  describe("W&B", () => {
    const wandb = (mode: "online" | "offline" = "online"): Partial<ConfigInput> => ({
      monitoring: { report_to: "wandb", wandb_mode: mode },
    });

    it("fails online without a key", async () => {
      const dir = await tempDir();
      const result = await credentialsCheck(dir, wandb());
      expect(result.status).toBe("fail");
      expect(result.message).toBe("report_to is wandb but no W&B key");
      expect(result.fix).toContain("WANDB_API_KEY");
    });

    it("takes the key from $WANDB_API_KEY", async () => {
      const dir = await tempDir();
      const key = "0123456789abcdef0123456789abcdef01234567";
      const result = await credentialsCheck(dir, wandb(), { WANDB_API_KEY: key });
      expect(result).toMatchObject({ status: "ok", message: "W&B key from $WANDB_API_KEY" });
      expect(JSON.stringify(result)).not.toContain(key);
    });

    it("takes the key from ~/.netrc", async () => {
      const dir = await tempDir();
      await writeFiles(join(dir, "home"), {
        ".netrc":
          "machine example.com login a password b\nmachine api.wandb.ai\n  login user\n  password 0123\n",
      });
      const result = await credentialsCheck(dir, wandb());
      expect(result).toMatchObject({ status: "ok", message: "W&B key from ~/.netrc" });
    });

    it("needs no account offline", async () => {
      const dir = await tempDir();
      const result = await credentialsCheck(dir, wandb("offline"));
      expect(result).toMatchObject({ status: "ok", message: "W&B offline: no account needed" });
    });
  });

  it("lets the worst finding decide and reports them all", async () => {
    const dir = await tempDir();
    const extra = { ...runpod(), monitoring: { report_to: "wandb" as const } };
    const result = await credentialsCheck(dir, extra, { WANDB_API_KEY: "k".repeat(40), ...agent });
    expect(result.status).toBe("fail");
    expect(result.message).toBe(
      "no RunPod API key; SSH key from the agent ($SSH_AUTH_SOCK); W&B key from $WANDB_API_KEY",
    );
    expect(result.fix).toContain("RUNPOD_API_KEY");
  });
});

describe("gpu memory", () => {
  it.each([
    ["NVIDIA GeForce RTX 4090", 24],
    ["NVIDIA H100 80GB HBM3", 80],
    ["NVIDIA H200", 141],
    ["NVIDIA A100 80GB PCIe", 80],
    ["Some Future GPU 96GB", 96],
    ["Other Card 48 gb", 48],
  ])("knows %s has %i GB", (type, gb) => {
    expect(gpuMemoryGb(type)).toBe(gb);
  });

  it("does not guess an unknown type", () => {
    expect(gpuMemoryGb("NVIDIA Mystery")).toBeUndefined();
  });
});

describe("trainer", () => {
  it("is skipped, not failed, when the trainer's Python is not here", async () => {
    const dir = await tempDir();
    const env = { WL_TRAINER_PYTHON: join(dir, "no-such-python") };
    const findings = await checkWithTrainer(context(dir, input(dir), { env }));
    expect(findings.report).toBeUndefined();
    expect(findings.checks).toHaveLength(1);
    expect(findings.checks[0]).toMatchObject({ name: "trainer", status: "skip" });
    expect(findings.checks[0]?.fix).toContain("WL_TRAINER_PYTHON");
  });

  const python = findTrainerPython();

  it("is skipped when the run folder cannot be written", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "afile"), "");
    const runDir = join(dir, "afile", "run");
    // Any existing file passes for the trainer's Python here: the write fails before it runs.
    const env = { WL_TRAINER_PYTHON: process.execPath };
    const findings = await checkWithTrainer(context(dir, input(dir), { env, runDir }));
    expect(findings.checks).toHaveLength(1);
    expect(findings.checks[0]).toMatchObject({ name: "trainer", status: "skip" });
    expect(findings.checks[0]?.message).toContain("ENOTDIR");
  });

  describe.skipIf(!python)("with the real trainer", () => {
    // Built once; afterEach removes only the folders made by tempDir().
    let modelRoot = "";
    let model = "";
    beforeAll(async () => {
      modelRoot = await mkdtemp(join(tmpdir(), "wl-preflight-model-"));
      model = join(modelRoot, "tiny-llama");
      await runTrainer(python ?? "", ["tiny-model", "--arch", "llama", model]);
    });
    afterAll(() => rm(modelRoot, { recursive: true, force: true }));

    /** A config on the real tiny Llama test model. */
    async function trainerContext(
      extra: Partial<ConfigInput> = {},
      records?: unknown[],
      data: Partial<ConfigInput["data"]> = {},
    ) {
      const dir = await tempDir();
      const rows = records ?? [
        chatRecord("a", "b"),
        chatRecord("hello there", "hi, how can I help?"),
      ];
      const train = await writeJsonl(join(dir, "train.jsonl"), rows);
      const env = {
        WL_TRAINER_PYTHON: python,
        HF_HUB_OFFLINE: "1",
        HF_HUB_CACHE: join(dir, "hub"),
        WL_CACHE_DIR: join(dir, "cache"),
      };
      return context(
        dir,
        { model: { base: model }, data: { train, ...data }, training: { device: "cpu" }, ...extra },
        { env },
      );
    }

    it("reports the accelerator, the memory estimate and the tokens of a local run", async () => {
      const findings = await checkWithTrainer(await trainerContext());
      expect(findings.checks.map((check) => check.name)).toEqual([
        "accelerator",
        "memory",
        "monitoring",
        "tokens",
      ]);
      expect(findings.report?.schema).toBe("wl.check/1");
      expect(findings.report?.accelerator.kind).toBe("cpu");
      expect(findings.report?.estimate?.total_gb).toBeGreaterThan(0);
      const tokens = findings.checks.find((check) => check.name === "tokens");
      expect(tokens?.status).toBe("ok");
      expect(tokens?.message).toMatch(
        /^2 samples: p50 \d+, p95 \d+, max \d+ tokens; [\d.]+% trained$/,
      );
    });

    it("warns about samples longer than max_seq_length, saying what happens to them", async () => {
      const findings = await checkWithTrainer(
        await trainerContext({}, undefined, { max_seq_length: 16 }),
      );
      const tokens = findings.checks.find((check) => check.name === "tokens");
      expect(tokens?.status).toBe("warn");
      expect(tokens?.message).toContain("2 longer than max_seq_length 16 will be dropped");
      expect(tokens?.fix).toContain("raise data.max_seq_length");
    });

    it("fails, naming the sample, when a sample has nothing to train on", async () => {
      const noAssistant = { messages: [{ role: "user", content: "hello" }] };
      const findings = await checkWithTrainer(
        await trainerContext({}, [chatRecord("a", "b"), noAssistant]),
      );
      const tokens = findings.checks.find((check) => check.name === "tokens");
      expect(tokens?.status).toBe("fail");
      expect(tokens?.message).toContain("train.jsonl:2");
    });

    it("skips the tokens when the model is a hub id that is not cached here", async () => {
      const findings = await checkWithTrainer(
        await trainerContext({ model: { base: "org/not-cached" } }),
      );
      const tokens = findings.checks.find((check) => check.name === "tokens");
      expect(tokens).toMatchObject({ status: "skip" });
      expect(tokens?.message).toContain("org/not-cached");
    });

    const gpus = (...types: string[]): Partial<ConfigInput> => ({
      compute: { backend: "runpod", runpod: { gpu_types: types } },
    });

    it.each([
      // A type of unknown memory may fit: it never counts as too small.
      ["ok when every known GPU type fits", ["NVIDIA Mystery", "Test GPU 9999GB"], "ok"],
      ["warn when some are too small", ["Test GPU 0GB", "Test GPU 9999GB"], "warn"],
      ["fail when none fits", ["Test GPU 0GB"], "fail"],
    ])("compares a remote run's estimate with its GPU types: %s", async (_, types, status) => {
      const findings = await checkWithTrainer(await trainerContext(gpus(...types)));
      expect(findings.checks.map((check) => check.name)).toEqual(["memory", "tokens"]);
      const [memory] = findings.checks;
      expect(memory).toMatchObject({ name: "memory", status });
      expect(memory?.data?.estimate_gb).toBe(findings.report?.estimate?.total_gb);
      if (status === "warn") expect(memory?.message).toContain("too much for Test GPU 0GB");
      if (status !== "ok") expect(memory?.fix).toContain("gradient_checkpointing");
    });
  });
});
