import { defineConfig } from "vitest/config";

// Generous limits: the end-to-end tests (*.e2e.test.ts) build a tiny model and run the real
// trainer in real tmux sessions, on 2 shared cores.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
});
