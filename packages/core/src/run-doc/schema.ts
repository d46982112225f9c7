// The run document (wl.run/1): the one JSON object that flows through a pipe of wl tools.
// Each tool adds its section; docs/run-document.md is generated from these descriptions.
import { z } from "zod";
import { configSchema } from "../config/schema.ts";

export const RUN_SCHEMA = "wl.run/1";

const timestamp = z.iso.datetime().describe("ISO-8601 UTC time");
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** The outcome of one check, as wl-preflight and the trainer's `check` report it. */
export const checkResultSchema = z.strictObject({
  name: z.string().describe("Check id: config, data, disk, output_dir, model, credentials, …"),
  status: z.enum(["ok", "warn", "fail", "skip"]),
  message: z.string(),
  fix: z.string().optional().describe("What to do about a warn or fail"),
  data: z.record(z.string(), z.unknown()).optional().describe("Measured facts behind the verdict"),
});

export const errorSchema = z
  .strictObject({
    step: z.string().describe("The tool that failed, e.g. wl-preflight"),
    code: z.string().describe("Stable error code, e.g. config.invalid"),
    message: z.string(),
    fix: z.string(),
    exit_code: z.int().describe("The exit code of the failing tool; pass-through tools repeat it"),
  })
  .describe("Why the run failed; present when status is failed");

export const stepSchema = z.strictObject({
  tool: z.string(),
  status: z.enum(["ok", "failed", "skipped"]),
  started_at: timestamp,
  finished_at: timestamp,
  exit_code: z.int(),
});

const configSectionSchema = z
  .strictObject({
    path: z.string().describe("Absolute path of the config file"),
    sha256: sha256.describe("sha256 of the file as read"),
    overrides: z.array(z.string()).describe("--set overrides applied, in order"),
    resolved: configSchema.describe("The validated config with defaults and absolute paths"),
    resolved_sha256: sha256.describe("sha256 of the resolved config as canonical JSON"),
  })
  .describe("The config this run uses");

const pathsSchema = z
  .looseObject({
    run_dir: z.string().describe("runs/<run-id>/, holding run.json"),
    adapter_dir: z.string().optional(),
    summary: z.string().optional(),
  })
  .describe("Where this run's files are");

const preflightSchema = z
  .strictObject({
    ok: z.boolean().describe("False when any check failed"),
    checks: z.array(checkResultSchema),
    environment: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The trainer's `check` report (Python, packages, accelerator), when it ran"),
    estimate: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The trainer's memory estimate for this config, when it ran"),
  })
  .describe("Written by wl-preflight");

const dataFormat = z.enum(["chat", "alpaca", "sharegpt"]);
const count = z.int().min(0);

/** Something per split: the training set, and the validation set when there is one. */
const perSplit = <T extends z.ZodType>(item: T) =>
  z.strictObject({ train: item, val: item.optional() });

const dataSectionSchema = z
  .looseObject({
    train: z
      .string()
      .min(1)
      .describe("The chat JSONL file to train on (read before config data.train)"),
    val: z.string().min(1).optional().describe("The chat JSONL file to validate on; absent: none"),
    sources: perSplit(z.string().min(1)).describe(
      "What the user gave: a data file, or the builder command of wl-data build",
    ),
    format: perSplit(dataFormat).describe("Format detected in (or forced for) each source"),
    samples_used: count.describe("Training records kept: the records of data.train"),
    records: perSplit(count).describe("Records in each file to train or validate on"),
    sha256: perSplit(sha256).describe("sha256 of each file to train or validate on"),
    dropped: z
      .strictObject({
        count: count.describe("Records set aside, over all splits; 0 when none"),
        reasons: z.record(z.string(), count).describe("How many were set aside for each reason"),
        quarantine_file: z
          .string()
          .optional()
          .describe("JSONL of the set-aside records: {file, line, reason, detail, record}"),
      })
      .describe("Records that did not go on, and why: nothing disappears silently"),
  })
  .describe("Written by wl-data");

/** How wl-train started the trainer and how it ended (docs/training.md has the run folder). */
const trainSectionSchema = z
  .strictObject({
    backend: z.enum(["local", "ssh", "runpod"]).describe("Where the trainer ran"),
    host_run_dir: z
      .string()
      .min(1)
      .describe("The trainer's run folder (--out) on the host: status.json, train.log, adapter/"),
    launcher: z
      .enum(["tmux", "setsid"])
      .optional()
      .describe(
        "tmux: a detached tmux session; setsid: a detached process (no tmux); absent: a trainer wl-train found running but did not start",
      ),
    session: z
      .string()
      .min(1)
      .optional()
      .describe("The tmux session (wl-<run-id>); attach with tmux attach -t SESSION"),
    pid: z.int().min(1).optional().describe("The trainer's process id on the host"),
    started_at: timestamp.describe("When this start (or re-attach) happened"),
    stage: z
      .string()
      .min(1)
      .describe(
        "started (launched, not followed), or status.json's last stage: training, done, failed, interrupted, budget, crash_loop, …",
      ),
    exit_code: z.int().optional().describe("The trainer's exit code; absent while it runs"),
    success: z.boolean().optional().describe("True when the trainer exited 0 with an adapter"),
    steps: count.optional().describe("Optimizer steps done"),
    total_steps: count.optional().describe("Optimizer steps planned"),
    resumes: count.optional().describe("Times training resumed from a checkpoint"),
    final_loss: z.number().optional().describe("The last training loss"),
    adapter_dir: z.string().min(1).optional().describe("The PEFT adapter, when training succeeded"),
    report: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The trainer's report.json (wl.train-report/1), when it wrote one"),
  })
  .describe("Written by wl-train");

/** What wl-push put on the SSH host and how the host proved it (packages/wl-push/README.md). */
const pushSectionSchema = z
  .strictObject({
    host: z
      .strictObject({
        host: z.string().min(1),
        port: z.int().min(1).max(65535),
        user: z.string().min(1),
        mode: z.enum(["direct", "gateway"]).describe("direct: sftp; gateway: exec only (base64)"),
      })
      .describe("The host pushed to: pod.ssh of the document, else compute.ssh of the config"),
    remote_dir: z.string().min(1).describe("The run folder on the host (absolute)"),
    config: z.string().min(1).describe("The resolved config on the host (config.json)"),
    trainer_dir: z
      .string()
      .min(1)
      .describe(
        "The unpacked trainer on the host: wl_trainer/, requirements*.txt, constraints.txt",
      ),
    files: z
      .array(
        z.strictObject({
          path: z.string().min(1).describe("The file here"),
          remote_path: z.string().min(1).describe("The file on the host"),
          bytes: count,
          sha256,
          action: z
            .enum(["uploaded", "skipped"])
            .describe("skipped: the host already had it with this sha256"),
        }),
      )
      .describe("Every file pushed: the data, config.json and the trainer's tarball"),
    bytes_uploaded: count.describe("Bytes sent in this push; 0 when nothing changed"),
    verification: z
      .strictObject({
        ok: z.boolean().describe("True when every file's sha256 on the host matched"),
        proof_path: z
          .string()
          .min(1)
          .describe("upload.ok on the host: each file's path, bytes and sha256, written last"),
        trainer_files: count.describe("Unpacked trainer files checked by sha256 on the host"),
      })
      .describe("The host's own sha256 of every file, checked after the upload"),
  })
  .describe("Written by wl-push");

/** Sections of later steps: their owners extend them; unknown fields are kept. */
const laterSection = (owner: string, fields: z.ZodRawShape) =>
  z.looseObject(fields).optional().describe(`Written by ${owner}`);

export const runDocSchema = z
  .strictObject({
    schema: z.literal(RUN_SCHEMA),
    run_id: z.string().min(1).describe("Date + time + short hash, unique per run"),
    created_at: timestamp,
    status: z.enum(["ok", "failed"]),
    error: errorSchema.optional(),
    config: configSectionSchema.optional().describe("Absent only when the config failed to load"),
    paths: pathsSchema,
    steps: z.array(stepSchema).describe("Each tool that handled the document, in order"),
    preflight: preflightSchema.optional(),
    data: dataSectionSchema.optional(),
    pod: laterSection("wl-pod create", {
      id: z.string().optional(),
      name: z.string().optional(),
      gpu_type: z.string().optional(),
      cloud_type: z.string().optional(),
      spot: z.boolean().optional(),
      cost_per_hr: z.number().optional(),
    }),
    push: pushSectionSchema.optional(),
    train: trainSectionSchema.optional(),
    pull: laterSection("wl-pull", { adapter_dir: z.string().optional() }),
    export: laterSection("wl-export", {
      gguf: z.unknown().optional(),
      modelfile: z.string().optional(),
    }),
    teardown: laterSection("wl-pod terminate", { terminated: z.boolean().optional() }),
  })
  .describe("wl run document");

export type RunDoc = z.infer<typeof runDocSchema>;
export type CheckResult = z.infer<typeof checkResultSchema>;
export type RunError = z.infer<typeof errorSchema>;
