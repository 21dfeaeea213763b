import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeFeatureTable, fitShop, parseSettings } from "../segmentation";
import { dropRecomputeSlices, readRecomputeSlice } from "../stores/runs.server";
import { readShopFeaturesOnCores } from "./read-features-on-cores.server";
import { readShopFeatures } from "./read-features.server";

// The recompute's read on several threads (ADR 040) gives every customer the
// features one read gives (in its chunk's slice), and the same shop statistics
// and cut-offs (from the merged fit columns, ADR 044): guest
// orders, customers known only from their orders, deleted customers and
// cancelled orders included, whatever the number of threads.
describe("readShopFeaturesOnCores", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  const SHOP = "cores-shop";
  const AS_OF = new Date("2026-06-30T12:00:00Z");

  beforeAll(async () => {
    await client.connect();
    await client.query(`SELECT setseed(0.17)`);
    await client.query(
      `INSERT INTO "Shop" (id, domain, timezone, currency, settings, "updatedAt")
       VALUES ($1, 'cores.myshopify.com', 'Europe/Berlin', 'EUR', '{}', now())`,
      [SHOP],
    );
    // 3,000 customers (every 97th deleted); orders of 3,300 customer ids (the last 300
    // have no Customer row), every 11th a guest order, every 13th cancelled.
    await client.query(
      `INSERT INTO "Customer" ("shopId", id, "appTags", "tagCount", "updatedAt", "deletedAt")
       SELECT $1, 7000000000 + g, '{}', 0, now(), CASE WHEN g % 97 = 0 THEN now() END FROM generate_series(1, 3000) g`,
      [SHOP],
    );
    await client.query(
      `INSERT INTO "Order" ("shopId", id, "customerId", "processedAt", "shopifyUpdatedAt", "cancelledAt", currency,
         "totalMinor", "subtotalMinor", "discountMinor", "discountCodes", "itemQuantity", "lineCount", "productIds",
         "productTypes", "shippingMinor", "sourceName", "utmSource", "utmMedium", "syncedAt")
       SELECT $1, 5000000000 + g,
         CASE WHEN g % 11 = 0 THEN NULL ELSE 7000000000 + 1 + floor(3300 * power(random(), 1.5))::bigint END,
         t, t, CASE WHEN g % 13 = 0 THEN t END, 'EUR', total, total, 0, '{}', 1 + g % 4, 1 + g % 2,
         ARRAY[1000 + g % 50, 1000 + g % 7]::bigint[],
         ARRAY['type-' || (g % 5)], CASE WHEN g % 3 = 0 THEN 0 ELSE 499 END, 'web',
         CASE WHEN g % 5 = 0 THEN 'google' END, CASE WHEN g % 5 = 0 THEN 'cpc' END, now()
       FROM (SELECT g, timestamptz '2026-06-30 12:00:00+00' - random() * interval '900 days' AS t,
               500 + floor(random() * 20000)::int AS total FROM generate_series(1, 15000) g) s`,
      [SHOP],
    );
    await client.query(`ANALYZE "Order"`);
  });
  afterAll(() => client.end());

  it("gives the shop the statistics and cut-offs of one read", async () => {
    const one = await readShopFeatures(client, SHOP, "Europe/Berlin");
    expect(one.table.size).toBeGreaterThan(3000); // customers without a Customer row are in
    const settings = parseSettings({ timeZone: "Europe/Berlin" });
    const cutoffs = fitShop(one.table, settings, AS_OF);
    for (const threads of [2, 3]) {
      const many = await readShopFeaturesOnCores(client, SHOP, "Europe/Berlin", { threads });
      await many.chunks!.written;
      expect(many.orders).toBe(one.orders);
      // Only the columns the fit reads are merged (ADR 044); each customer's features are in the slices (below).
      const columns = many.columns!;
      expect(columns.n).toBe(one.table.size);
      expect(columns.shop).toEqual(one.table.shop);
      expect(fitShop(columns, settings, AS_OF)).toEqual(cutoffs);
    }
  });

  it("cuts each thread's part into chunks covering every id, and writes each chunk's customers as its slice", async () => {
    const one = await readShopFeatures(client, SHOP, "Europe/Berlin");
    for (const threads of [2, 3]) {
      const runId = `cores-run-${threads}`;
      const slices = { runId, readAt: new Date() };
      // A slice left by an earlier try of the same run is replaced.
      await client.query(
        `INSERT INTO "RecomputeSlice" ("runId", "readAt", index, part, features) VALUES ($1, now(), 99, 0, '\\x00')`,
        [runId],
      );
      const many = await readShopFeaturesOnCores(client, SHOP, "Europe/Berlin", {
        threads,
        chunks: { size: 700, slices },
      });
      await many.chunks!.written;
      const ranges = many.chunks!.ranges;
      expect(ranges[0].from).toBe("-9223372036854775808");
      expect(ranges.at(-1)!.to).toBe("9223372036854775807");
      for (let k = 1; k < ranges.length; k++) expect(BigInt(ranges[k].from)).toBe(BigInt(ranges[k - 1].to) + 1n);
      const { rows } = await client.query(
        `SELECT count(DISTINCT index)::int AS n FROM "RecomputeSlice" WHERE "runId" = $1`,
        [runId],
      );
      expect(rows[0].n).toBe(ranges.length);
      let customers = 0;
      for (let k = 0; k < ranges.length; k++) {
        const slice = decodeFeatureTable((await readRecomputeSlice(client, slices, k))!);
        const expected = one.table.customerIds.filter(
          (id) => BigInt(id) >= BigInt(ranges[k].from) && BigInt(id) <= BigInt(ranges[k].to),
        );
        expect([...slice.customerIds].sort()).toEqual(expected.sort());
        expect(slice.size).toBeLessThanOrEqual(700);
        for (let i = 0; i < slice.size; i++) {
          expect(slice.customer(i)).toEqual(one.table.customer(one.table.indexOf(slice.customerIds[i])));
        }
        customers += slice.size;
      }
      expect(customers).toBe(one.table.size);
      await dropRecomputeSlices(client, runId);
    }
  });

  it("starts its threads in a process with the worker processes' V8 flags", async () => {
    // `npm run worker` runs with --max-semi-space-size (app/workers/node-flags.ts).
    const child = spawnSync(
      process.execPath,
      ["--max-semi-space-size=32", "--import", "tsx", "tests/fixtures/read-on-cores.ts", SHOP, "Europe/Berlin"],
      { cwd: path.resolve(import.meta.dirname, "../.."), encoding: "utf8", env: process.env },
    );
    expect(child.stderr).toBe("");
    const one = await readShopFeatures(client, SHOP, "Europe/Berlin");
    expect(Number(child.stdout.trim())).toBe(one.table.size);
  });

  it("stops with the thread's error message when an order cannot be read", async () => {
    await client.query(
      `INSERT INTO "Order" ("shopId", id, "customerId", "processedAt", "shopifyUpdatedAt", currency, "totalMinor", "syncedAt")
       VALUES ($1, 6000000001, 7000002999, now(), now(), 'EUR', 9007199254740993, now())`,
      [SHOP],
    );
    await expect(readShopFeaturesOnCores(client, SHOP, "Europe/Berlin", { threads: 2 })).rejects.toThrow(
      "Order amount 9007199254740993 is beyond 2^53 - 1 minor units",
    );
    await client.query(`DELETE FROM "Order" WHERE "shopId" = $1 AND id = 6000000001`, [SHOP]);
  });
});
