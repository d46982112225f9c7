// Is the trainer alive? Real processes: one whose command line looks like a trainer's, one that
// has ended, and this test process (alive, but not a trainer: a reused pid must not count).
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aliveFromStatus, HEARTBEAT_STALE_S, heartbeatAgeS } from "../src/alive.ts";
import type { TrainStatus } from "../src/trainer-files.ts";
import { deadPid, trainerLikeProcess } from "./fixtures.ts";

let trainer: ReturnType<typeof trainerLikeProcess>;
let dead: number;
beforeAll(async () => {
  trainer = trainerLikeProcess();
  dead = await deadPid();
});
afterAll(() => trainer.stop());

const NOW = Date.parse("2026-11-23T12:00:00.000Z");
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const status = (fields: Partial<TrainStatus>): TrainStatus => ({
  schema: "wl.train-status/1",
  stage: "training",
  host: hostname(),
  heartbeat: ago(5),
  ...fields,
});

describe("alive on this host: from the pid", () => {
  it("a live trainer process is alive, whatever its heartbeat says", async () => {
    expect(
      await aliveFromStatus(status({ pid: trainer.pid, heartbeat: ago(3600) }), { now: NOW }),
    ).toBe(true);
  });

  it("an ended process is not, even with a fresh heartbeat and stage training", async () => {
    expect(await aliveFromStatus(status({ pid: dead }), { now: NOW })).toBe(false);
  });

  it("a live process that is not a trainer (a reused pid) is not", async () => {
    expect(await aliveFromStatus(status({ pid: process.pid }), { now: NOW })).toBe(false);
  });

  it("a status with an exit code has ended, even if the pid lives on", async () => {
    expect(await aliveFromStatus(status({ pid: trainer.pid, exit_code: 0 }), { now: NOW })).toBe(
      false,
    );
  });
});

describe("alive on another host: from the heartbeat", () => {
  const remote = (heartbeat: string | null) =>
    status({ host: "gpu-host-1", pid: trainer.pid, heartbeat });

  it(`alive while the heartbeat is at most ${HEARTBEAT_STALE_S} s old`, async () => {
    expect(await aliveFromStatus(remote(ago(10)), { now: NOW })).toBe(true);
    expect(await aliveFromStatus(remote(ago(HEARTBEAT_STALE_S)), { now: NOW })).toBe(true);
  });

  it("not alive with a stale heartbeat or none", async () => {
    expect(await aliveFromStatus(remote(ago(HEARTBEAT_STALE_S + 1)), { now: NOW })).toBe(false);
    expect(await aliveFromStatus(remote(null), { now: NOW })).toBe(false);
  });

  it("measures the heartbeat's age in seconds", () => {
    expect(heartbeatAgeS(remote(ago(42)), NOW)).toBe(42);
    expect(heartbeatAgeS(remote("not a date"), NOW)).toBeUndefined();
  });
});
