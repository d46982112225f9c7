// Typed errors: what went wrong, what to do next, and which exit code it maps to.
import { ExitCode, type ExitCodeValue } from "./exit-codes.ts";

/** An error a user can act on: a message, a fix, a stable code and an exit code. */
export class WlError extends Error {
  readonly code: string;
  readonly fix: string;
  readonly exitCode: ExitCodeValue;

  constructor(
    code: string,
    message: string,
    fix: string,
    options: { exitCode?: ExitCodeValue; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "WlError";
    this.code = code;
    this.fix = fix;
    this.exitCode = options.exitCode ?? ExitCode.error;
  }
}

/** Turns anything thrown into a WlError; unknown errors keep their message and become exit 1. */
export function toWlError(error: unknown): WlError {
  if (error instanceof WlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WlError("internal", message, "run again with --debug and report the stack trace", {
    cause: error,
  });
}
