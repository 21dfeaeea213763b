// Retention (ADR 038) on the real database and both queue backends: each
// shop's pruning deletes, per table, the rows older than its periods and
// keeps the newer ones and every row of another shop; the nightly sweep
// cleans finished jobs of every queue and enqueues one pruning job per shop,
// which the maintenance worker runs.
import { setTimeout as sleep } from "node:timers/promises";
import { Worker, type Job } from "bullmq";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { pruneShop, sweepRetention } from "../../app/privacy/retention.server";
import { createWorker } from "../../app/queues/backend.server";
import { cleanFinishedJobs, RETENTION_SHOP } from "../../app/queues/maintenance.server";
import { QUEUE } from "../../app/queues/names";
import { QueueRegistry } from "../../app/queues/registry.server";
import { buildProcessors } from "../../app/workers/processors";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { snapshotRow } from "../helpers/snapshots";

const NOW = new Date("2026-12-01T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const A = "retention-a.myshopify.com";
const B = "retention-b.myshopify.com";

/** Shop A with explicit periods; shop B with the defaults (history 730, activity 90, compliance 730 days). */
async function shops() {
  const a = await prisma.shop.create({
    data: {
      domain: A,
      timezone: "UTC",
      settings: {
        insights: { retentionDays: 100 },
        retention: { historyDays: 120, activityDays: 30, complianceDays: 400 },
      },
    },
  });
  const b = await prisma.shop.create({ data: { domain: B, timezone: "UTC" } });
  return { a, b };
}

beforeEach(async () => {
  await prisma.segmentTransition.deleteMany({});
  await prisma.segmentSnapshot.deleteMany({});
  await prisma.jobRun.deleteMany({});
  await prisma.webhookEvent.deleteMany({});
  await prisma.dataRequest.deleteMany({});
  await prisma.shop.deleteMany({});
});

async function transitionAges(shopId: string): Promise<number[]> {
  const rows = await prisma.segmentTransition.findMany({ where: { shopId }, orderBy: { at: "desc" } });
  return rows.map((r) => Math.round((NOW.getTime() - r.at.getTime()) / 86_400_000));
}

describe("retention of each shop's history and runs", () => {
  it("retention: segment history older than the period is gone, newer stays, another shop's is untouched", async () => {
    const { a, b } = await shops();
    for (const shop of [a, b]) {
      await prisma.segmentTransition.createMany({
        data: [10, 119, 121, 500, 800].map((age, i) => ({
          shopId: shop.id,
          customerId: BigInt(i + 1),
          segment: "rfm/champions",
          change: "entered",
          at: daysAgo(age),
        })),
      });
    }
    // Batches of 2: the deletes run as several short statements and still take every old row.
    const pruned = await pruneShop(prisma, A, { now: NOW, batch: 2 });
    expect(pruned).toMatchObject({ transitions: 3 });
    expect(await transitionAges(a.id)).toEqual([10, 119]);
    // B keeps its default 730 days: only the 800-day-old row goes, and only when B is pruned.
    expect(await transitionAges(b.id)).toEqual([10, 119, 121, 500, 800]);
    await pruneShop(prisma, B, { now: NOW });
    expect(await transitionAges(b.id)).toEqual([10, 119, 121, 500]);
  });

  it("retention: the segment history is kept as long as the insights need it, whatever is stored", async () => {
    const shop = await prisma.shop.create({
      data: {
        domain: A,
        timezone: "UTC",
        // Stored before the rule (the settings page refuses this pair): the insights' 400 days win.
        settings: { insights: { retentionDays: 400 }, retention: { historyDays: 90 } },
      },
    });
    await prisma.segmentTransition.createMany({
      data: [100, 399, 402].map((age, i) => ({
        shopId: shop.id,
        customerId: BigInt(i + 1),
        segment: "loyalty/loyal",
        change: "left",
        at: daysAgo(age),
      })),
    });
    await pruneShop(prisma, A, { now: NOW });
    expect(await transitionAges(shop.id)).toEqual([100, 399]);
  });

  it("retention: job runs older than the period are gone but the latest of each kind, newer stay", async () => {
    const { a, b } = await shops();
    for (const shop of [a, b]) {
      await prisma.jobRun.createMany({
        data: [
          // The only backfill, 200 days old: the latest of its kind, kept.
          { shopId: shop.id, kind: "backfill", status: "completed", startedAt: daysAgo(200), finishedAt: daysAgo(200) },
          { shopId: shop.id, kind: "recompute", status: "failed", startedAt: daysAgo(60), finishedAt: daysAgo(60) },
          { shopId: shop.id, kind: "recompute", status: "completed", startedAt: daysAgo(40), finishedAt: daysAgo(40) },
          // Started before the period, finished within it: kept.
          { shopId: shop.id, kind: "recompute", status: "completed", startedAt: daysAgo(31), finishedAt: daysAgo(29) },
          { shopId: shop.id, kind: "recompute", status: "completed", startedAt: daysAgo(2), finishedAt: daysAgo(2) },
        ],
      });
    }
    const slice = await prisma.jobRun.findFirstOrThrow({ where: { shopId: a.id, startedAt: daysAgo(60) } });
    await prisma.recomputeSlice.create({
      data: { runId: slice.id, readAt: daysAgo(60), index: 0, features: Buffer.from([1]) },
    });

    expect(await pruneShop(prisma, A, { now: NOW })).toMatchObject({ runs: 2 });
    const left = await prisma.jobRun.findMany({ where: { shopId: a.id }, orderBy: { startedAt: "asc" } });
    expect(left.map((r) => [r.kind, Math.round((NOW.getTime() - r.startedAt.getTime()) / 86_400_000)])).toEqual([
      ["backfill", 200],
      ["recompute", 31],
      ["recompute", 2],
    ]);
    expect(await prisma.recomputeSlice.count({ where: { runId: slice.id } })).toBe(0);
    expect(await prisma.jobRun.count({ where: { shopId: b.id } })).toBe(5);
  });
});

describe("retention of each shop's records", () => {
  it("retention: webhook deliveries older than the period are gone, compliance requests kept for theirs", async () => {
    await shops();
    const delivery = (shopDomain: string, eventId: string, topic: string, age: number) => ({
      shopDomain,
      eventId,
      topic,
      receivedAt: daysAgo(age),
      status: "processed",
    });
    await prisma.webhookEvent.createMany({
      data: [A, B, "never-installed.myshopify.com"].flatMap((shop) => [
        delivery(shop, `${shop}-1`, "orders/create", 5),
        delivery(shop, `${shop}-2`, "orders/updated", 31),
        delivery(shop, `${shop}-3`, "customers/data_request", 100),
        delivery(shop, `${shop}-4`, "customers/redact", 399),
        delivery(shop, `${shop}-5`, "shop/redact", 401),
        delivery(shop, `${shop}-6`, "orders/paid", 95),
      ]),
    });
    expect(await pruneShop(prisma, A, { now: NOW })).toMatchObject({ webhookEvents: 2, complianceEvents: 1 });
    const left = async (shopDomain: string) =>
      (await prisma.webhookEvent.findMany({ where: { shopDomain }, orderBy: { receivedAt: "desc" } })).map(
        (e) => e.topic,
      );
    expect(await left(A)).toEqual(["orders/create", "customers/data_request", "customers/redact"]);
    expect(await left(B)).toHaveLength(6);
    // The sweep prunes deliveries of shops the app has no row of, after the default activity period (90 days).
    const registry = new QueueRegistry(testQueueBackends()[0]);
    try {
      const sweep = await sweepRetention({ db: prisma, queues: registry }, { now: NOW });
      expect(sweep.orphanEvents).toBe(4);
      expect(await left("never-installed.myshopify.com")).toEqual(["orders/create", "orders/updated"]);
      expect(await left(B)).toHaveLength(6);
    } finally {
      await registry.get(QUEUE.maintenance).obliterate({ force: true });
      await registry.close();
    }
  });

  it("retention: data requests older than the compliance period are gone, newer stay, another shop's untouched", async () => {
    await shops();
    for (const [shopDomain, ages] of [
      [A, [10, 399, 401, 800]],
      [B, [10, 401, 729, 731]],
    ] as const) {
      await prisma.dataRequest.createMany({
        data: ages.map((age, i) => ({
          shopDomain,
          customerId: BigInt(i + 1),
          requestedAt: daysAgo(age),
          record: { segments: [] },
        })),
      });
    }
    expect(await pruneShop(prisma, A, { now: NOW })).toMatchObject({ dataRequests: 2 });
    expect(await pruneShop(prisma, B, { now: NOW })).toMatchObject({ dataRequests: 1 });
    const ages = async (shopDomain: string) =>
      (await prisma.dataRequest.findMany({ where: { shopDomain }, orderBy: { requestedAt: "desc" } })).map((r) =>
        Math.round((NOW.getTime() - r.requestedAt.getTime()) / 86_400_000),
      );
    expect(await ages(A)).toEqual([10, 399]);
    expect(await ages(B)).toEqual([10, 401, 729]);
  });

  it("retention: snapshots older than the insights retention are gone (an uninstalled shop's too)", async () => {
    const { a, b } = await shops();
    await prisma.shop.update({ where: { id: a.id }, data: { status: "uninstalled" } });
    for (const shop of [a, b]) {
      await prisma.segmentSnapshot.createMany({
        data: ["2026-08-22", "2026-08-23", "2026-11-30"].map((day) =>
          snapshotRow(shop.id, day, "rfm/champions", { size: 10 }),
        ),
      });
    }
    // A keeps 100 days of snapshots: 2026-08-24 .. 2026-12-01.
    expect(await pruneShop(prisma, A, { now: NOW })).toMatchObject({ snapshots: 2 });
    const days = async (shopId: string) =>
      (await prisma.segmentSnapshot.findMany({ where: { shopId }, orderBy: { day: "asc" } })).map((r) =>
        r.day.toISOString().slice(0, 10),
      );
    expect(await days(a.id)).toEqual(["2026-11-30"]);
    expect(await days(b.id)).toEqual(["2026-08-22", "2026-08-23", "2026-11-30"]);
  });

  it("retention: a shop the app has no row of is skipped", async () => {
    expect(await pruneShop(prisma, "gone.myshopify.com", { now: NOW })).toEqual({ skipped: "no such shop" });
  });
});

for (const backend of testQueueBackends()) {
  describe(`retention of finished jobs (${backend.kind})`, () => {
    const registry = new QueueRegistry(backend);
    afterAll(async () => {
      for (const name of [QUEUE.webhooks, QUEUE.maintenance]) await registry.get(name).obliterate({ force: true });
      await registry.close();
    });

    it("retention: finished jobs older than their age are cleaned from every queue, newer ones stay", async () => {
      const queue = registry.get(QUEUE.webhooks);
      // Kept on completion and on failure (as webhook jobs are on failure): only the sweep removes them.
      const keep = { removeOnComplete: false, removeOnFail: false, attempts: 1 };
      await queue.add("ok", { n: 1 }, { ...keep, jobId: "ret-ok" });
      await queue.add("bad", { n: 2 }, { ...keep, jobId: "ret-bad" });
      const worker: Worker = createWorker(backend, QUEUE.webhooks, async (job: Job) => {
        if (job.name === "bad") throw new Error("fails for good");
        return "done";
      });
      try {
        for (let i = 0; i < 200 && (await queue.getJobCounts("completed", "failed")).failed < 1; i++) await sleep(50);
        for (let i = 0; i < 200 && (await queue.getJobCounts("completed")).completed < 1; i++) await sleep(50);
      } finally {
        await worker.close();
      }
      expect(await queue.getJobCounts("completed", "failed")).toEqual({ completed: 1, failed: 1 });
      // Finished now: younger than a day (completed) and 14 days (failed), so they stay.
      await cleanFinishedJobs(registry);
      expect(await queue.getJobCounts("completed", "failed")).toEqual({ completed: 1, failed: 1 });
      // With ages of 0 s they are older than their age, and go.
      await sleep(20);
      const cleaned = await cleanFinishedJobs(registry, { completed: 0, failed: 0 });
      expect(cleaned[QUEUE.webhooks]).toEqual({ completed: 1, failed: 1 });
      expect(await queue.getJobCounts("completed", "failed")).toEqual({ completed: 0, failed: 0 });
    });

    it("retention: the sweep enqueues one pruning job per shop, which the maintenance worker runs", async () => {
      const { a, b } = await shops();
      await prisma.segmentTransition.createMany({
        data: [a, b].map((shop) => ({
          shopId: shop.id,
          customerId: 1n,
          segment: "rfm/champions",
          change: "entered",
          at: new Date(Date.now() - 800 * 86_400_000),
        })),
      });
      const sweep = await sweepRetention({ db: prisma, queues: registry });
      expect(sweep.shops).toBe(2);
      const maintenance = registry.get(QUEUE.maintenance);
      const waiting = await maintenance.getJobs(["waiting"]);
      expect(waiting.map((j) => [j.name, j.data.shop]).sort()).toEqual([
        [RETENTION_SHOP, A],
        [RETENTION_SHOP, B],
      ]);
      const processors = buildProcessors({
        db: prisma,
        queues: registry,
        adminApi: () => Promise.reject(new Error("no Admin API in retention")),
      });
      const worker = createWorker(backend, QUEUE.maintenance, processors[QUEUE.maintenance]!);
      try {
        for (let i = 0; i < 200 && (await maintenance.getJobCounts("completed")).completed < 2; i++) await sleep(50);
      } finally {
        await worker.close();
      }
      expect(await maintenance.getJobCounts("completed", "failed")).toEqual({ completed: 2, failed: 0 });
      expect(await prisma.segmentTransition.count()).toBe(0);
    });
  });
}

afterAll(async () => {
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});
