import { defineConfig } from "vitest/config";

// Generous limits: hooks build tiny models and tests start the Python trainer, on 2 shared cores.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
});
