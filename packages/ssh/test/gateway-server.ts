// An SSH gateway in-process (ssh2's Server), for what a real sshd will not do: drop stdout, cut a
// stream short, or insist on a PTY that echoes input and turns \n into \r\n. Commands really run
// (`sh -c` on this machine); only what travels back is altered, as `behaviour` says.
import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { Server, type ServerChannel, utils } from "ssh2";

/** How the gateway mangles exec number `n` (1-based) on each connection. */
export interface Behaviour {
  /** Send nothing from the command's stdout (RunPod's gateway, some of the time). */
  dropStdout?: (n: number) => boolean;
  /** Pass this many bytes of stdout at most, then close as if all went well. */
  truncateAt?: (n: number) => number | undefined;
  /** Refuse exec without a PTY; with one, echo stdin and write \r\n line ends. */
  ptyOnly?: boolean;
}

/** A running gateway: its port, and how many execs it has served. */
export interface Gateway {
  port: number;
  execs: number;
  close(): Promise<void>;
}

/** Starts a gateway on 127.0.0.1 that accepts any public key for any user. */
export async function startGateway(behaviour: Behaviour): Promise<Gateway> {
  const hostKey = utils.generateKeyPairSync("ed25519").private;
  const state = { execs: 0 };
  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    client.on("authentication", (ctx) =>
      ctx.method === "publickey" ? ctx.accept() : ctx.reject(["publickey"]),
    );
    client.on("error", () => {});
    client.on("ready", () => {
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        let pty = false;
        session.on("pty", (accept) => {
          pty = true;
          accept?.();
        });
        session.on("exec", (accept, _reject, info) => {
          state.execs += 1;
          run(accept(), info.command, pty, state.execs, behaviour);
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get execs() {
      return state.execs;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function run(
  channel: ServerChannel,
  command: string,
  pty: boolean,
  n: number,
  behaviour: Behaviour,
): void {
  if (behaviour.ptyOnly && !pty) {
    channel.stderr.write("Error: Your SSH client doesn't support PTY\r\n");
    channel.exit(1);
    channel.end();
    return;
  }
  const crlf = (data: Buffer) =>
    pty ? Buffer.from(data.toString("latin1").replace(/\n/g, "\r\n"), "latin1") : data;
  const child = spawn("sh", ["-c", command], { stdio: ["pipe", "pipe", "pipe"] });
  channel.on("data", (data: Buffer) => {
    if (pty) channel.write(crlf(data)); // the terminal's echo
    child.stdin.write(data);
  });
  channel.on("end", () => child.stdin.end());
  child.stdin.on("error", () => {});
  const limit = behaviour.truncateAt?.(n);
  let sent = 0;
  child.stdout.on("data", (data: Buffer) => {
    if (behaviour.dropStdout?.(n)) return;
    if (limit !== undefined) {
      const room = Math.max(0, limit - sent);
      data = data.subarray(0, room);
    }
    sent += data.length;
    if (data.length) channel.write(crlf(data));
  });
  child.stderr.on("data", (data: Buffer) => channel.stderr.write(data));
  child.on("close", (code) => {
    channel.exit(limit !== undefined ? 0 : (code ?? 1));
    channel.end();
  });
}
