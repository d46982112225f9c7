// Numbers for people: durations (ETA, elapsed), money and the status of a training at a glance.
import type { TrainStatus } from "./trainer-files.ts";

/** 45s, 12m 03s, 2h 05m, 3d 04h. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/** $0.41, $12.30; sub-cent amounts keep three decimals ($0.004). */
export function formatUsd(usd: number): string {
  return usd > 0 && usd < 0.01 ? `$${usd.toFixed(3)}` : `$${usd.toFixed(2)}`;
}

/** The cost so far, the rate and, while running with an ETA, the projected total. */
export function formatCost(status: TrainStatus, running: boolean): string {
  const rate = status.cost_per_hour;
  if (rate === null || rate === undefined) return "unknown: no hourly rate (budget.cost_per_hour)";
  const spent = status.cost_usd ?? 0;
  const parts = [`${formatUsd(spent)} at ${formatUsd(rate)}/h`];
  if (running && status.eta_s !== null && status.eta_s !== undefined) {
    parts.push(`≈${formatUsd(spent + (rate * status.eta_s) / 3600)} at the end`);
  }
  return parts.join(", ");
}

/** Step progress: 120/500 (24%), or 120 when the total is not known yet. */
export function formatSteps(status: TrainStatus): string {
  const step = status.step ?? 0;
  const total = status.total_steps;
  if (!total) return String(step);
  return `${step}/${total} (${Math.floor((100 * step) / total)}%)`;
}

/** A loss with four significant digits; — when there is none yet. */
export function formatLoss(loss: number | null | undefined): string {
  return loss === null || loss === undefined ? "—" : loss.toPrecision(4);
}

/** What `wl-train status` prints: one `label  value` line per fact. */
export function formatStatus(
  status: TrainStatus,
  facts: {
    alive: boolean;
    aliveBy: string;
    heartbeatAgeS?: number;
    runDir: string;
    attach?: string;
  },
): string {
  const rows: Array<[string, string]> = [
    ["run", facts.runDir],
    ["stage", `${status.stage} (${facts.alive ? "alive" : "not running"}: ${facts.aliveBy})`],
    ["step", formatSteps(status)],
    [
      "loss",
      `${formatLoss(status.loss)}${status.eval_loss === null || status.eval_loss === undefined ? "" : ` (eval ${formatLoss(status.eval_loss)})`}`,
    ],
  ];
  if (status.tokens_per_s) rows.push(["speed", `${Math.round(status.tokens_per_s)} tokens/s`]);
  const eta =
    facts.alive && status.eta_s !== null && status.eta_s !== undefined
      ? formatDuration(status.eta_s)
      : facts.alive
        ? "not measurable yet"
        : "—";
  rows.push(["elapsed", formatDuration(status.elapsed_s ?? 0)], ["ETA", eta]);
  rows.push(["cost", formatCost(status, facts.alive)]);
  if (status.memory_gb) rows.push(["memory", `${status.memory_gb.toFixed(1)} GB`]);
  if (status.exit_code !== null && status.exit_code !== undefined) {
    rows.push(["exit code", String(status.exit_code)]);
  }
  if (facts.heartbeatAgeS !== undefined) {
    rows.push(["updated", `${formatDuration(facts.heartbeatAgeS)} ago`]);
  }
  if (status.message) rows.push(["message", status.message]);
  if (facts.alive && facts.attach) rows.push(["attach", facts.attach]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n");
}
