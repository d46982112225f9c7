// wl-preflight's step: every check that spends nothing, each ok / warn / fail with a fix.
// Any fail → the document is marked failed with exit code 3, so nothing downstream spends money.
import { homedir } from "node:os";
import {
  type CheckResult,
  dataFilesOf,
  ExitCode,
  markFailed,
  type Reporter,
  type RunDoc,
  WlError,
} from "@wl/core";
import type { Check, CheckContext } from "./checks/check.ts";
import { checkCredentials } from "./checks/credentials.ts";
import { checkData } from "./checks/data.ts";
import { checkDisk } from "./checks/disk.ts";
import { checkModel } from "./checks/model.ts";
import { checkOutputDir } from "./checks/output-dir.ts";
import { checkSettings } from "./checks/settings.ts";
import { checkWithTrainer } from "./checks/trainer.ts";

/** The checks that need only this machine, in the order they are reported. */
export const LOCAL_CHECKS: readonly Check[] = [
  checkSettings,
  checkData,
  checkOutputDir,
  checkDisk,
  checkModel,
  checkCredentials,
];

/** Options for one preflight. */
export interface PreflightOptions {
  report: Reporter;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Runs every check on the document's config and records them in `preflight`. */
export async function preflight(doc: RunDoc, options: PreflightOptions): Promise<RunDoc> {
  const { report } = options;
  if (!doc.config)
    throw new WlError(
      "preflight.no_config",
      "the run document has no config",
      "start the pipe with wl-preflight --config FILE",
    );
  const context: CheckContext = {
    config: doc.config.resolved,
    configPath: doc.config.path,
    dataFiles: dataFilesOf(doc, doc.config.resolved),
    runDir: doc.paths.run_dir,
    env: options.env ?? process.env,
    home: options.home ?? homedir(),
  };
  const checks: CheckResult[] = [];
  const record = (check: CheckResult) => {
    checks.push(check);
    announce(report, check);
  };
  record({ name: "config", status: "ok", message: `config valid: ${doc.config.path}` });
  for (const check of LOCAL_CHECKS) record(await check(context));
  const trainer = await checkWithTrainer(context);
  for (const check of trainer.checks) record(check);

  const failed = checks.filter((check) => check.status === "fail");
  const counts = countByStatus(checks);
  const section = {
    ok: failed.length === 0,
    checks,
    ...(trainer.report ? { environment: environmentOf(trainer.report) } : {}),
    ...(trainer.report?.estimate ? { estimate: trainer.report.estimate } : {}),
  };
  const next = { ...doc, preflight: section };
  if (failed.length === 0) {
    report.success(`preflight passed: ${describeCounts(counts)}`, {
      event: "preflight.done",
      data: { ok: true, counts },
    });
    return next;
  }
  const names = failed.map((check) => check.name).join(", ");
  const message = `preflight failed: ${names} (${describeCounts(counts)})`;
  const fix = failed[0]?.fix ?? "see the checks above";
  report.error(message, { event: "preflight.done", fix, data: { ok: false, counts } });
  return markFailed(
    next,
    "wl-preflight",
    new WlError("preflight.failed", message, fix, { exitCode: ExitCode.preflightFailed }),
  );
}

function announce(report: Reporter, check: CheckResult): void {
  const options = {
    event: "check.result",
    data: { ...check.data, name: check.name, status: check.status },
    ...(check.fix ? { fix: check.fix } : {}),
  };
  if (check.status === "ok") report.success(check.message, options);
  else if (check.status === "warn") report.warning(check.message, options);
  else if (check.status === "fail") report.error(check.message, options);
  else report.info(`skipped: ${check.message}`, options);
}

function countByStatus(checks: readonly CheckResult[]): Record<string, number> {
  const counts: Record<string, number> = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) counts[check.status] = (counts[check.status] ?? 0) + 1;
  return counts;
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(", ");
}

function environmentOf(report: Record<string, unknown>): Record<string, unknown> {
  const { checks: _checks, estimate: _estimate, ...environment } = report;
  return environment;
}
