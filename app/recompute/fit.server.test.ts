import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shopConfigFrom, type ShopConfig } from "../settings/shop-config";
import { loadShopCutoffs } from "../stores/memberships.server";
import { dropRecomputeSlices } from "../stores/runs.server";
import { chunkSlice, processChunk } from "./chunk.server";
import type { CustomerRange } from "./chunk-ranges";
import { fitShopStep, type ChunkPlan } from "./fit.server";

// The fit step hands each chunk over as soon as its slice is stored (ADR 049):
// chunk jobs run while the later slices are written, and a retried fit step
// (another read, other ranges) leaves its failed attempt's chunks harmless.
describe("fitShopStep's hand-over of chunks", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  // The chunk jobs' own connection, as a worker process has.
  const worker = new pg.Client({ connectionString: process.env.DATABASE_URL });
  const SHOP = "handover-shop";
  const AS_OF = new Date("2026-06-30T12:00:00Z");
  let config: ShopConfig;

  async function addCustomers(fromId: number, count: number, orders: number) {
    await client.query(
      `INSERT INTO "Customer" ("shopId", id, "appTags", "tagCount", "updatedAt")
       SELECT $1, $2::bigint + g, '{}', 0, now() FROM generate_series(1, $3::int) g`,
      [SHOP, fromId, count],
    );
    await client.query(
      `INSERT INTO "Order" ("shopId", id, "customerId", "processedAt", "shopifyUpdatedAt", currency,
         "totalMinor", "subtotalMinor", "discountMinor", "discountCodes", "itemQuantity", "lineCount", "syncedAt")
       SELECT $1, $2::bigint * 10 + g, $2::bigint + 1 + floor($3::int * power(random(), 1.5))::bigint, t, t, 'EUR',
         total, total, CASE WHEN g % 4 = 0 THEN 300 ELSE 0 END, '{}', 1 + g % 4, 1 + g % 2, now()
       FROM (SELECT g, timestamptz '2026-06-30 12:00:00+00' - random() * interval '700 days' AS t,
               500 + floor(random() * 20000)::int AS total FROM generate_series(1, $4::int) g) s`,
      [SHOP, fromId, count, orders],
    );
  }

  /** A chunk job as the recompute enqueues it (recomputeChunk), on the worker's connection. */
  async function runChunk(plan: ChunkPlan, runId: string, index: number) {
    const model = await loadShopCutoffs(worker, SHOP);
    return processChunk(worker, {
      config,
      cutoffs: model!.cutoffs,
      asOf: AS_OF,
      range: plan.ranges[index],
      recordTransitions: !plan.firstRun,
      // A kept read's slices when the fit step used one (ADR 051), otherwise this run's.
      slice: chunkSlice(runId, index, plan.readAt, plan.slices),
    });
  }

  /** Fits, then runs every chunk: what a recompute that nothing interrupts does. */
  async function cleanRecompute(runId: string) {
    const fit = await fitShopStep(client, config, AS_OF, { chunkSize: 150, runId });
    let written = 0;
    for (let index = 0; index < fit.ranges.length; index++) written += (await runChunk(fit, runId, index)).rowsWritten;
    await dropRecomputeSlices(client, runId);
    return { fit, written };
  }

  beforeAll(async () => {
    await client.connect();
    await worker.connect();
    await client.query(`SELECT setseed(0.29)`);
    await client.query(
      `INSERT INTO "Shop" (id, domain, timezone, currency, settings, "updatedAt")
       VALUES ($1, 'handover.myshopify.com', 'Europe/Berlin', 'EUR', '{}', now())`,
      [SHOP],
    );
    config = shopConfigFrom((await client.query(`SELECT * FROM "Shop" WHERE id = $1`, [SHOP])).rows[0]);
    await addCustomers(8_000_000_000, 1_000, 4_000);
  });
  afterAll(async () => {
    await worker.end();
    await client.end();
  });

  it("hands over each chunk once the cut-offs and its slice are stored, and its job can run at once", async () => {
    const runId = "handover-run";
    const events: string[] = [];
    let plan: ChunkPlan | undefined;
    const fit = await fitShopStep(client, config, AS_OF, {
      chunkSize: 150,
      runId,
      handOver: {
        async planned(p) {
          expect(await loadShopCutoffs(worker, SHOP)).not.toBeNull();
          events.push("planned");
          plan = p;
        },
        async ready(index) {
          // The chunk job runs on its own connection while the later slices are still to be written.
          const result = await runChunk(plan!, runId, index);
          expect(result.orders).toBe(0); // from its slice, not from the orders
          events.push(`chunk ${index}: ${result.customers}`);
        },
      },
    });
    expect(fit.ranges.length).toBe(7);
    expect(plan).toMatchObject({ ranges: fit.ranges, firstRun: true, readAt: fit.readAt, customers: fit.customers });
    expect(events).toEqual([
      "planned",
      ...fit.ranges.map((_, index) => `chunk ${index}: ${index < 6 ? 150 : fit.customers - 900}`),
    ]);
    await dropRecomputeSlices(client, runId);
    // The same recompute again finds every membership as the chunks left it.
    expect((await cleanRecompute("handover-check")).written).toBe(0);
  });

  it("leaves a failed attempt's chunks harmless when the retried fit step cuts other ranges", async () => {
    const runId = "retried-run";
    const handedOver: number[] = [];
    let first: ChunkPlan | undefined;
    // The first attempt's process dies after handing over three chunks.
    await expect(
      fitShopStep(client, config, AS_OF, {
        chunkSize: 150,
        runId,
        handOver: {
          async planned(p) {
            first = p;
          },
          async ready(index) {
            if (index === 3) throw new Error("worker killed");
            handedOver.push(index);
          },
        },
      }),
    ).rejects.toThrow("worker killed");
    expect(handedOver).toEqual([0, 1, 2]);

    // New customers meanwhile, with ids below every other: each range of the retry moves.
    await addCustomers(7_000_000_000, 200, 800);
    const second = await fitShopStep(client, config, AS_OF, { chunkSize: 150, runId });
    const moved = (a: CustomerRange, b: CustomerRange) => a.from !== b.from || a.to !== b.to;
    expect(second.ranges.slice(0, 3).every((r, k) => moved(r, first!.ranges[k]))).toBe(true);
    for (let index = 0; index < second.ranges.length; index++) {
      expect((await runChunk(second, runId, index)).orders).toBe(0);
    }
    // The first attempt's chunks run last: no slice of their read, so they read their ranges' orders.
    for (const index of handedOver) {
      const result = await runChunk(first!, runId, index);
      expect(result.orders).toBeGreaterThan(0);
    }
    await dropRecomputeSlices(client, runId);

    // Every customer, the new ones too, holds what one uninterrupted recompute gives.
    expect((await cleanRecompute("retried-check")).written).toBe(0);
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM "SegmentMembership" WHERE "shopId" = $1`, [
      SHOP,
    ]);
    expect(rows[0].n).toBe(second.customers);
  });
});
