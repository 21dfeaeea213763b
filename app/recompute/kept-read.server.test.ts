import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { shopConfigFrom, type ShopConfig } from "../settings/shop-config";
import {
  findFeatureRead,
  forgetFeatureRead,
  keepFeatureRead,
  KEPT_READ_LOCK,
  startLoggingFeatureChanges,
} from "../stores/feature-reads.server";
import { loadShopCutoffs } from "../stores/memberships.server";
import { dropRecomputeSlices, readRecomputeSlice, replaceRecomputeSlice } from "../stores/runs.server";
import { chunkSlice, processChunk } from "./chunk.server";
import { fitShopStep, type ChunkPlan } from "./fit.server";
import { readShopFeaturesInSnapshot } from "./kept-read.server";

// A recompute keeps its read of the orders (its slices and the snapshot it
// read in, whose logged changes it consumed, ADR 064) for the next recompute
// of the shop, which fits from it while the shop's orders and live customers
// are unchanged (ADR 051).
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
const SHOP = "kept-read-shop";
const AS_OF = new Date("2026-06-30T12:00:00Z");
const DAY = 86_400_000;
let config: ShopConfig;
let runs = 0;

async function loadConfig() {
  config = shopConfigFrom((await client.query(`SELECT * FROM "Shop" WHERE id = $1`, [SHOP])).rows[0]);
}

/** A whole recompute as the jobs run it: the fit step, then every chunk from the plan's slices. */
async function recompute(asOf = AS_OF) {
  const runId = `kept-read-run-${++runs}`;
  let plan: ChunkPlan | undefined;
  const fit = await fitShopStep(client, config, asOf, {
    chunkSize: 120,
    runId,
    readThreads: 1,
    handOver: {
      async planned(p) {
        plan = p;
      },
      async ready() {},
    },
  });
  const model = await loadShopCutoffs(client, SHOP);
  let written = 0;
  let ordersRead = 0;
  for (let index = 0; index < plan!.ranges.length; index++) {
    const result = await processChunk(client, {
      config,
      cutoffs: model!.cutoffs,
      asOf,
      range: plan!.ranges[index],
      recordTransitions: !plan!.firstRun,
      slice: chunkSlice(runId, index, plan!.readAt, plan!.slices),
    });
    written += result.rowsWritten;
    ordersRead += result.orders;
  }
  await dropRecomputeSlices(client, runId);
  return { fit, plan: plan!, runId, written, ordersRead, cutoffs: model!.cutoffs };
}

/** The shop's logged changes, not consumed yet. */
async function loggedChanges(): Promise<number> {
  return (await client.query(`SELECT count(*)::int AS n FROM "FeatureChange" WHERE "shopId" = $1`, [SHOP])).rows[0].n;
}

async function memberships(): Promise<string> {
  const { rows } = await client.query(
    `SELECT "customerId"::text, segments, "sinceDay", "rfmScores" FROM "SegmentMembership" WHERE "shopId" = $1 ORDER BY "customerId"`,
    [SHOP],
  );
  return JSON.stringify(rows);
}

beforeAll(async () => {
  await client.connect();
  await client.query(`SELECT setseed(0.61)`);
  await client.query(
    `INSERT INTO "Shop" (id, domain, timezone, currency, settings, "updatedAt")
     VALUES ($1, 'kept-read.myshopify.com', 'Europe/Berlin', 'EUR', '{}', now())`,
    [SHOP],
  );
  await loadConfig();
  await client.query(
    `INSERT INTO "Customer" ("shopId", id, "appTags", "tagCount", "updatedAt")
     SELECT $1, 9000000000 + g, '{}', 0, now() FROM generate_series(1, 600) g`,
    [SHOP],
  );
  await client.query(
    `INSERT INTO "Order" ("shopId", id, "customerId", "processedAt", "shopifyUpdatedAt", currency,
       "totalMinor", "subtotalMinor", "discountMinor", "discountCodes", "itemQuantity", "lineCount", "syncedAt")
     SELECT $1, 90000000000 + g, CASE WHEN g % 40 = 0 THEN NULL ELSE 9000000001 + floor(600 * power(random(), 1.5))::bigint END,
       t, t, 'EUR', total, total, CASE WHEN g % 5 = 0 THEN 400 ELSE 0 END, '{}', 1 + g % 3, 1 + g % 2, now()
     FROM (SELECT g, timestamptz '2026-06-30 12:00:00+00' - random() * interval '600 days' AS t,
             500 + floor(random() * 15000)::int AS total FROM generate_series(1, 2500) g) s`,
    [SHOP],
  );
});
beforeEach(async () => {
  // Each case starts from a fresh read kept by a first recompute.
  await forgetFeatureRead(client, SHOP);
  await recompute();
});
afterAll(async () => {
  await client.end();
});

describe("the kept read of a shop's orders", () => {
  it("fits from the kept slices while nothing changed, and computes what a fresh read computes", async () => {
    const kept = await findFeatureRead(client, SHOP);
    expect(kept).toMatchObject({ timeZone: "Europe/Berlin", customers: 600 });
    // A day later (new cut-offs, rows rewritten as the nightly run does), from the kept read:
    const reused = await recompute(new Date(AS_OF.getTime() + DAY));
    expect(reused.fit.readThreads).toBe(0);
    expect(reused.fit.slices).toEqual({ runId: kept!.runId, readAt: kept!.readAt });
    expect(reused.fit).toMatchObject({ customers: kept!.customers, orders: kept!.orders, ranges: kept!.ranges });
    expect(reused.ordersRead).toBe(0); // every chunk from the kept slices
    expect(reused.written).toBeGreaterThan(0);
    // The kept read stays the shop's (its slices too: the run that used them did not drop them).
    expect(await findFeatureRead(client, SHOP)).toEqual(kept);
    const fromKept = { cutoffs: reused.cutoffs, memberships: await memberships() };

    // The same day from a fresh read of the orders: the same cut-offs, nothing to write.
    await forgetFeatureRead(client, SHOP);
    const fresh = await recompute(new Date(AS_OF.getTime() + DAY));
    expect(fresh.fit.readThreads).toBe(1);
    expect(fresh.cutoffs).toEqual(fromKept.cutoffs);
    expect(fresh.written).toBe(0);
    expect(await memberships()).toBe(fromKept.memberships);
  });

  it("gives a chunk whose slice another version of the code encoded its range's orders instead (a deploy mid-run)", async () => {
    const kept = (await findFeatureRead(client, SHOP))!;
    const owner = { runId: kept.runId, readAt: kept.readAt };
    const bytes = (await readRecomputeSlice(client, owner, 1))!;
    // The header's version rewritten in place, as an older encoder wrote it.
    const older = Buffer.from(bytes.toString("latin1").replace('{"v":2,', '{"v":1,'), "latin1");
    expect(older.equals(bytes)).toBe(false);
    await replaceRecomputeSlice(client, owner, 1, older);
    const model = await loadShopCutoffs(client, SHOP);
    const result = await processChunk(client, {
      config,
      cutoffs: model!.cutoffs,
      asOf: AS_OF,
      range: kept.ranges[1],
      recordTransitions: true,
      slice: chunkSlice("another-run", 1, kept.readAt, owner),
    });
    expect(result.orders).toBeGreaterThan(0);
    expect(result.rowsWritten).toBe(0);
  });

  it("is used after the write-back records a customer's app tags (not part of the features)", async () => {
    await client.query(
      `UPDATE "Customer" SET "appTags" = '{seg-vip}', "tagCount" = 3 WHERE "shopId" = $1 AND id = 9000000005`,
      [SHOP],
    );
    expect((await recompute()).fit.readThreads).toBe(0);
  });

  it("is not used in another time zone, by another feature version, or with a slice gone", async () => {
    await client.query(`UPDATE "Shop" SET timezone = 'America/New_York' WHERE id = $1`, [SHOP]);
    await loadConfig();
    try {
      expect((await recompute()).fit.readThreads).toBe(1);
      expect((await recompute()).fit.readThreads).toBe(0);
    } finally {
      await client.query(`UPDATE "Shop" SET timezone = 'Europe/Berlin' WHERE id = $1`, [SHOP]);
      await loadConfig();
    }
    expect((await recompute()).fit.readThreads).toBe(1);

    await client.query(`UPDATE "FeatureRead" SET version = version + 1 WHERE "shopId" = $1`, [SHOP]);
    expect((await recompute()).fit.readThreads).toBe(1);

    // A database crash empties the unlogged slices; the day-old clean-up drops them.
    const kept = await findFeatureRead(client, SHOP);
    await client.query(`DELETE FROM "RecomputeSlice" WHERE "runId" = $1 AND index = 2`, [kept!.runId]);
    const after = await recompute();
    expect(after.fit.readThreads).toBe(1);
    expect(after.written).toBe(0);
  });

  it("replaces the kept read's slices with the new read's, and expires after a week unused", async () => {
    const before = await findFeatureRead(client, SHOP);
    await forgetFeatureRead(client, SHOP);
    const next = await recompute();
    const kept = await findFeatureRead(client, SHOP);
    expect(kept!.runId).toBe(next.runId);
    const { rows } = await client.query(
      `SELECT DISTINCT "runId" FROM "RecomputeSlice" WHERE "runId" LIKE 'kept-read-run-%'`,
    );
    expect(rows.map((r) => r.runId)).toEqual([next.runId]);
    expect(before!.runId).not.toBe(next.runId);

    // Slices a day old stay while they are a kept read's (patched nightly, ADR 065) …
    await client.query(
      `UPDATE "RecomputeSlice" SET "createdAt" = "createdAt" - interval '25 hours' WHERE "runId" = $1`,
      [next.runId],
    );
    await client.query(`UPDATE "FeatureRead" SET "verifiedAt" = "verifiedAt" - interval '6 days' WHERE "shopId" = $1`, [
      SHOP,
    ]);
    await dropRecomputeSlices(client, "some-other-run");
    expect(await findFeatureRead(client, SHOP)).not.toBeNull();
    // … and using the read makes it current again; a week unused, it expires with its slices.
    expect((await recompute()).fit.readThreads).toBe(0);
    const { rows: verified } = await client.query(
      `SELECT "verifiedAt" > (now() AT TIME ZONE 'UTC') - interval '1 minute' AS recent FROM "FeatureRead" WHERE "shopId" = $1`,
      [SHOP],
    );
    expect(verified[0].recent).toBe(true);
    await client.query(`UPDATE "FeatureRead" SET "verifiedAt" = "verifiedAt" - interval '8 days' WHERE "shopId" = $1`, [
      SHOP,
    ]);
    await dropRecomputeSlices(client, "some-other-run");
    expect(await findFeatureRead(client, SHOP)).toBeNull();
    const { rows: left } = await client.query(`SELECT count(*)::int AS n FROM "RecomputeSlice" WHERE "runId" = $1`, [
      next.runId,
    ]);
    expect(left[0].n).toBe(0);
  });
});

describe("the kept read patched with the customers that changed (ADR 065)", () => {
  it("is patched with the customers that changed, and then computes what a fresh read computes", async () => {
    const changes: Array<[string, { customers: number; guests: boolean }]> = [
      [
        `INSERT INTO "Order" ("shopId", id, "customerId", "processedAt", "shopifyUpdatedAt", currency, "totalMinor", "syncedAt")
           VALUES ('${SHOP}', 91000000000, 9000000007, '2026-06-29', '2026-06-29', 'EUR', 1200, now())`,
        { customers: 1, guests: false },
      ],
      [
        `UPDATE "Order" SET "totalMinor" = "totalMinor" + 1 WHERE "shopId" = '${SHOP}' AND id = 90000000011`,
        { customers: 1, guests: false },
      ],
      // The same values written again still make a new row version: read again, to be safe.
      [
        `UPDATE "Order" SET "totalMinor" = "totalMinor" WHERE "shopId" = '${SHOP}' AND id = 90000000012`,
        { customers: 1, guests: false },
      ],
      [`DELETE FROM "Order" WHERE "shopId" = '${SHOP}' AND id = 90000000013`, { customers: 1, guests: false }],
      [
        `UPDATE "Order" SET "cancelledAt" = now() WHERE "shopId" = '${SHOP}' AND id IN (90000000014, 90000000015)`,
        { customers: 2, guests: false },
      ],
      // A customer's redaction keeps the orders as a guest's.
      [
        `UPDATE "Order" SET "customerId" = NULL WHERE "shopId" = '${SHOP}' AND "customerId" = 9000000003`,
        { customers: 1, guests: true },
      ],
      [
        `UPDATE "Customer" SET "deletedAt" = now() WHERE "shopId" = '${SHOP}' AND id = 9000000004`,
        { customers: 1, guests: false },
      ],
      [
        `INSERT INTO "Customer" ("shopId", id, "appTags", "tagCount", "updatedAt") VALUES ('${SHOP}', 9000000999, '{}', 0, now())`,
        { customers: 1, guests: false },
      ],
      // Customers in three slices at once, one of them new and known from its orders alone.
      [
        `INSERT INTO "Order" ("shopId", id, "customerId", "processedAt", "shopifyUpdatedAt", currency, "totalMinor", "syncedAt")
           VALUES ('${SHOP}', 91000000001, 9000000020, '2026-06-28', '2026-06-28', 'EUR', 900, now()),
                  ('${SHOP}', 91000000002, 9000000300, '2026-06-28', '2026-06-28', 'EUR', 700, now()),
                  ('${SHOP}', 91000000003, 9000005000, '2026-06-28', '2026-06-28', 'EUR', 500, now())`,
        { customers: 3, guests: false },
      ],
    ];
    const tomorrow = new Date(AS_OF.getTime() + DAY);
    for (const [change, expected] of changes) {
      await client.query(change);
      const kept = (await findFeatureRead(client, SHOP))!;
      const patched = await recompute(tomorrow);
      expect({ change, readThreads: patched.fit.readThreads, patched: patched.fit.patched }).toMatchObject({
        change,
        readThreads: 0,
        patched: expected,
      });
      // The same read, patched in place (its slices' owner is unchanged), the log consumed.
      expect(patched.fit.slices).toEqual({ runId: kept.runId, readAt: kept.readAt });
      const afterPatch = (await findFeatureRead(client, SHOP))!;
      expect(await loggedChanges()).toBe(0);
      const fromPatch = { cutoffs: patched.cutoffs, memberships: await memberships() };

      // A fresh read of the orders the same day: the same cut-offs and memberships (nothing to write).
      await forgetFeatureRead(client, SHOP);
      const fresh = await recompute(tomorrow);
      expect(fresh.fit.readThreads).toBe(1);
      expect({ change, cutoffs: fresh.cutoffs }).toEqual({ change, cutoffs: fromPatch.cutoffs });
      expect(fresh.written).toBe(0);
      expect(await memberships()).toBe(fromPatch.memberships);
      const freshRead = (await findFeatureRead(client, SHOP))!;
      expect(afterPatch).toMatchObject({ customers: freshRead.customers, guestStats: freshRead.guestStats });
      expect(afterPatch.snapshot).not.toBe(kept.snapshot);
    }
  });

  it("reads every order again when more than a quarter of its customers changed", async () => {
    await client.query(
      `UPDATE "Order" SET "totalMinor" = "totalMinor" + 1 WHERE "shopId" = $1 AND "customerId" <= 9000000200`,
      [SHOP],
    );
    const next = await recompute();
    expect(next.fit.readThreads).toBe(1);
    expect(next.fit.patched).toBeUndefined();
    expect(await loggedChanges()).toBe(0);
    expect((await recompute()).fit.readThreads).toBe(0);
  });

  it("reads every order again and cuts the ranges again when new customers grow a slice beyond two chunks", async () => {
    const kept = (await findFeatureRead(client, SHOP))!;
    // 130 new customers (under a quarter of the shop) with ids below every other, all in the first range of 120: 250 > 2 × 120.
    await client.query(
      `INSERT INTO "Customer" ("shopId", id, "appTags", "tagCount", "updatedAt")
       SELECT $1, 8000000000 + g, '{}', 0, now() FROM generate_series(1, 130) g`,
      [SHOP],
    );
    try {
      const next = await recompute();
      expect(next.fit.readThreads).toBe(1);
      expect(next.fit.customers).toBe(kept.customers + 130);
      expect(next.fit.ranges.length).toBe(kept.ranges.length + 1);
    } finally {
      await client.query(`DELETE FROM "Customer" WHERE "shopId" = $1 AND id < 9000000000`, [SHOP]);
    }
  });

  it("waits while another connection holds the shop's kept-read lock (patches never interleave)", async () => {
    await client.query(`UPDATE "Order" SET "totalMinor" = "totalMinor" + 1 WHERE "shopId" = $1 AND id = 90000000041`, [
      SHOP,
    ]);
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [KEPT_READ_LOCK + SHOP]);
      let done = false;
      const patching = recompute().then((r) => ((done = true), r));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done).toBe(false);
      await other.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [KEPT_READ_LOCK + SHOP]);
      expect((await patching).fit.patched).toMatchObject({ customers: 1 });
    } finally {
      await other.end();
    }
  });
});

describe("the change log behind it (ADR 064)", () => {
  const logged = loggedChanges;
  /** One order's total changed by a minor unit, on the given connection. */
  const touchOrder = (id: number, on: pg.Client = client) =>
    on.query(`UPDATE "Order" SET "totalMinor" = "totalMinor" + 1 WHERE "shopId" = $1 AND id = $2`, [SHOP, id]);

  it("consumes the changes its read saw, and leaves those committed after its snapshot for the next recompute", async () => {
    // The first recompute (beforeEach) consumed everything its read saw: the shop's whole history.
    expect(await logged()).toBe(0);
    await touchOrder(90000000031);
    // Logged once per statement and customer: the order's customer.
    expect(await logged()).toBe(1);

    // A change committed on another connection after the read's snapshot, before the read is kept.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      const read = await readShopFeaturesInSnapshot(client, SHOP, config.segmentation.timeZone);
      await touchOrder(90000000032, other);
      const kept = (await findFeatureRead(client, SHOP))!;
      await keepFeatureRead(client, { ...kept, snapshot: read.snapshot });
    } finally {
      await other.end();
    }
    // The read saw the first change (consumed) but not the second (still logged): the next recompute re-reads its customer.
    expect(await logged()).toBe(1);
    expect((await recompute()).fit.patched).toEqual({ customers: 1, guests: false, slices: 1 });
    expect(await logged()).toBe(0);
    expect((await recompute()).fit.readThreads).toBe(0);
  });

  it("logs nothing before the shop's first kept read, and that read waits for writers that could not see the switch", async () => {
    await forgetFeatureRead(client, SHOP);
    await client.query(`UPDATE "Shop" SET "logsFeatureChanges" = false WHERE id = $1`, [SHOP]);
    await touchOrder(90000000034);
    // As during an install's backfill: nothing logged.
    expect(await logged()).toBe(0);

    // A writer whose statement ran before the switch, still open when it is turned on.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query("BEGIN");
      await touchOrder(90000000035, other);
      let started = false;
      const switching = startLoggingFeatureChanges(client, SHOP).then(() => (started = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(started).toBe(false);
      await other.query("COMMIT");
      await switching;
    } finally {
      await other.end();
    }
    // Its change was not logged, but a read taken now sees it; later changes are logged.
    expect(await logged()).toBe(0);
    const { rows } = await client.query(`SELECT "totalMinor" FROM "Order" WHERE "shopId" = $1 AND id = 90000000035`, [
      SHOP,
    ]);
    expect(rows).toHaveLength(1);
    await touchOrder(90000000036);
    expect(await logged()).toBe(1);
    expect((await recompute()).fit.readThreads).toBe(1);
    expect(await logged()).toBe(0);
  });

  it("consumes the changes of a read on threads too, which it does not keep", async () => {
    await touchOrder(90000000033);
    const fit = await fitShopStep(client, config, AS_OF, {
      chunkSize: 120,
      runId: "kept-read-threads",
      readThreads: 2,
    });
    await dropRecomputeSlices(client, "kept-read-threads");
    expect(fit.readThreads).toBe(2);
    expect(await findFeatureRead(client, SHOP)).toBeNull();
    expect(await logged()).toBe(0);
  });
});
