import { defineConfig } from "vitest/config";

// The tests start real sshd processes on loopback and ssh2 servers in-process; 2 shared cores.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000 },
});
