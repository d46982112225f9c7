// Reconnect with backoff: retry connection-level failures (refused, timeout, dropped, a transfer
// that came back incomplete) with exponential backoff until a deadline; never a command's failure.
import { setTimeout as sleep } from "node:timers/promises";
import { type ConnectOptions, connect } from "./connect.ts";
import type { SshConnection } from "./connection.ts";
import { isRetryable } from "./errors.ts";
import type { SshTarget } from "./target.ts";

/** When to give up and how long to wait in between. */
export interface RetryOptions {
  /** Attempts at most, the first included; default 5. */
  attempts?: number;
  /** No new attempt starts after this many ms from the first; default 120 000. */
  deadlineMs?: number;
  /** First wait; default 500 ms, doubling each time up to maxDelayMs (default 15 000). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Which errors to retry; default isRetryable (connection-level WlErrors). */
  retryOn?: (error: unknown) => boolean;
  /** Told before each wait, e.g. to print a warning. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** The wait before attempt `attempt + 1`: exponential, capped, with up to 20% jitter. */
export function backoffDelay(
  attempt: number,
  options: RetryOptions = {},
  random = Math.random,
): number {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 15_000;
  const base = Math.min(max, initial * 2 ** (attempt - 1));
  return Math.round(base * (1 + 0.2 * random()));
}

/** Runs `fn` until it succeeds, a non-retryable error comes, attempts run out, or the deadline passes. */
export async function retrying<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  const retryOn = options.retryOn ?? isRetryable;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn(attempt);
    } catch (error) {
      const delay = backoffDelay(attempt, options);
      const outOfTime = Date.now() + delay >= deadline;
      if (!retryOn(error) || attempt >= attempts || outOfTime) throw error;
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

/**
 * Connects, runs `fn`, and always ends the connection; a connection-level failure in either
 * reconnects and runs `fn` again, so `fn` must be safe to repeat (the transfers are).
 */
export async function withConnection<T>(
  target: SshTarget,
  options: ConnectOptions & { retry?: RetryOptions },
  fn: (connection: SshConnection) => Promise<T>,
): Promise<T> {
  const { retry, ...connectOptions } = options;
  return retrying(async () => {
    const connection = await connect(target, connectOptions);
    try {
      return await fn(connection);
    } finally {
      connection.end();
    }
  }, retry);
}
