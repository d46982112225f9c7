// exec(): one command on the host, without a PTY unless asked, both streams drained, the exit code
// taken when the channel closes. Secrets never go in `command` (it shows in `ps` on the host):
// pass them on `stdin`.
import type { Readable } from "node:stream";
import { WlError } from "@wl/core";
import type { ClientChannel } from "ssh2";
import type { SshConnection } from "./connection.ts";
import { connectionLost } from "./errors.ts";

/** Options for one command. */
export interface ExecOptions {
  /** Bytes for the command's stdin (then EOF); the place for secrets. */
  stdin?: string | Buffer | Readable;
  /** Ask for a PTY (some gateways insist); output then has CRLF line ends. */
  pty?: boolean;
  /** Close the channel and fail after this long. */
  timeoutMs?: number;
}

/** How a command ended. `exitCode` is null when the host sent none (a signal): that is a failure. */
export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** A channel opened for a command, its output still to be read (the transfers stream it). */
export interface OpenedChannel {
  channel: ClientChannel;
  /** Settles when the channel closes: the exit code or signal, or a WlError. */
  done: Promise<{ exitCode: number | null; signal: string | null }>;
}

/** True when the command ran and exited 0. */
export function succeeded(result: Pick<ExecResult, "exitCode">): boolean {
  return result.exitCode === 0;
}

/** Runs `command` and collects its stdout, stderr and exit code. */
export async function exec(
  connection: SshConnection,
  command: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const { channel, done } = await openChannel(connection, command, options);
  channel.on("data", (chunk: Buffer) => stdout.push(chunk));
  channel.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  writeStdin(channel, options);
  const { exitCode, signal } = await done;
  return {
    exitCode,
    signal,
    stdout: Buffer.concat(stdout).toString("utf8"),
    stderr: Buffer.concat(stderr).toString("utf8"),
  };
}

/** Like exec, but a non-zero or missing exit code is a WlError that quotes stderr's last line. */
export async function execOk(
  connection: SshConnection,
  command: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  const result = await exec(connection, command, options);
  if (succeeded(result)) return result;
  const how =
    result.exitCode === null
      ? `was ended by ${result.signal ?? "no exit code"}`
      : `exited ${result.exitCode}`;
  const last = result.stderr.trim().split("\n").at(-1) ?? "";
  throw new WlError(
    "ssh_command_failed",
    `command on ${connection.target.host} ${how}${last ? `: ${last}` : ""}`,
    "read the host's message above; run the step again with --debug for the full output",
  );
}

/** Opens a channel for `command`; `done` waits for its close and maps a lost connection or timeout. */
export async function openChannel(
  connection: SshConnection,
  command: string,
  options: Pick<ExecOptions, "pty" | "timeoutMs"> = {},
): Promise<OpenedChannel> {
  if (connection.closed) throw connectionLost(connection.target, "a command");
  const release = await connection.acquireChannel();
  let channel: ClientChannel;
  try {
    channel = await new Promise<ClientChannel>((resolve, reject) => {
      const execOptions = options.pty ? { pty: { term: "dumb", rows: 24, cols: 200 } } : {};
      connection.client.exec(command, execOptions, (error, opened) =>
        error ? reject(error) : resolve(opened),
      );
    });
  } catch (error) {
    release();
    if (connection.closed || (error as Error).message === "Not connected") {
      throw connectionLost(connection.target, "a command");
    }
    throw new WlError(
      "ssh_channel_refused",
      `${connection.target.host} refused to run a command: ${(error as Error).message}`,
      "check that the host allows exec (a gateway may need pty mode)",
      { cause: error },
    );
  }
  const done = new Promise<{ exitCode: number | null; signal: string | null }>(
    (resolve, reject) => {
      let exitCode: number | null = null;
      let signal: string | null = null;
      let settled = false;
      const stopListening = connection.onClose(() => channel.emit("close"));
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopListening();
        release();
        outcome();
      };
      // On timeout: signal the command (OpenSSH 7.9+ passes it on), close the channel, and fail now;
      // sshd may hold the channel until the command's children let go of its pipes.
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              settle(() =>
                reject(
                  new WlError(
                    "ssh_command_timeout",
                    `command on ${connection.target.host} did not finish in ${options.timeoutMs} ms`,
                    "raise the timeout, or check what the command waits for",
                  ),
                ),
              );
              channel.signal("KILL");
              channel.close();
            }, options.timeoutMs);
      channel.on("exit", (code: number | null, signalName?: string) => {
        exitCode = code ?? null;
        signal = signalName ?? null;
      });
      channel.once("close", () => {
        if (exitCode === null && signal === null && connection.closed) {
          settle(() => reject(connectionLost(connection.target, "a command")));
        } else {
          settle(() => resolve({ exitCode, signal }));
        }
      });
    },
  );
  // A rejection is read by whoever awaits `done`; this keeps an early one from being "unhandled".
  done.catch(() => {});
  return { channel, done };
}

/** Writes `options.stdin` and then EOF; with a PTY and no stdin, sends nothing at all. */
export function writeStdin(
  channel: ClientChannel,
  options: Pick<ExecOptions, "stdin" | "pty">,
): void {
  const { stdin } = options;
  if (stdin === undefined) {
    if (!options.pty) channel.end();
    return;
  }
  if (typeof stdin === "string" || Buffer.isBuffer(stdin)) {
    channel.end(stdin);
    return;
  }
  stdin.pipe(channel);
}
