import { defineConfig } from "vitest/config";

// The tests start real sshd processes and push over loopback on 2 shared cores.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
