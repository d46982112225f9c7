// A minimal valid run document for tests.
import type { RunDoc } from "../src/index.ts";

export const sampleDoc = (overrides: Partial<RunDoc> = {}): RunDoc => ({
  schema: "wl.run/1",
  run_id: "2026-11-23-120000-abcdef",
  created_at: "2026-11-23T12:00:00.000Z",
  status: "ok",
  paths: { run_dir: "/tmp/runs/2026-11-23-120000-abcdef" },
  steps: [],
  ...overrides,
});
