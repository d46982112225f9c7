// One open SSH connection: the ssh2 client, where it goes, whether it is still up, and a limit on
// open channels that stays under sshd's MaxSessions (10 by default).
import type { Client } from "ssh2";
import type { SshTarget } from "./target.ts";

/** An authenticated connection; `end()` it in `finally` (withConnection does). */
export class SshConnection {
  readonly client: Client;
  readonly target: SshTarget;
  #closed = false;
  #open = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #maxChannels: number;
  readonly #closeListeners = new Set<() => void>();

  constructor(client: Client, target: SshTarget, maxChannels: number) {
    this.client = client;
    this.target = target;
    this.#maxChannels = maxChannels;
    client.on("close", () => {
      this.#closed = true;
      for (const listener of this.#closeListeners) listener();
    });
  }

  /** True once the connection has gone away. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Calls `listener` when the connection closes; returns a function that stops listening. */
  onClose(listener: () => void): () => void {
    if (this.#closed) {
      queueMicrotask(listener);
      return () => {};
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Waits for a free channel slot; the returned function gives it back. */
  async acquireChannel(): Promise<() => void> {
    if (this.#open >= this.#maxChannels) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#open += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open -= 1;
      this.#waiting.shift()?.();
    };
  }

  /** Closes the connection (safe to call twice). */
  end(): void {
    this.client.end();
  }
}
