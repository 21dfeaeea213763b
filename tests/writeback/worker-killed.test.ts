import "./isolated-database";
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import prisma from "../../app/db.server";
import { QUEUE } from "../../app/queues/names";
import { enqueueShopRecompute } from "../../app/queues/segments.server";
import { QueueRegistry } from "../../app/queues/registry.server";
import { membershipRowsWithReasons } from "../../app/recompute/reasons-when-read.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { simulatedStore, startAppWorkers, waitFor } from "../helpers/sim-app";
import { backfillDirectly, mutationCount, recomputeFinished, tagMismatches } from "./helpers";

afterAll(() => cleanRedisPrefix(process.env.QUEUE_PREFIX!));

const AS_OF = new Date("2026-01-01T00:00:00Z");
// Small chunks, so the recompute is a flow of many child jobs (here and in the child process).
process.env.RECOMPUTE_CHUNK_SIZE = "60";

async function membershipSnapshot(shopId: string): Promise<string[]> {
  return (await membershipRowsWithReasons(prisma, shopId))
    .map((r) => `${r.customerId} ${r.segment} ${r.since.toISOString()} ${r.reason}`)
    .sort();
}

describe.each(testQueueBackends())("a recompute survives a worker killed midway ($kind queue backend)", (redis) => {
  it("resumes on another worker and ends in the same state as an uninterrupted run", async () => {
    const store = await simulatedStore({ domain: `killed-${redis.kind}.myshopify.com` });
    store.sim.generate(store.domain, {
      seed: 5,
      customers: 2_500,
      orders: 12_000,
      startDate: "2023-01-01",
      endDate: "2025-12-31",
      discountShare: 0.3,
      seasonality: 0.5,
    });
    await backfillDirectly(store);

    // A worker in a child process starts the recompute...
    const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/sync-worker.ts"], {
      env: {
        ...process.env,
        TEST_QUEUE_BACKEND: JSON.stringify(redis),
        TEST_QUEUES: `${QUEUE.segments},${QUEUE.writeback}`,
        SIM_URL: store.sim.url,
        SIM_ACCESS_TOKEN: store.accessToken,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // A failing test must not leave its worker running.
    onTestFinished(() => void child.kill("SIGKILL"));
    await new Promise<void>((resolve) =>
      child.stdout!.on("data", (chunk) => String(chunk).includes("ready") && resolve()),
    );
    const registry = new QueueRegistry(redis);
    const started = new Date();
    await enqueueShopRecompute(registry, { shop: store.domain, reason: "backfill", asOf: AS_OF });

    // ...and is killed hard once some chunks are done.
    await waitFor(async () => {
      const run = await prisma.jobRun.findFirst({ where: { shopId: store.shopId, kind: "recompute" } });
      return ((run?.progress as any)?.chunksDone ?? 0) >= 2;
    }, "some chunks to finish");
    child.kill("SIGKILL");
    await exited;
    const atKill = await prisma.jobRun.findFirstOrThrow({ where: { shopId: store.shopId, kind: "recompute" } });
    expect(atKill.status).toBe("running");
    const progressAtKill = atKill.progress as { chunksDone: number; chunksTotal: number };
    expect(progressAtKill.chunksDone).toBeLessThan(progressAtKill.chunksTotal);

    // A new worker picks the flow up and finishes it.
    // Looking for the dead worker's jobs every second, not every 30 s (their 4 s locks have expired by then).
    const app = startAppWorkers(redis, store, [QUEUE.segments, QUEUE.writeback], 1_000);
    try {
      const run = await recomputeFinished(store.shopId, started);
      expect(run.error).toBeNull();
      expect(await prisma.jobRun.count({ where: { shopId: store.shopId, kind: "recompute" } })).toBe(1);
      const resumed = await membershipSnapshot(store.shopId);
      expect(resumed.length).toBeGreaterThan(2_500);
      const check = await tagMismatches(store.sim, store.domain, store.shopId, "seg:");
      expect(check.mismatches).toEqual([]);

      // An uninterrupted run on the same data and date changes nothing: same memberships, no writes.
      store.sim.resetCounters();
      const again = new Date();
      await enqueueShopRecompute(registry, { shop: store.domain, reason: "manual", asOf: AS_OF });
      const second = await recomputeFinished(store.shopId, again);
      expect((second.progress as any).writeback.changedCustomers).toBe(0);
      expect(await membershipSnapshot(store.shopId)).toEqual(resumed);
      expect(await prisma.segmentTransition.count({ where: { shopId: store.shopId } })).toBe(0);
      expect(mutationCount(store.sim, store.domain)).toBe(0);
    } finally {
      await app.close();
      await registry.close();
      await store.sim.close();
    }
  }, 600_000);
});
