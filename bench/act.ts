// Benchmark of the act step's hold-out groups on a big shop already in
// PostgreSQL: `customers` memberships, two running segment discounts over
// overlapping segments (40% and 47% of the customers). Times
// the first recording (every row new), a second one on unchanged memberships
// (nothing written) and one after 1% of the customers left their segments.
// No Admin API calls: the groups are the app's own records.
// Run alone: `npx tsx bench/act.ts [customers]`.
import pg from "pg";
import { recordDiscountGroups } from "../app/act/holdout-groups.server";
import { scriptEnv } from "../app/config/env.server";
import { shopConfigFrom } from "../app/settings/shop-config";
import type { SegmentDiscountRecord } from "../app/stores/discounts.server";
import { applyMigrations } from "../scripts/migrate";
import { runAlone } from "./run-alone";

export interface ActBenchResult {
  customers: number;
  /** Group rows of the two discounts after the first recording. */
  groupRows: number;
  firstMs: number;
  unchangedMs: number;
  onePercentLeftMs: number;
  peakRssMb: number;
}

const SERVER = scriptEnv().BENCH_POSTGRES_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const SHOP_ID = "bench-act-shop";
const DATABASE = "segments_bench_act";

function dbUrl(name: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function discount(id: string, segments: string[], holdoutPercentage: number): SegmentDiscountRecord {
  return {
    id,
    shopId: SHOP_ID,
    shopifyId: null,
    method: "automatic",
    code: null,
    title: id,
    segments,
    reward: { target: "order", kind: "percentage", value: "10", appliesToEachItem: false },
    minimumSubtotal: null,
    combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false },
    holdoutPercentage,
    message: null,
    startsAt: new Date("2026-01-01T00:00:00Z"),
    endsAt: null,
    status: "active",
    pausedReason: null,
    notice: null,
    configurationHash: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}

export async function actBench(customers = 1_000_000): Promise<ActBenchResult> {
  await withClient(SERVER, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${DATABASE}"`);
  });
  const url = dbUrl(DATABASE);
  await applyMigrations(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Shop" (id, domain, timezone, currency, settings, "updatedAt")
       VALUES ($1, 'bench-act.myshopify.com', 'UTC', 'USD', '{}', now())`,
      [SHOP_ID],
    );
    // Every customer in one of five RFM-like segments, a third also "loyal".
    await client.query(
      `INSERT INTO "SegmentMembership" ("shopId", "customerId", segments, "sinceDay")
       SELECT $1, 7000000000 + g,
         CASE WHEN g % 3 = 0 THEN ARRAY[s, 'loyalty/loyal'] ELSE ARRAY[s] END,
         CASE WHEN g % 3 = 0 THEN ARRAY[20000, 20000] ELSE ARRAY[20000] END
       FROM (SELECT g, (ARRAY['rfm/champions', 'rfm/loyal', 'rfm/active', 'rfm/at-risk', 'rfm/dormant'])[1 + g % 5] AS s
             FROM generate_series(1, $2::int) g) x`,
      [SHOP_ID, customers],
    );
    await client.query(`VACUUM ANALYZE "SegmentMembership"`);
    const { rows } = await client.query(`SELECT * FROM "Shop" WHERE id = $1`, [SHOP_ID]);
    const config = shopConfigFrom(rows[0]);
    const discounts = [
      discount("11111111-1111-4111-8111-111111111111", ["rfm/champions", "rfm/loyal"], 10),
      discount("22222222-2222-4222-8222-222222222222", ["loyalty/loyal", "rfm/at-risk"], 20),
    ];
    for (const d of discounts) {
      await client.query(
        `INSERT INTO "SegmentDiscount" (id, "shopId", method, title, segments, reward, "combinesWith", "holdoutPercentage", "startsAt", status, "updatedAt")
         VALUES ($1, $2, 'automatic', $1, $3, $4, $5, $6, $7, 'active', now())`,
        [d.id, SHOP_ID, d.segments, d.reward, d.combinesWith, d.holdoutPercentage, d.startsAt],
      );
    }
    const time = async (at: Date) => {
      const t0 = performance.now();
      await recordDiscountGroups(client, config, discounts, at);
      return Math.round(performance.now() - t0);
    };
    const firstMs = await time(new Date("2026-12-01T00:00:00Z"));
    const unchangedMs = await time(new Date("2026-12-02T00:00:00Z"));
    await client.query(`DELETE FROM "SegmentMembership" WHERE "shopId" = $1 AND "customerId" % 100 = 7`, [SHOP_ID]);
    const onePercentLeftMs = await time(new Date("2026-12-03T00:00:00Z"));
    const { rows: count } = await client.query(`SELECT count(*)::int AS n FROM "DiscountGroupMembership"`);
    return {
      customers,
      groupRows: count[0].n,
      firstMs,
      unchangedMs,
      onePercentLeftMs,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await client.end();
    await withClient(SERVER, (c) => c.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`));
  }
}

runAlone(import.meta.url, ([customers]) => actBench(customers));
