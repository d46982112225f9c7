// The training config: the single source of truth. The trainer validates against the JSON Schema
// generated from this file (scripts/generate-schemas.ts), so TypeScript and Python never drift.
// Keep every rule expressible in JSON Schema: cross-field rules belong to wl-preflight's checks.
import { z } from "zod";

const positiveInt = z.int().min(1);
const path = z.string().min(1);

/** Which model to adapt and how to load it. */
export const modelSchema = z
  .strictObject({
    base: z.string().min(1).describe("Hugging Face hub id (org/name) or a local model directory"),
    revision: z.string().min(1).optional().describe("Hub revision (branch, tag or commit)"),
    dtype: z
      .enum(["auto", "bf16", "fp16", "fp32"])
      .default("auto")
      .describe("Weight dtype; auto picks bf16 where the device supports it, else fp16 or fp32"),
    quantization: z
      .enum(["none", "4bit"])
      .default("none")
      .describe("4bit loads the base in NF4 through bitsandbytes (QLoRA; CUDA only)"),
    attn_implementation: z.enum(["auto", "sdpa", "flash_attention_2", "eager"]).default("auto"),
    trust_remote_code: z.boolean().default(false),
  })
  .describe("The base model");

/** Where the training data lives and how it becomes token sequences. */
export const dataSchema = z
  .strictObject({
    train: path.describe("JSONL file of training records"),
    val: path.optional().describe("JSONL file of validation records"),
    format: z.enum(["auto", "chat", "alpaca", "sharegpt"]).default("auto"),
    max_seq_length: z.int().min(16).default(2048),
    packing: z.boolean().default(true).describe("Pack several samples into each sequence"),
    overlong: z
      .enum(["drop", "truncate"])
      .default("drop")
      .describe("What to do with samples longer than max_seq_length (always counted)"),
    system_prompt: z
      .string()
      .optional()
      .describe(
        "System message for records without one (a record's own wins); {name} comes from system_vars, {date} is today unless system_vars sets it",
      ),
    system_vars: z
      .record(z.string(), z.string())
      .default({})
      .describe("Values for the {placeholders} in system_prompt"),
  })
  .describe("Training data");

/** The LoRA adapter's shape. */
export const loraSchema = z
  .strictObject({
    r: positiveInt.default(16),
    alpha: z.number().positive().default(32),
    dropout: z.number().min(0).lt(1).default(0.05),
    target_modules: z
      .union([z.literal("all-linear"), z.array(z.string().min(1)).min(1)])
      .default("all-linear"),
    bias: z.enum(["none", "all", "lora_only"]).default("none"),
    use_rslora: z.boolean().default(false),
  })
  .prefault({})
  .describe("LoRA adapter");

/** The optimisation loop. */
export const trainingSchema = z
  .strictObject({
    device: z.enum(["auto", "cuda", "mps", "cpu"]).default("auto"),
    epochs: z.number().positive().default(3),
    max_steps: positiveInt.optional().describe("Stop after this many optimizer steps"),
    micro_batch_size: positiveInt.default(4),
    gradient_accumulation_steps: positiveInt.default(4),
    learning_rate: z.number().positive().default(2e-4),
    lr_scheduler: z.enum(["cosine", "linear", "constant"]).default("cosine"),
    warmup_ratio: z.number().min(0).lt(1).default(0.03),
    weight_decay: z.number().min(0).default(0),
    max_grad_norm: z.number().positive().default(1),
    gradient_checkpointing: z.boolean().default(false),
    seed: z.int().min(0).default(42),
    eval_every: positiveInt.optional().describe("Evaluate on data.val every N steps"),
    early_stopping_patience: positiveInt.optional(),
  })
  .prefault({})
  .describe("Training loop");

/** When checkpoints are written, which are kept, and whether a run resumes. */
export const checkpointsSchema = z
  .strictObject({
    save_every: positiveInt.default(500),
    keep_last: positiveInt.default(2),
    keep_best: z.int().min(0).default(1),
    resume: z.enum(["auto", "never"]).default("auto"),
  })
  .prefault({})
  .describe("Checkpoints");

/** Where progress and notifications go. */
export const monitoringSchema = z
  .strictObject({
    report_to: z.enum(["none", "tensorboard", "wandb", "mlflow"]).default("none"),
    log_every: positiveInt.default(10),
    wandb_project: z.string().min(1).optional(),
    wandb_mode: z.enum(["online", "offline"]).default("online"),
    webhook_url: z
      .string()
      .regex(/^https?:\/\/[^\s/]+\S*$/, "must be an http(s) URL")
      .optional()
      .describe("Receives resume, crash-loop and completion notifications"),
  })
  .prefault({})
  .describe("Monitoring");

/** Spending caps; reaching one saves a checkpoint and exits 4. */
export const budgetSchema = z
  .strictObject({
    max_usd: z.number().positive().optional(),
    max_hours: z.number().positive().optional(),
    cost_per_hour: z
      .number()
      .min(0)
      .optional()
      .describe("Hourly rate when the compute does not report one (RunPod does)"),
  })
  .prefault({})
  .describe("Budget");

/** An SSH host that runs the trainer. */
export const sshHostSchema = z.strictObject({
  host: z.string().min(1),
  port: z.int().min(1).max(65535).default(22),
  user: z.string().min(1).default("root"),
  key: path.optional().describe("Private key file; without it the SSH agent is used"),
});

/** How RunPod pods are requested, in fallback order. */
export const runpodSchema = z.strictObject({
  gpu_types: z
    .array(z.string().min(1))
    .min(1)
    .default(["NVIDIA GeForce RTX 5090", "NVIDIA GeForce RTX 4090"]),
  cloud_types: z
    .array(z.enum(["COMMUNITY", "SECURE"]))
    .min(1)
    .default(["COMMUNITY", "SECURE"]),
  spot: z.boolean().default(false),
  bid_per_gpu: z.number().positive().optional(),
  gpu_count: positiveInt.default(1),
  image: z.string().min(1).default("runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04"),
  template_id: z.string().min(1).optional(),
  container_disk_gb: positiveInt.default(50),
  volume_gb: z.int().min(0).default(0),
  network_volume_id: z.string().min(1).optional(),
  ssh_key: path.optional().describe("Private key whose public half is in your RunPod account"),
});

/** Where the trainer runs. */
export const computeSchema = z
  .strictObject({
    backend: z.enum(["local", "ssh", "runpod"]).default("local"),
    min_free_disk_gb: z
      .number()
      .min(0)
      .default(20)
      .describe("Free disk needed for the model cache and checkpoints"),
    ssh: sshHostSchema.optional(),
    runpod: runpodSchema.optional(),
  })
  .prefault({})
  .describe("Compute");

/** What the adapter becomes at the end. */
export const exportSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    quantizations: z
      .array(z.enum(["f16", "bf16", "q8_0", "q4_k_m"]))
      .default(["f16", "q8_0", "q4_k_m"]),
    adapter_gguf: z.boolean().default(true),
    ollama_model: z.string().min(1).optional(),
    system: z.string().optional().describe("SYSTEM line of the Ollama Modelfile"),
    verify: z.boolean().default(true),
  })
  .prefault({})
  .describe("Export");

/** Where runs are written and how their folders are named. */
export const outputSchema = z
  .strictObject({
    runs_dir: path.default("runs"),
    run_name: z
      .string()
      .regex(/\{hash\}/, "must contain {hash} so two runs never share a folder")
      .default("{date}-{time}-{hash}")
      .describe("Run folder name; {date} {time} {hash} and {name} are replaced"),
  })
  .prefault({})
  .describe("Output");

/** A whole wl job. */
export const configSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe("A name for this job, used in run names"),
    model: modelSchema,
    data: dataSchema,
    lora: loraSchema,
    training: trainingSchema,
    checkpoints: checkpointsSchema,
    monitoring: monitoringSchema,
    budget: budgetSchema,
    compute: computeSchema,
    export: exportSchema,
    output: outputSchema,
  })
  .describe("wl training config");

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
